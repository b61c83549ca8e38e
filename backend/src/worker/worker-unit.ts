/**
 * A worker unit: listens to its queues and runs tasks in its pool of Python processes. One fetch
 * loop reserves as many tasks as the pool takes at once (one per process, more while tasks are
 * short: the pool pipelines them) in one broker call, and refills when half of that is free.
 * Outcome stored before the ack (at-least-once); a waiting sync caller gets the outcome pushed
 * first.
 */
import { BROKER_DEFAULTS, type Broker, type Delivery } from '../domain/ports/broker.js';
import type { FuncRunnerPool } from '../domain/ports/runner.js';
import type { Store } from '../domain/ports/store.js';
import type { FuncCatalog } from '../domain/scripts/func-catalog.js';
import { storeTaskState } from '../domain/tasks/store-outcome.js';
import { planRetry, retriesExhausted } from '../domain/tasks/retry.js';
import { outcomePatch } from '../domain/tasks/task-record.js';
import { storedMessage } from '../domain/tasks/recorded-request.js';
import type { TaskMessage, TaskOutcome } from '../domain/tasks/task.js';
import type { TaskRecordRetention } from '../domain/tasks/retention.js';
import { ThrottledReport } from '../domain/throttled-report.js';
import { StoreOutage } from './store-outage.js';

/** A task still running after this long is marked `running` in its record. */
export const RUNNING_MARK_MS = 50;
/** Finished tasks whose record write and ack may be in flight at once, per unit. */
export const MAX_FINISHING = 256;
/** A fetch loop waiting for a process looks again this often. */
const RECHECK_MS = 100;
/** One reserve call's longest wait for a task (the broker blocks, in slices, rather than polls). */
const RESERVE_WAIT_MS = 30_000;

export interface WorkerUnitDeps {
  name: string;
  queues: readonly number[];
  broker: Broker;
  store: Store;
  pool: FuncRunnerPool;
  catalog: FuncCatalog;
  now?: () => number;
  /**
   * Called with errors that are not a task's own (store down, broker down), each kind at most
   * once a minute (`ThrottledReport`), named by the unit and what failed.
   */
  onError?: (err: unknown) => void;
  /** The broker's visibility timeout: how long a delivery whose consumer died can hold a task (`startDeadline`). */
  visibilityTimeoutMs?: number;
  /** Trims task records per origin after each outcome. */
  retention?: TaskRecordRetention;
  /** Re-extend reservations of reserved tasks this often. */
  extendEveryMs?: number;
  /** Where this unit runs (`host:pid`), part of the consumer id in a task's delivery history. */
  instance?: string;
  /** Told of each task finished here (outcome stored, delivery acked): the metrics. */
  onFinished?: (task: TaskMessage, outcome: TaskOutcome) => void;
  /** The live-log relay its pool streams to: told when a task's record is stored. */
  live?: { end(task: TaskMessage, status: string): void };
  /**
   * Also take sync tasks producers hand straight to this unit (`Broker.serveHandOffs`), this
   * many at once (its processes); undefined: only from the queues.
   */
  handOffSlots?: number;
}

/**
 * The latest time delivery `attempt` of `task` may start: its `expiresAt`, later by what each
 * earlier delivery that ended without an outcome (its consumer died, or gave it back) can have
 * held it: the task's run (`timeoutMs`) then a visibility timeout until the broker took it back.
 * So a task whose worker was killed runs again rather than expiring while nobody could run it
 * (docs/decisions.md); the bound stays finite (a task has at most `maxDeliveries` deliveries).
 */
export function startDeadline(task: TaskMessage, attempt: number, visibilityTimeoutMs: number): number {
  if (!(task.expiresAt > 0) || attempt <= 1) return task.expiresAt;
  return task.expiresAt + (attempt - 1) * (visibilityTimeoutMs + task.timeoutMs);
}

