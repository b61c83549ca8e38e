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
import type { CronJobRow, CronRunTimes, FuncRow, Store, TaskRecordRow } from '../domain/ports/store.js';
import type { FuncCatalog } from '../domain/scripts/func-catalog.js';
import { buildTask } from '../domain/tasks/build-task.js';
import type { TaskDispatcher } from '../domain/tasks/dispatcher.js';
import type { TaskMessage } from '../domain/tasks/task.js';
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

/** A due job's scheduled times to fire in this tick, with the function and expression they run. */
interface Fires {
  job: CronJobRow;
  func: FuncRow;
  expr: string;
  times: number[];
}

export interface TickResult {
  fired: number;
  skipped: number;
  missed: number;
}

export class Beat {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly now: () => number;
  /** After a tick on a store with a change mark: the mark then and the earliest due time. */
  private quiet: { mark: string; nextDue: number | null } | undefined;

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
      await this.fireBatch(due, now, result);
      if (due.length < batch) break;
    }
    return result;
  }

  /**
   * Fires a batch of due jobs with a few store round trips, not a few per job: one query for the
   * runs already recorded at their scheduled times and the runs not finished, the records in
   * multi-row writes, the enqueues in flight together, then the jobs' run times moved on.
   */
  private async fireBatch(jobs: readonly CronJobRow[], now: number, result: TickResult): Promise<void> {
    const runTimes: CronRunTimes[] = [];
    const plans: Fires[] = [];
    for (const job of jobs) {
      const { fires, next, last } = await this.plan(job, now, result);
      runTimes.push({ id: job.id, nextRunTime: next, lastRunTime: last });
      if (fires) plans.push(fires);
    }
    if (plans.length > 0) await this.fireAll(plans, now, result);
    await this.deps.store.cron.setRunTimesMany(runTimes);
  }

  /** The scheduled times of a job up to now: those within the misfire window to fire, older ones counted as missed. */
  private async plan(job: CronJobRow, now: number, result: TickResult): Promise<{ fires: Fires | undefined; next: number | null; last: number | null }> {
    const func = await this.deps.catalog.func(job.funcId);
    const expr = effectiveCronExpr(job, func);
    const expired = job.expireTime !== null && job.expireTime < now;
    if (!func || !expr || expired) return { fires: undefined, next: null, last: job.lastRunTime };
    const window = this.deps.misfireWindowMs ?? 300_000;
    const times: number[] = [];
    let scheduled: number | null = job.nextRunTime ?? now;
    let last = job.lastRunTime;
    for (let i = 0; scheduled !== null && scheduled <= now && i < MAX_CATCH_UP; i++) {
      if (now - scheduled > window) result.missed += 1;
      else times.push(scheduled);
      last = scheduled;
      scheduled = nextFireTime(expr, job.timezone, scheduled);
    }
    if (scheduled !== null && scheduled <= now) scheduled = nextFireTime(expr, job.timezone, now);
    return { fires: times.length > 0 ? { job, func, expr, times } : undefined, next: scheduled, last };
  }

  /** One run per (job, scheduled time) not recorded yet: idempotent; a run while the job's previous one is queued or running is recorded as skipped. */
  private async fireAll(plans: readonly Fires[], now: number, result: TickResult): Promise<void> {
    // Each plan's times ascend; no spread of what may be a million catch-up times.
    const since = plans.reduce((m, p) => Math.min(m, p.times[0]!), Infinity);
    const until = plans.reduce((m, p) => Math.max(m, p.times[p.times.length - 1]!), -Infinity);
    const activity = await this.deps.store.taskRecords.originActivity(
      'cronJob',
      plans.map((p) => p.job.id),
      since,
      until,
    );
    const recorded = new Set(activity.filter((a) => a.triggerTimeMs >= since && a.triggerTimeMs <= until).map((a) => `${a.originId}@${a.triggerTimeMs}`));
    const unfinished = new Map(activity.filter((a) => a.status === 'queued' || a.status === 'running').map((a) => [a.originId, a.id]));
    const tasks: TaskMessage[] = [];
    const skipped: TaskRecordRow[] = [];
    for (const { job, func, expr, times: due } of plans) {
      for (const scheduled of due) {
        if (recorded.has(`${job.id}@${scheduled}`)) continue;
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
        const previous = unfinished.get(job.id);
        if (previous !== undefined) {
          skipped.push({
            ...queuedRecord(task),
            ...outcomePatch({ status: 'skipped', printLogs: [], exception: `the previous run ${previous} has not finished`, startTime: now, endTime: now }, 0),
          });
          result.skipped += 1;
        } else {
          tasks.push(task);
          unfinished.set(job.id, task.id);
          result.fired += 1;
        }
      }
    }
    await this.deps.dispatcher.submitMany(tasks, skipped);
  }

  /**
   * tick(), unless it has nothing to do: the store's change mark (SQLite) is what it was after
   * the last tick and no job is due yet. Null when skipped. An idle `func up` runs no query here.
   * The mark is read before the earliest due time, so a write in between changes the mark.
   */
  async tickIfDue(): Promise<TickResult | null> {
    const { store } = this.deps;
    const quiet = this.quiet;
    if (quiet && store.changeMark?.() === quiet.mark && (quiet.nextDue === null || this.now() < quiet.nextDue)) return null;
    this.quiet = undefined;
    const result = await this.tick();
    if (store.changeMark) {
      const mark = store.changeMark();
      this.quiet = { mark, nextDue: await store.cron.nextDue() };
    }
    return result;
  }

  /** At the start of every second, tickIfDue() (tick() while another process may write), until stopped. */
  start(): void {
    const schedule = (): void => {
      this.timer = setTimeout(() => void run(), 1000 - (Date.now() % 1000) + 5);
      this.timer.unref();
    };
    const run = async (): Promise<void> => {
      if (!this.running && (this.deps.isActive?.() ?? true)) {
        this.running = true;
        try {
          await this.tickIfDue();
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
