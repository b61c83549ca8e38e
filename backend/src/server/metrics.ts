/**
 * The Prometheus metrics of one process, on a prom-client registry of its own (never the global
 * one: an embedded stack per test shares a Node process). Base units (seconds), names prefixed
 * `func_`, prom-client's process and event-loop metrics included. Counters and histograms are
 * updated as things happen; gauges read their source when scraped (`collect`), so nothing runs
 * while nobody looks. Which process registers what: docs/operations.md "Health and metrics".
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { HandOffStats, QueueStats } from '../domain/ports/broker.js';
import type { RunnerPoolStats } from '../domain/ports/runner.js';
import type { TaskMessage, TaskOutcome } from '../domain/tasks/task.js';

/** HTTP request latency buckets, seconds. */
const HTTP_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Task (Python) time buckets, seconds: from pipelined microsecond tasks to long jobs. */
const TASK_BUCKETS_S = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];

export const METRICS_PREFIX = 'func_';

export class FuncMetrics {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'route' | 'method' | 'status'>;
  private readonly submitted: Counter<'origin'>;
  private readonly taskDuration: Histogram<'func_id' | 'queue' | 'status'>;
  private readonly finished: Counter<'func_id' | 'queue' | 'status'>;
  private queueSource: (() => Promise<QueueStats[]>) | undefined;
  /** One broker call per scrape for the three queue gauges (collected concurrently). */
  private queueStatsInFlight: Promise<QueueStats[]> | undefined;
  private readonly pools: { unit: string; stats: () => RunnerPoolStats }[] = [];
  private readonly leaders = new Map<string, () => boolean>();
  private alertsWatched = false;

