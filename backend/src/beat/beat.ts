/**
 * The beat: each tick reads only the cron jobs that are due (an index on nextRunTime), fires
 * each once, and moves its nextRunTime on. Overlapping runs are recorded as `skipped`. After
 * downtime or a beat handover, every scheduled time within the misfire window fires once
 * (catch-up); older ones are counted as missed and dropped.
 * A fire is idempotent per (job, scheduled time): a restart between enqueue and the
 * nextRunTime update does not fire twice.
 * What scripts set (DFF.CRON_JOB.set_cron_expr / pause, domain/cron/cron-overrides.ts) is read
 * whole once per tick: a dynamic expression wins over fixed_cron_expr and cronExpr, a paused job's
 * scheduled times pass without a run (each scheduled time judged by what was in force then). When
 * a job's dynamic expression appears, changes or is cleared, the beat moves that job's nextRunTime
 * to the next fire time under it; a nextRunTime counts the dynamic expression's expiry.
 */
import { ThrottledReport } from '../domain/throttled-report.js';
import { TemporaryFlags } from '../domain/admin/temporary-flags.js';
import type { CronOverrides, CronOverrideStore } from '../domain/cron/cron-overrides.js';
import { dynamicAt, effectiveCronExpr, isFireTime, nextRunUnder } from '../domain/cron/cron-schedule.js';
import { nextFireTime } from '../domain/cron/cron-expr.js';
import { BROKER_DEFAULTS } from '../domain/ports/broker.js';
import type { CronJobRow, CronRunTimes, FuncRow, OriginActivity, Store, TaskRecordRow } from '../domain/ports/store.js';
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
  /** Dynamic expressions and pauses set by scripts (absent: none are honoured). */
  overrides?: CronOverrideStore;
}

/** The beat looks again at every job with a dynamic expression this often, even unchanged (a job modified meanwhile got its nextRunTime from its own expression). */
const REAPPLY_MS = 60_000;

/** What scripts set, as read this tick, and the jobs whose dynamic expression changed since the beat last looked. */
interface Scripted {
  overrides: CronOverrides;
  changed: ReadonlySet<string>;
}

const NO_OVERRIDES: CronOverrides = { dynamic: new Map(), pausedUntil: new Map(), dynamicRaw: {}, expiredDynamic: [], expiredPause: [] };

/** Scheduled times handled per job and tick at most (a job every second after a long stop). */
const MAX_CATCH_UP = 1000;

/** The least grace past the end of a run's chances before it stops counting as unfinished. */
export const STALE_RUN_GRACE_MS = 5 * 60_000;

/**
 * How long past the end of its chances a run still counts as unfinished: every delivery but the
 * last may be lost to a consumer that died, each holding it up to its timeout and then a visibility
 * timeout (the worker lets a redelivered task start that much later: `startDeadline`).
 */
export function staleGraceMs(timeoutMs: number): number {
  return Math.max(STALE_RUN_GRACE_MS, BROKER_DEFAULTS.maxDeliveries * (BROKER_DEFAULTS.visibilityTimeoutMs + timeoutMs));
}

/**
 * Whether a job's previous run may still run or is running: a run queued past the latest it may
 * start (its expiry, after its eta: a retry's next attempt has its own, from its message; else the
 * job's expiry from its fire) plus its timeout, or running past its timeout, each by more than the
 * grace, was lost (its task went with a Redis that kept nothing, say) and stops counting, so the job
 * fires again; before, it was skipped for good, as "the previous run has not finished".
 */
export function stillLive(run: OriginActivity, expiresAfterMs: number, now: number): boolean {
  const grace = staleGraceMs(run.timeoutMs);
  if (run.status === 'running' && run.startTimeMs !== null) return now <= run.startTimeMs + run.timeoutMs + grace;
  const startsBefore = run.startsBefore ?? run.triggerTimeMs + expiresAfterMs;
  return now <= startsBefore + run.timeoutMs + grace;
}

/** A due job's scheduled times to fire in this tick, with the function and expression they run. */
interface Fires {
  job: CronJobRow;
  func: FuncRow;
  /** The expression each time was scheduled by. */
  exprs: string[];
  times: number[];
}

