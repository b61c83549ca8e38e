/**
 * The beat: each tick reads only the cron jobs that are due (an index on nextRunTime), fires
 * each once, and moves its nextRunTime on. Overlapping runs are recorded as `skipped`. After
 * downtime or a beat handover, every scheduled time within the misfire window fires once
 * (catch-up); older ones are counted as missed and dropped.
 * A fire is idempotent per (job, scheduled time): a restart between enqueue and the
 * nextRunTime update does not fire twice.
 */
import { TemporaryFlags } from '../domain/admin/temporary-flags.js';
import { effectiveCronExpr } from '../domain/cron/cron-schedule.js';
import { nextFireTime } from '../domain/cron/cron-expr.js';
import type { CronJobRow, FuncRow, Store } from '../domain/ports/store.js';
import type { FuncCatalog } from '../domain/scripts/func-catalog.js';
import { buildTask } from '../domain/tasks/build-task.js';
import type { TaskDispatcher } from '../domain/tasks/dispatcher.js';
import { outcomePatch, queuedRecord } from '../domain/tasks/task-record.js';
import type { Topology } from '../domain/topology/topology.js';

export interface BeatDeps {
  store: Store;
  dispatcher: TaskDispatcher;
  catalog: FuncCatalog;
  topology: Topology;
  now?: () => number;
  /** A run missed by more than this (ms) is not fired after downtime. */
  misfireWindowMs?: number;
  /** Jobs read per query. */
  batch?: number;
  onError?: (err: unknown) => void;
  /** The timer ticks only while this answers true (the leader lease in production). */
  isActive?: () => boolean;
}

/** Scheduled times handled per job and tick at most (a job every second after a long stop). */
const MAX_CATCH_UP = 1000;

export interface TickResult {
  fired: number;
  skipped: number;
  missed: number;
}

export class Beat {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly now: () => number;

  constructor(private readonly deps: BeatDeps) {
    this.now = deps.now ?? Date.now;
  }

  async tick(): Promise<TickResult> {
    const result: TickResult = { fired: 0, skipped: 0, missed: 0 };
    // The temporary flag pauseCronJobs: nothing fires while it is set (nextRunTime stays, so runs within the misfire window fire on resume).
    if (await new TemporaryFlags(this.deps.store.expiring, this.now).isSet('pauseCronJobs')) return result;
    const now = this.now();
    const batch = this.deps.batch ?? 1000;
    for (;;) {
      const due = await this.deps.store.cron.due(now, batch);
      for (const job of due) await this.fire(job, now, result);
      if (due.length < batch) break;
    }
    return result;
  }

  private async fire(job: CronJobRow, now: number, result: TickResult): Promise<void> {
    const { store, catalog } = this.deps;
    const func = await catalog.func(job.funcId);
    const expr = effectiveCronExpr(job, func);
    const expired = job.expireTime !== null && job.expireTime < now;
    if (!func || !expr || expired) {
      await store.cron.setRunTimes(job.id, null, job.lastRunTime);
      return;
    }
    const window = this.deps.misfireWindowMs ?? 300_000;
    let scheduled: number | null = job.nextRunTime ?? now;
    let last = job.lastRunTime;
    // Every scheduled time up to now: those within the misfire window fire (once each), older ones are missed.
    for (let i = 0; scheduled !== null && scheduled <= now && i < MAX_CATCH_UP; i++) {
      if (now - scheduled > window) result.missed += 1;
      else await this.fireAt(job, func, expr, scheduled, now, result);
      last = scheduled;
      scheduled = nextFireTime(expr, job.timezone, scheduled);
    }
    if (scheduled !== null && scheduled <= now) scheduled = nextFireTime(expr, job.timezone, now);
    await store.cron.setRunTimes(job.id, scheduled, last);
  }

  /** One run of a job for one scheduled time; idempotent per (job, scheduled time). */
  private async fireAt(job: CronJobRow, func: FuncRow, expr: string, scheduled: number, now: number, result: TickResult): Promise<void> {
    const { store } = this.deps;
    if ((await store.taskRecords.list({ origin: 'cronJob', originId: job.id, since: scheduled, until: scheduled }, { limit: 1 })).length > 0) return;
    const task = buildTask({
      func,
      kwargs: job.funcCallKwargsJSON,
      origin: 'cronJob',
      originId: job.id,
      topology: this.deps.topology,
      now: scheduled,
      cronExpr: expr,
      cronJobId: job.id,
    });
    task.expiresAt = Math.max(task.expiresAt, now + 900_000);
    const active = await store.taskRecords.list({ origin: 'cronJob', originId: job.id, status: ['queued', 'running'] }, { limit: 1 });
    if (active.length > 0) {
      await store.taskRecords.insert({
        ...queuedRecord(task),
        ...outcomePatch({ status: 'skipped', printLogs: [], exception: `the previous run ${active[0]!.id} has not finished`, startTime: now, endTime: now }, 0),
      });
      result.skipped += 1;
    } else {
      await this.deps.dispatcher.submit(task);
      result.fired += 1;
    }
  }

  /** Tick at the start of every second until stopped. */
  start(): void {
    const schedule = (): void => {
      this.timer = setTimeout(() => void run(), 1000 - (Date.now() % 1000) + 5);
      this.timer.unref();
    };
    const run = async (): Promise<void> => {
      if (!this.running && (this.deps.isActive?.() ?? true)) {
        this.running = true;
        try {
          await this.tick();
        } catch (err) {
          this.deps.onError?.(err);
        } finally {
          this.running = false;
        }
      }
      if (this.timer) schedule();
    };
    this.timer = setTimeout(() => undefined, 0);
    schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