/** Tags a failure with what the unit was doing, for its report. */
class StepError extends Error {
  constructor(
    readonly kind: string,
    readonly error: unknown,
  ) {
    super(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

function step<T>(kind: string, p: Promise<T>): Promise<T> {
  return p.catch((err: unknown) => {
    throw err instanceof StepError ? err : new StepError(kind, err);
  });
}

/** A reserved task: when it started in a process (0 while waiting), its `running` mark. */
interface Reserved {
  /** By the unit's clock (`now`), for the record. */
  startTime: number;
  /** By the real clock (Date.now), for the RUNNING_MARK_MS timer. */
  startedAt: number;
  marked: Promise<void> | undefined;
}

export class WorkerUnit {
  private readonly abort = new AbortController();
  private fetching: Promise<void> | undefined;
  private tasksDone = 0;
  /** Reserved and not acked yet: their reservations are kept alive. */
  private readonly reserved = new Map<Delivery, Reserved>();
  /** Reserved tasks without an outcome yet (waiting in the pool or running). */
  private executing = 0;
  /** Outcomes being stored and acked. */
  private finishing = 0;
  private readonly tasks = new Set<Promise<void>>();
  private wakeFetch: (() => void) | undefined;
  private keepReserved: ReturnType<typeof setInterval> | undefined;
  private markTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly now: () => number;
  private readonly reports: ThrottledReport;
  /** Store reads and writes a task cannot do without wait here while the store is down. */
  private readonly storeOutage: StoreOutage;

  constructor(private readonly deps: WorkerUnitDeps) {
    this.now = deps.now ?? Date.now;
    this.reports = new ThrottledReport(deps.onError, `worker unit ${deps.name}: `);
    // The read GET /healthz makes: cheap, and it fails only when the store does not answer.
    this.storeOutage = new StoreOutage(() => deps.store.entity('users').list({}, { limit: 1 }), this.abort.signal, this.reports);
  }

  private report(kind: string, err: unknown): void {
    if (err instanceof StepError) this.reports.report(err.kind, err.error);
    else this.reports.report(kind, err);
  }

  get name(): string {
    return this.deps.name;
  }

  get queues(): readonly number[] {
    return this.deps.queues;
  }

  get done(): number {
    return this.tasksDone;
  }

  start(): void {
    const at = this.deps.instance ? `@${this.deps.instance}` : '';
    this.fetching = this.fetch(`${this.deps.name}${at}`);
    const slots = this.deps.handOffSlots;
    if (slots !== undefined && slots > 0) this.deps.broker.serveHandOffs?.({ queues: this.deps.queues, slots, take: (d) => this.takeHandOff(d) });
    // Reserved tasks wait in the pool or run: keep their reservations alive meanwhile.
    this.keepReserved = setInterval(() => {
      for (const d of this.reserved.keys()) void this.deps.broker.extend(d).catch((err: unknown) => this.report('renewing a reservation', err));
    }, this.deps.extendEveryMs ?? 20_000);
  }

  private async fetch(consumerId: string): Promise<void> {
    const signal = this.abort.signal;
    // After a short batch the queues were empty: the next call waits for a task before looking.
    let waitFirst = false;
    while (!signal.aborted) {
      try {
        const room = await this.room(waitFirst);
        if (room === 0) continue;
        const got = await this.deps.broker.reserveBatch(this.deps.queues, consumerId, room, RESERVE_WAIT_MS, signal, { waitFirst });
        waitFirst = got.length < room;
        // Taken as the stop came: given back at once rather than started.
        if (signal.aborted) for (const d of got) this.giveBack(d);
        else for (const d of got) this.begin(d);
        // Let the tasks reach their processes (cached script → pool write, a few microtasks)
        // before the next reserve is built and written: a sync caller waits on the former.
        if (got.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      } catch (err) {
        this.report('reserving tasks', err);
        waitFirst = false;
        if (!signal.aborted) await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /**
   * How many tasks to reserve next; waits while the pool is full or has more than half its
   * share waiting, and while too many outcomes are being stored (backpressure on a slow store).
   * After short batches (`waitFirst`: the queues were empty) no blocking reserve is sent while
   * every process is busy: a task arriving now could only wait behind them, and building and
   * writing the reserve while a short task runs delays taking its result (a sync caller waits on
   * that). It goes out once a task finishes, after that task's outcome is on its way.
   */
  private async room(waitFirst: boolean): Promise<number> {
    let waited = false;
    for (;;) {
      if (this.abort.signal.aborted) return 0;
      const capacity = this.deps.pool.reserveCapacity();
      const free = capacity - this.executing;
      const deferred = waitFirst && this.executing > 0 && this.deps.pool.idle() === 0;
      if (!deferred && this.finishing < MAX_FINISHING && free > 0 && (this.executing === 0 || free * 2 >= capacity)) {
        // Woken by a finished task: let its outcome be published first.
        if (waited) await new Promise<void>((resolve) => setImmediate(resolve));
        return free;
      }
      waited = true;
      await new Promise<void>((resolve) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        this.wakeFetch = () => {
          clearTimeout(timer);
          resolve();
        };
        // No process is up (all restarting), or a process may come up again without a task
        // ending (a restart tells nobody): look again soon.
        if (capacity === 0 || deferred) timer = setTimeout(resolve, RECHECK_MS);
      });
    }
  }

  private notify(): void {
    const wake = this.wakeFetch;
    this.wakeFetch = undefined;
    wake?.();
  }

  /**
   * A task handed straight to this unit: begun while a process is idle, or while short tasks are
   * sent ahead and one runs a single task (the usual case of a sync caller's next call: its previous
   * result went out before the process said it was done); else it goes back to be enqueued.
   */
  private takeHandOff(delivery: Delivery): boolean {
    if (this.abort.signal.aborted || !this.deps.pool.takesNext() || this.finishing >= MAX_FINISHING) return false;
    this.begin(delivery);
    return true;
  }

  /** Hand a reservation back to the broker (stopping). */
  private release(delivery: Delivery): Promise<void> {
    return this.deps.broker.release(delivery).catch((err: unknown) => this.report('giving a task back', err));
  }

  /** `release`, for a delivery never begun: `stop()` waits for it all the same. */
  private giveBack(delivery: Delivery): void {
    const given: Promise<void> = this.release(delivery).finally(() => this.tasks.delete(given));
    this.tasks.add(given);
  }

  private begin(delivery: Delivery): void {
    const r: Reserved = { startTime: 0, startedAt: 0, marked: undefined };
    this.reserved.set(delivery, r);
    this.executing += 1;
    const done = this.execute(delivery, r)
      .finally(() => {
        this.executing -= 1;
        this.notify();
      })
      .then(async (outcome) => {
        // Stopping: not run to its end here; ready again at once for another consumer.
        if (!outcome) return this.release(delivery);
        this.finishing += 1;
        try {
          await this.finish(delivery, outcome);
        } finally {
          this.finishing -= 1;
          this.notify();
        }
      })
      .catch((err: unknown) => this.report('running a task', err))
      .finally(() => {
        this.reserved.delete(delivery);
        this.tasks.delete(done);
      });
    this.tasks.add(done);
  }

  /** Marks tasks running longer than RUNNING_MARK_MS; one timer per unit, armed while tasks run. */
  private armMarks(): void {
    if (this.markTimer) return;
    this.markTimer = setTimeout(() => {
      this.markTimer = undefined;
      const now = Date.now();
      let pending = false;
      for (const [d, r] of this.reserved) {
        if (r.startedAt <= 0 || r.marked) continue;
        if (now - r.startedAt >= RUNNING_MARK_MS) {
          r.marked = storeTaskState(this.deps.store.taskRecords, d.task, { status: 'running', startTimeMs: r.startTime, attempt: d.attempt }).catch((err: unknown) =>
            this.report('marking a task running', err),
          );
        } else {
          pending = true;
        }
      }
      if (pending) this.armMarks();
    }, RUNNING_MARK_MS);
  }

  /**
   * Run the task; undefined when stopping killed the process under it or it never reached one
   * (it is given back to the broker and runs again elsewhere or after the restart).
   */
  private async execute(delivery: Delivery, r: Reserved): Promise<TaskOutcome | undefined> {
    const deadline = startDeadline(delivery.task, delivery.attempt, this.deps.visibilityTimeoutMs ?? BROKER_DEFAULTS.visibilityTimeoutMs);
    // The pool and Python check the expiry again (a task waiting in the pool): the same deadline.
    const task = deadline === delivery.task.expiresAt ? delivery.task : { ...delivery.task, expiresAt: deadline };
    const expired = (): TaskOutcome | undefined => {
      const at = this.now();
      if (task.expiresAt >= at) return undefined;
      const exception = `not started before it expired at ${new Date(task.expiresAt).toISOString()}`;
      return { status: 'expired', printLogs: [], reason: 'EFuncExpired', exception, startTime: at, endTime: at };
    };
    const startTime = this.now();
    const late = expired();
    if (late) return late;
    // A task still running after RUNNING_MARK_MS is marked `running`; a short one goes from
    // queued straight to its outcome, one write instead of two.
    let outcome: TaskOutcome;
    try {
      // While the store does not answer, the task keeps its reservation and waits for it.
      const script = await this.storeOutage
        .retry('looking up a script', () => this.deps.catalog.script(task.scriptId, task.draft === true, task.codeVersion, task.publishedAt))
        .catch((err: unknown) => {
          // Stopped while waiting for the store: not started, given back.
          if (this.abort.signal.aborted) return undefined;
          throw new StepError('looking up a script', err);
        });
      // Stopped while the script was looked up: not started, given back.
      if (this.abort.signal.aborted || script === undefined) return undefined;
      // It may have expired while it waited for the store.
      const lateNow = expired();
      if (lateNow) return lateNow;
      if (!script) {
        return {
          status: 'failure',
          printLogs: [],
          reason: 'EFuncFailed',
          exceptionType: 'ScriptNotFound',
          exception: `script ${task.scriptId} is not published`,
          startTime,
          endTime: this.now(),
        };
      }
      outcome = await this.deps.pool.run(
        task,
        script.md5,
        (t) => {
          r.startedAt = t;
          r.startTime = this.now();
          this.armMarks();
        },
        delivery.replyTo,
      );
    } finally {
      // Also when the catalog or the pool throws: no `running` mark for a task that is not running.
      r.startedAt = -1;
    }
    outcome.startTime ??= startTime;
    // Stopping killed the process under the task (or it never reached one): not finished here.
    if (this.abort.signal.aborted && outcome.reason === 'EWorkerNoResponse') return undefined;
    if (r.marked) await r.marked;
    return outcome;
  }

  /**
   * A waiting caller gets the outcome first (it is on the critical path of a sync call); then
   * the record is stored and only then the task acked: a crash before the ack runs it again.
   */
  private async finish(delivery: Delivery, outcome: TaskOutcome): Promise<void> {
    const { task } = delivery;
    const { store, broker } = this.deps;
    const retry = planRetry(task, outcome, this.now());
    if (retry) {
      // Not final: the record waits for the next attempt (its message kept, so an embedded
      // stack's restart queues it again), and a waiting caller keeps waiting. The next attempt
      // has no delivery yet (the broker starts it at none; a recovery re-enqueues it so too).
      const history = retry.next.retryHistory ?? [];
      const patch = { status: 'queued' as const, attemptsJSON: history, messageJSON: storedMessage(retry.next), attempt: 0 };
      await step(
        'storing an outcome',
        this.storeOutage.retry('storing an outcome', () => storeTaskState(store.taskRecords, task, patch)),
      );
      await step('queueing a retry', broker.retry(delivery, retry.next));
      this.tasksDone += 1;
      this.deps.onFinished?.(task, outcome);
      return;
    }
    // The Python process may have answered the caller already (`replied`).
    const published = task.waitResult && outcome.replied !== true ? broker.publishResult({ taskId: task.id, payload: outcome }) : Promise.resolve();
    // Both settle before either failure is thrown (a publish failing while the write is in flight
    // must not become an unhandled rejection); nothing is acked unless both succeeded. A write
    // failing while the store is down is tried again until it answers (the outcome kept here,
    // the reservation renewed): the task is not run again for it.
    const patch = outcomePatch(outcome, delivery.attempt);
    if (task.retryHistory) patch.attemptsJSON = task.retryHistory;
    const storing = this.storeOutage.retry('storing an outcome', () => storeTaskState(store.taskRecords, task, patch));
    const [stored, sent] = await Promise.allSettled([storing, step('sending a result', published)]);
    if (stored.status === 'rejected') throw new StepError('storing an outcome', stored.reason);
    this.deps.live?.end(task, outcome.status);
    if (sent.status === 'rejected') throw sent.reason;
    if (retriesExhausted(task, outcome))
      await step('burying a task', broker.bury(delivery, `retries used up: ${(task.retryHistory?.length ?? 0) + 1} attempts, the last ${outcome.status}`));
    else await step('acking a task', broker.ack(delivery));
    this.tasksDone += 1;
    this.deps.onFinished?.(task, outcome);
    await step<unknown>('trimming task records', this.deps.retention?.after(task) ?? Promise.resolve());
  }

  /**
   * Stop reserving; tasks waiting in the pool go back to the broker at once, those sent to a
   * process run to their end (the caller kills the pool after its grace period: what still runs
   * then goes back to the broker too, ready again at once).
   */
  async stop(): Promise<void> {
    if (this.deps.handOffSlots !== undefined) this.deps.broker.serveHandOffs?.(undefined);
    this.abort.abort();
    // What waits in the pool, not sent to a process yet, goes back to the broker now.
    this.deps.pool.dropWaiting();
    this.notify();
    await this.fetching?.catch(() => undefined);
    // What reached the pool while the fetch loop was ending.
    this.deps.pool.dropWaiting();
    // Reservations are still kept alive meanwhile: a task running through the grace period must
    // not be delivered again under it.
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
    clearInterval(this.keepReserved);
    clearTimeout(this.markTimer);
    this.fetching = undefined;
  }
}