export interface TickResult {
  fired: number;
  skipped: number;
  missed: number;
  /** Scheduled times passed without a run because the job was paused (DFF.CRON_JOB.pause); present when some were. */
  paused?: number;
}

export class Beat {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly now: () => number;
  /** After a tick on a store with a change mark: the mark then and the earliest due time. */
  private quiet: { mark: string; nextDue: number | null; dynamic: string } | undefined;
  /** Each job's dynamic expression (raw) as the beat last scheduled it, and when it last looked at all of them. */
  private readonly applied = new Map<string, string>();
  private appliedAt = -Infinity;
  /** A tick failing every second (its store down) is one line a minute, saying how many more. */
  private readonly reports: ThrottledReport;

  constructor(private readonly deps: BeatDeps) {
    this.now = deps.now ?? Date.now;
    this.reports = new ThrottledReport(deps.onError, 'beat: ');
  }

  async tick(): Promise<TickResult> {
    const result: TickResult = { fired: 0, skipped: 0, missed: 0 };
    // The temporary flag pauseCronJobs: nothing fires while it is set (nextRunTime stays, so runs within the misfire window fire on resume).
    if (await new TemporaryFlags(this.deps.store.expiring, this.now).isSet('pauseCronJobs')) return result;
    const now = this.now();
    const batch = this.deps.batch ?? 1000;
    const overrides = this.deps.overrides ? await this.deps.overrides.readAll() : NO_OVERRIDES;
    const changed = await this.applyOverrides(overrides, now);
    for (;;) {
      const due = await this.deps.store.cron.due(now, batch);
      await this.fireBatch(due, now, result, { overrides, changed });
      if (due.length < batch) break;
    }
    return result;
  }

  /**
   * Fires a batch of due jobs with a few store round trips, not a few per job: one query for the
   * runs already recorded at their scheduled times and the runs not finished, the records in
   * multi-row writes, the enqueues in flight together, then the jobs' run times moved on.
   */
  private async fireBatch(jobs: readonly CronJobRow[], now: number, result: TickResult, scripted: Scripted): Promise<void> {
    const runTimes: CronRunTimes[] = [];
    const plans: Fires[] = [];
    for (const job of jobs) {
      const { fires, next, last } = await this.plan(job, now, result, scripted);
      runTimes.push({ id: job.id, nextRunTime: next, lastRunTime: last });
      if (fires) plans.push(fires);
    }
    if (plans.length > 0) await this.fireAll(plans, now, result);
    await this.deps.store.cron.setRunTimesMany(runTimes);
  }

  /** The scheduled times of a job up to now: those within the misfire window to fire, older ones counted as missed. */
  private async plan(
    job: CronJobRow,
    now: number,
    result: TickResult,
    { overrides, changed }: Scripted,
  ): Promise<{ fires: Fires | undefined; next: number | null; last: number | null }> {
    const func = await this.deps.catalog.func(job.funcId);
    const own = effectiveCronExpr(job, func);
    const dynamic = overrides.dynamic.get(job.id);
    const expired = job.expireTime !== null && job.expireTime < now;
    if (!func || (!own && !dynamic) || expired) return { fires: undefined, next: null, last: job.lastRunTime };
    // Each scheduled time by the expression in force then: the dynamic one until its expiry, then the job's own.
    const exprAt = (t: number): string | null => dynamicAt(dynamic, t) ?? own;
    const after = (t: number): number | null => (dynamic ? nextRunUnder(job, func, t, dynamic) : nextFireTime(own!, job.timezone, t));
    const window = this.deps.misfireWindowMs ?? 300_000;
    const pausedUntil = overrides.pausedUntil.get(job.id);
    const times: number[] = [];
    const exprs: string[] = [];
    let scheduled: number | null = job.nextRunTime ?? now;
    let last = job.lastRunTime;
    // A job with a dynamic expression (or one just cleared) may hold a nextRunTime from another expression: such a time is moved on, not fired.
    if (dynamic || changed.has(job.id)) {
      const expr = exprAt(scheduled);
      if (scheduled <= now && (!expr || !isFireTime(expr, job.timezone, scheduled))) scheduled = after(scheduled);
    }
    for (let i = 0; scheduled !== null && scheduled <= now && i < MAX_CATCH_UP; i++) {
      if (now - scheduled > window) result.missed += 1;
      else if (pausedUntil !== undefined && scheduled <= pausedUntil) result.paused = (result.paused ?? 0) + 1;
      else {
        times.push(scheduled);
        exprs.push(exprAt(scheduled)!);
      }
      last = scheduled;
      scheduled = after(scheduled);
    }
    if (scheduled !== null && scheduled <= now) scheduled = after(now);
    return { fires: times.length > 0 ? { job, func, exprs, times } : undefined, next: scheduled, last };
  }