  /**
   * `eventLoopResolutionMs`: how often the event-loop delay monitor samples. 100 ms by default, not
   * prom-client's 10 ms: 100 wake-ups a second were most of an idle `func up`'s CPU (issue 20), and
   * lags that matter last longer. The embedded stack (a desktop app, a laptop) samples each second.
   */
  constructor(options: { eventLoopResolutionMs?: number } = {}) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: METRICS_PREFIX, eventLoopMonitoringPrecision: options.eventLoopResolutionMs ?? 100 });
    const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]): Histogram<L> =>
      new Histogram({ name, help, labelNames, buckets, registers });
    const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> => new Counter({ name, help, labelNames, registers });
    this.httpDuration = histogram(
      'func_http_request_duration_seconds',
      'HTTP request latency by route (the pattern, not the URL), method and status.',
      ['route', 'method', 'status'],
      HTTP_BUCKETS_S,
    );
    this.submitted = counter('func_tasks_submitted_total', 'Tasks submitted through this server, by origin.', ['origin']);
    this.taskDuration = histogram(
      'func_task_duration_seconds',
      'Time each finished task ran in its Python process, by function, queue and status.',
      ['func_id', 'queue', 'status'],
      TASK_BUCKETS_S,
    );
    this.finished = counter('func_tasks_finished_total', 'Tasks finished (outcome stored and acked) by this process, by function, queue and status.', [
      'func_id',
      'queue',
      'status',
    ]);
    const queueGauge = (name: string, help: string, pick: (s: QueueStats) => number): Gauge<'queue'> => {
      const read = (): Promise<QueueStats[]> => this.queueStats();
      return new Gauge({
        name,
        help,
        labelNames: ['queue'],
        registers,
        async collect() {
          this.reset();
          for (const s of await read()) this.set({ queue: String(s.queue) }, pick(s));
        },
      });
    };
    queueGauge('func_queue_length', 'Tasks waiting in each queue, ready to run.', (s) => s.length);
    queueGauge('func_queue_delayed', 'Tasks in each queue whose eta is still ahead.', (s) => s.delayed);
    queueGauge('func_queue_in_flight', 'Tasks of each queue reserved by a worker and not acked yet.', (s) => s.inFlight);
    const pools = this.pools;
    new Gauge({
      name: 'func_worker_processes',
      help: 'Python processes of each worker unit in this process, busy (running a task) or idle.',
      labelNames: ['unit', 'state'],
      registers,
      collect() {
        this.reset();
        for (const p of pools) {
          const s = p.stats();
          this.inc({ unit: p.unit, state: 'busy' }, s.busy);
          this.inc({ unit: p.unit, state: 'idle' }, Math.max(0, s.processes - s.busy));
        }
      },
    });
    const leaders = this.leaders;
    new Gauge({
      name: 'func_leader',
      help: '1 while this process holds the leader lease of the role (the beat fires cron jobs only then), else 0.',
      labelNames: ['role'],
      registers,
      collect() {
        this.reset();
        for (const [role, isLeader] of leaders) this.set({ role }, isLeader() ? 1 : 0);
      },
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  observeRequest(route: string, method: string, status: number, seconds: number): void {
    this.httpDuration.observe({ route, method, status: String(status) }, seconds);
  }

  countTask(origin: string): void {
    this.submitted.inc({ origin });
  }

  /** A task's outcome was stored and its delivery acked. */
  taskFinished(task: Pick<TaskMessage, 'funcId' | 'queue'>, outcome: Pick<TaskOutcome, 'status' | 'costMs' | 'startTime' | 'endTime'>): void {
    const labels = { func_id: task.funcId, queue: String(task.queue), status: outcome.status };
    this.finished.inc(labels);
    const ms = outcome.costMs ?? (outcome.startTime !== undefined && outcome.endTime !== undefined ? outcome.endTime - outcome.startTime : undefined);
    if (ms !== undefined && ms >= 0) this.taskDuration.observe(labels, ms / 1000);
  }

  /** Queue gauges from this broker (the server's, or the embedded one): read on each scrape. */
  watchQueues(broker: { stats(): Promise<QueueStats[]> }): void {
    this.queueSource = () => broker.stats();
  }

  /** A server's sync calls handed straight to worker units (`hand-offs.ts`), read on each scrape. */
  watchHandOffs(broker: { handOffStats?(): HandOffStats }): void {
    const read = broker.handOffStats?.bind(broker);
    if (!read) return;
    const registers = [this.registry];
    new Counter({
      name: 'func_sync_handoffs_total',
      help: 'Sync calls this server handed straight to an idle worker unit instead of enqueueing them; requeued: of those, enqueued after all (not taken, given back, or the unit went away).',
      labelNames: ['outcome'],
      registers,
      collect() {
        const s = read();
        this.reset();
        this.inc({ outcome: 'handed' }, s.handed);
        this.inc({ outcome: 'requeued' }, s.requeued);
      },
    });
    new Gauge({
      name: 'func_sync_handoff_units',
      help: 'Worker units offering themselves to this server for sync calls handed straight.',
      registers,
      collect() {
        this.set(read().units);
      },
    });
  }

  /** Busy/idle processes of a worker unit's pool, read on each scrape. */
  watchPool(unit: string, pool: { stats(): RunnerPoolStats }): void {
    this.pools.push({ unit, stats: () => pool.stats() });
  }

  watchLeader(role: string, isLeader: () => boolean): void {
    this.leaders.set(role, isLeader);
  }

  /** `func_alert_active{unit, kind}`: 1 per alert active now (read at scrape time; see routes/alerts.ts). */
  watchAlerts(read: () => Promise<{ unit: string; kind: string }[]>): void {
    if (this.alertsWatched) return;
    this.alertsWatched = true;
    new Gauge({
      name: 'func_alert_active',
      help: 'Alerts active now, by unit and kind (queueWait, deadLetters); absent when none.',
      labelNames: ['unit', 'kind'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const a of await read().catch(() => [])) this.set({ unit: a.unit, kind: a.kind }, 1);
      },
    });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  private queueStats(): Promise<QueueStats[]> {
    const source = this.queueSource;
    if (!source) return Promise.resolve([]);
    // The broker down: no queue samples (the scrape itself still answers; /healthz says why).
    this.queueStatsInFlight ??= source()
      .catch(() => [])
      .finally(() => (this.queueStatsInFlight = undefined));
    return this.queueStatsInFlight;
  }
}

/** `Authorization: Bearer <token>` against FUNC_METRICS_TOKEN, in constant time. */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!m) return false;
  const given = createHash('sha256').update(m[1]!).digest();
  return timingSafeEqual(given, createHash('sha256').update(token).digest());
}
