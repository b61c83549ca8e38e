/**
 * When a waiting task should start: from its position in the queue, the measured duration T of
 * the queue's tasks and the processes P of the units listening to it. A waiting task means every
 * listening process is busy; they free up on average T/2 from now and then every T ÷ P, so the
 * task at position n starts after about (⌈n ÷ P⌉ − ½) × T. The per-queue T and P are cached for a
 * few seconds: a prediction costs no store read.
 */
import type { TaskTiming } from '../ports/store.js';
import type { Topology } from '../topology/topology.js';

export const QUEUE_ETA_CACHE_MS = 5_000;
export const QUEUE_ETA_WINDOW_MS = 10 * 60_000;
const MAX_TIMINGS = 20_000;

export interface QueueEtaDeps {
  timingsSince: (since: number, limit: number) => Promise<TaskTiming[]>;
  /** The units serving the queues (the deployed stack's, or the static topology). */
  units: () => Promise<Pick<Topology, 'units'>['units']>;
  now: () => number;
}

interface QueueFacts {
  taskMs: number | null;
  processes: number;
}

/** Wait in ms before the task at `position` starts, or null when T or P is unknown. */
export function predictedWaitMs(position: number, facts: QueueFacts): number | null {
  if (facts.taskMs === null || facts.processes <= 0 || position < 1) return null;
  return Math.max(0, (Math.ceil(position / facts.processes) - 0.5) * facts.taskMs);
}

export class QueueEta {
  private facts: Promise<Map<number, QueueFacts>> | undefined;
  private readAt = 0;

  constructor(private readonly deps: QueueEtaDeps) {}

  /** Epoch ms the task at `position` of `queue` should start; null when unknown. */
  async predictStart(queue: number, position: number | null): Promise<number | null> {
    if (position === null) return null;
    const facts = (await this.current()).get(queue) ?? { taskMs: null, processes: 0 };
    const wait = predictedWaitMs(position, facts);
    return wait === null ? null : Math.round(this.deps.now() + wait);
  }

  private current(): Promise<Map<number, QueueFacts>> {
    const now = this.deps.now();
    if (!this.facts || now - this.readAt > QUEUE_ETA_CACHE_MS) {
      this.readAt = now;
      this.facts = this.read(now).catch((err: unknown) => {
        this.facts = undefined;
        throw err;
      });
    }
    return this.facts;
  }

  private async read(now: number): Promise<Map<number, QueueFacts>> {
    const [timings, units] = await Promise.all([this.deps.timingsSince(now - QUEUE_ETA_WINDOW_MS, MAX_TIMINGS), this.deps.units()]);
    const sums = new Map<number, { total: number; n: number }>();
    for (const t of timings) {
      const s = sums.get(t.queue) ?? { total: 0, n: 0 };
      s.total += Math.max(0, t.endTimeMs - t.startTimeMs);
      s.n++;
      sums.set(t.queue, s);
    }
    const out = new Map<number, QueueFacts>();
    for (let q = 0; q < 16; q++) {
      const s = sums.get(q);
      const processes = units.filter((u) => u.queues.includes(q)).reduce((sum, u) => sum + u.processes * u.replicas, 0);
      out.set(q, { taskMs: s ? s.total / s.n : null, processes });
    }
    return out;
  }
}