  /**
   * Drops expired entries, then moves the nextRunTime of each job whose dynamic expression is new,
   * changed, cleared or expired since the beat last looked (and of every job with one, once a
   * minute) to its effective expression's next fire time. A job due now is left to this tick.
   */
  private async applyOverrides(overrides: CronOverrides, now: number): Promise<ReadonlySet<string>> {
    if (!this.deps.overrides) return new Set();
    if (overrides.expiredDynamic.length > 0 || overrides.expiredPause.length > 0) await this.deps.overrides.dropExpired(overrides);
    if (now - this.appliedAt >= REAPPLY_MS) {
      this.applied.clear();
      this.appliedAt = now;
    }
    const changed = new Set<string>();
    for (const [id, raw] of Object.entries(overrides.dynamicRaw)) if (this.applied.get(id) !== raw) changed.add(id);
    for (const id of this.applied.keys()) if (!overrides.dynamic.has(id)) changed.add(id);
    for (const id of changed) {
      const raw = overrides.dynamicRaw[id];
      if (raw !== undefined && overrides.dynamic.has(id)) this.applied.set(id, raw);
      else this.applied.delete(id);
      const job = await this.deps.store.entity('cronJobs').get(id);
      if (!job || job.isDisabled || (job.nextRunTime !== null && job.nextRunTime <= now)) continue;
      const next = nextRunUnder(job, await this.deps.catalog.func(job.funcId), now, overrides.dynamic.get(id));
      if (next !== job.nextRunTime) await this.deps.store.cron.setRunTimes(id, next, job.lastRunTime);
    }
    return changed;
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
    // Per job its unfinished runs (a lost one may sit beside a live one): any that may still run holds the next back.
    const unfinished = new Map<string, OriginActivity[]>();
    for (const a of activity) if (a.status === 'queued' || a.status === 'running') unfinished.set(a.originId, [...(unfinished.get(a.originId) ?? []), a]);
    const tasks: TaskMessage[] = [];
    const skipped: TaskRecordRow[] = [];
    for (const { job, func, exprs, times: due } of plans) {
      for (const [k, scheduled] of due.entries()) {
        const expr = exprs[k]!;
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
        const previous = unfinished.get(job.id)?.find((run) => stillLive(run, task.expiresAt - now, now));
        if (previous !== undefined) {
          skipped.push({
            ...queuedRecord(task),
            ...outcomePatch({ status: 'skipped', printLogs: [], exception: `the previous run ${previous.id} has not finished`, startTime: now, endTime: now }, 0),
          });
          result.skipped += 1;
        } else {
          tasks.push(task);
          unfinished.set(job.id, [
            { id: task.id, originId: job.id, triggerTimeMs: now, status: 'queued', startTimeMs: null, timeoutMs: task.timeoutMs, startsBefore: task.expiresAt },
          ]);
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
    // A script's dynamic expression (set, cleared, or expiring) changes a schedule without a write to the store: the small hash is read here too.
    const dynamic = this.deps.overrides ? await this.deps.overrides.dynamicRaw() : {};
    const fingerprint = JSON.stringify(dynamic);
    if (quiet && store.changeMark?.() === quiet.mark && quiet.dynamic === fingerprint && (quiet.nextDue === null || this.now() < quiet.nextDue)) return null;
    this.quiet = undefined;
    const result = await this.tick();
    if (store.changeMark) {
      const mark = store.changeMark();
      // A dynamic expression's expiry needs no look of its own: the job's nextRunTime already counts it (nextRunUnder).
      // The hash as read before the tick: one a script set while the tick ran (after it read the
      // overrides) differs from it, so the next second ticks and applies it.
      this.quiet = { mark, nextDue: await store.cron.nextDue(), dynamic: fingerprint };
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
          this.reports.report('a tick', err);
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
