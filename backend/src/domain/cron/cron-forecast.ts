/**
 * The cron load forecast: for the next hours, how many cron tasks fire in each minute on each
 * queue, against what the queue's units can take in a minute (the seed's capacity, processes ×
 * 60000 ÷ T, with T measured); the minutes where firings exceed it ("everything at :00"), with the
 * jobs that fire then; and offsets that would spread them (pure: the caller computes fire times).
 */
import type { MinuteFirings } from './cron-expr.js';

export interface ForecastJob {
  id: string;
  funcId: string;
  queue: number;
  /** Firings within the window, ascending, counted per minute (`at`: the minute's first, epoch ms). */
  firings: MinuteFirings[];
}

export interface ForecastQueue {
  queue: number;
  /** Python processes of the units listening to it (all replicas). */
  processes: number;
  /** Measured mean task duration (ms); null without samples. */
  taskMs: number | null;
}

export interface OverloadedMinute {
  /** Start of the minute (epoch ms). */
  minute: number;
  firings: number;
  capacity: number;
  /** The jobs firing in it, the most firings first. */
  jobs: { id: string; funcId: string; firings: number }[];
}

export interface QueueForecast {
  queue: number;
  processes: number;
  taskMs: number | null;
  /** Tasks the queue's units take in a minute; null when T is unknown (no overload is marked then). */
  capacityPerMinute: number | null;
  /** Firings per minute, one entry per minute of the window. */
  perMinute: number[];
  peak: number;
  /** Every overloaded minute's count; `overloaded` lists the first MAX_LISTED of them. */
  overloadedMinutes: number;
  overloaded: OverloadedMinute[];
}

export interface OffsetSuggestion {
  jobId: string;
  queue: number;
  /** Fire this many minutes later (0–59). */
  offsetMinutes: number;
  /** Overloaded minutes of its queue before and after shifting the suggested jobs. */
  reason: string;
}

export interface CronForecast {
  from: number;
  minutes: number;
  queues: QueueForecast[];
  suggestions: OffsetSuggestion[];
}

const MINUTE_MS = 60_000;
export const MAX_LISTED = 100;

/** Tasks a minute: P × 60000 ÷ T; 0 when no process listens (every firing waits); null when T is unknown. */
export function capacityPerMinute(q: Pick<ForecastQueue, 'processes' | 'taskMs'>): number | null {
  if (q.processes <= 0) return 0;
  if (q.taskMs === null || !(q.taskMs > 0)) return null;
  return (q.processes * MINUTE_MS) / q.taskMs;
}

function bucketOf(from: number, t: number): number {
  return Math.floor((t - from) / MINUTE_MS);
}

export function cronForecast(input: { jobs: readonly ForecastJob[]; queues: readonly ForecastQueue[]; from: number; minutes: number }): CronForecast {
  const from = Math.floor(input.from / MINUTE_MS) * MINUTE_MS;
  const { minutes } = input;
  const queues: QueueForecast[] = [];
  const suggestions: OffsetSuggestion[] = [];
  for (const q of input.queues) {
    const jobs = input.jobs.filter((j) => j.queue === q.queue);
    const perMinute = new Array<number>(minutes).fill(0);
    // Per minute, which jobs fire and how often.
    const byMinute = new Map<number, Map<string, number>>();
    for (const j of jobs) {
      for (const { at, count } of j.firings) {
        const b = bucketOf(from, at);
        if (b < 0 || b >= minutes) continue;
        perMinute[b]! += count;
        const m = byMinute.get(b) ?? new Map<string, number>();
        m.set(j.id, (m.get(j.id) ?? 0) + count);
        byMinute.set(b, m);
      }
    }
    const capacity = capacityPerMinute(q);
    const over = capacity === null ? [] : perMinute.flatMap((n, b) => (n > capacity ? [b] : []));
    const funcOf = new Map(jobs.map((j) => [j.id, j.funcId]));
    queues.push({
      queue: q.queue,
      processes: q.processes,
      taskMs: q.taskMs,
      capacityPerMinute: capacity,
      perMinute,
      peak: Math.max(0, ...perMinute),
      overloadedMinutes: over.length,
      overloaded: over.slice(0, MAX_LISTED).map((b) => ({
        minute: from + b * MINUTE_MS,
        firings: perMinute[b]!,
        capacity: capacity!,
        jobs: [...(byMinute.get(b) ?? new Map<string, number>())]
          .map(([id, firings]) => ({ id, funcId: funcOf.get(id) ?? '', firings }))
          .sort((a, b2) => b2.firings - a.firings || a.id.localeCompare(b2.id)),
      })),
    });
    if (capacity !== null && capacity > 0 && over.length > 0) suggestions.push(...spread(jobs, perMinute, byMinute, over, capacity, from, q.queue));
  }
  return { from, minutes, queues, suggestions };
}

/**
 * Greedy spreading: in each overloaded minute, the jobs beyond capacity (the ones firing least
 * there first: they are the cheapest to move) get the smallest offset of 1–59 minutes at which
 * every one of their firings lands in a minute with room; the forecast is updated as they move.
 */
function spread(
  jobs: readonly ForecastJob[],
  perMinute: readonly number[],
  byMinute: Map<number, Map<string, number>>,
  over: readonly number[],
  capacity: number,
  from: number,
  queue: number,
): OffsetSuggestion[] {
  const load = [...perMinute];
  const moved = new Map<string, number>();
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const fits = (job: ForecastJob, k: number): boolean => {
    const add = new Map<number, number>();
    for (const { at, count } of job.firings) {
      const b = bucketOf(from, at) + k;
      if (b >= load.length) continue;
      add.set(b, (add.get(b) ?? 0) + count);
    }
    for (const [b, n] of add) if (load[b]! + n > capacity) return false;
    return true;
  };
  for (const b of over) {
    const here = [...(byMinute.get(b) ?? new Map<string, number>())].filter(([id]) => !moved.has(id)).sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]));
    for (const [id] of here) {
      if (load[b]! <= capacity) break;
      const job = byId.get(id)!;
      for (let k = 1; k < 60; k++) {
        if (!fits(job, k)) continue;
        for (const { at, count } of job.firings) {
          const from0 = bucketOf(from, at);
          if (from0 >= 0 && from0 < load.length) load[from0]! -= count;
          if (from0 + k >= 0 && from0 + k < load.length) load[from0 + k]! += count;
        }
        moved.set(id, k);
        break;
      }
    }
  }
  const before = over.length;
  const after = load.filter((n) => n > capacity).length;
  return [...moved].map(([jobId, offsetMinutes]) => ({
    jobId,
    queue,
    offsetMinutes,
    reason: `queue #${queue}: ${before} overloaded minute(s) in the window, ${after} after shifting the ${moved.size} suggested job(s)`,
  }));
}
