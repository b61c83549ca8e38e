/**
 * A worker unit: listens to its queues and runs tasks in its pool of Python processes, one
 * consumer loop per process. Outcome stored before the ack (at-least-once); a waiting sync
 * caller gets the outcome pushed.
 */
import type { Broker, Delivery } from '../domain/ports/broker.js';
import type { FuncRunnerPool } from '../domain/ports/runner.js';
import type { Store } from '../domain/ports/store.js';
import type { FuncCatalog } from '../domain/scripts/func-catalog.js';
import { storeTaskState } from '../domain/tasks/store-outcome.js';
import { outcomePatch } from '../domain/tasks/task-record.js';
import type { TaskOutcome } from '../domain/tasks/task.js';
import type { TaskRecordRetention } from '../domain/tasks/retention.js';

/** A task running longer than this is marked `running` in its record. */
export const RUNNING_MARK_MS = 50;
/** Finished tasks whose record write and ack may be in flight at once, per unit. */
export const MAX_FINISHING = 64;

export interface WorkerUnitDeps {
  name: string;
  queues: readonly number[];
  processes: number;
  broker: Broker;
  store: Store;
  pool: FuncRunnerPool;
  catalog: FuncCatalog;
  now?: () => number;
  /** Called with errors that are not a task's own (store down, broker down). */
  onError?: (err: unknown) => void;
  /** Trims task records per origin after each outcome. */
  retention?: TaskRecordRetention;
  /** Re-extend reservations of running tasks this often. */
  extendEveryMs?: number;
  /** Where this unit runs (`host:pid`), part of each consumer id in a task's delivery history. */
  instance?: string;
}

export class WorkerUnit {
  private readonly abort = new AbortController();
  private loops: Promise<void>[] = [];
  private tasksDone = 0;
  private readonly finishing = new Set<Promise<void>>();
  /** Tasks reserved for this unit that no process has started yet. */
  private readonly buffer: Delivery[] = [];
  private fetching: Promise<void> | undefined;
  /** Loops waiting for a task (the most one reserve call takes). */
  private idle = 0;
  private keepBuffered: ReturnType<typeof setInterval> | undefined;
  private readonly now: () => number;

  constructor(private readonly deps: WorkerUnitDeps) {
    this.now = deps.now ?? Date.now;
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
    for (let i = 0; i < this.deps.processes; i++) this.loops.push(this.loop(`${this.deps.name}${at}#${i}`));
    // A buffered task waits at most for a running one to end; keep its reservation alive meanwhile.
    this.keepBuffered = setInterval(() => {
      for (const d of this.buffer) void this.deps.broker.extend(d).catch(() => undefined);
    }, this.deps.extendEveryMs ?? 20_000);
  }

  private async loop(consumerId: string): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      let delivery: Delivery | null = null;
      try {
        delivery = await this.next(consumerId, signal);
        if (!delivery) continue;
        const outcome = await this.execute(delivery);
        // The process is free again: take the next task while this one's record write and ack
        // go out (batched with the other loops' by the record batcher).
        if (outcome) await this.track(this.finish(delivery, outcome));
      } catch (err) {
        this.deps.onError?.(err);
        if (!signal.aborted) await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /**
   * The next task for a loop: from the unit's buffer, else one reserve call for the whole unit
   * that takes up to one task per idle loop (one round trip feeds every idle process when the
   * queues are full; nothing is reserved for a process that is busy). Loops wait for a call in
   * flight rather than send their own.
   */
  private async next(consumerId: string, signal: AbortSignal): Promise<Delivery | null> {
    this.idle += 1;
    try {
      for (;;) {
        const buffered = this.buffer.shift();
        if (buffered) return buffered;
        if (signal.aborted) return null;
        if (this.fetching) {
          await this.fetching;
          continue;
        }
        const fetching = this.deps.broker.reserveBatch(this.deps.queues, consumerId, this.idle, 5000, signal);
        this.fetching = fetching.then(() => undefined, () => undefined);
        try {
          const [mine, ...rest] = await fetching;
          this.buffer.push(...rest);
          return mine ?? null;
        } finally {
          this.fetching = undefined;
        }
      }
    } finally {
      this.idle -= 1;
    }
  }

  /** Run one delivered task to its stored outcome. */
  async handle(delivery: Delivery): Promise<void> {
    const outcome = await this.execute(delivery);
    if (outcome) await this.finish(delivery, outcome);
  }

  /** Finishing tasks beyond MAX_FINISHING make the loops wait (backpressure when the store is slow). */
  private async track(finishing: Promise<void>): Promise<void> {
    const tracked = finishing.catch((err: unknown) => this.deps.onError?.(err)).finally(() => this.finishing.delete(tracked));
    this.finishing.add(tracked);
    while (this.finishing.size >= MAX_FINISHING) await Promise.race(this.finishing);
  }

  /**
   * Run the task; undefined when stopping killed the process under it (it stays unacked and runs
   * again after the restart).
   */
  private async execute(delivery: Delivery): Promise<TaskOutcome | undefined> {
    const { task } = delivery;
    const { store, broker } = this.deps;
    let outcome: TaskOutcome;
    const startTime = this.now();
    if (task.expiresAt < startTime) {
      outcome = { status: 'expired', printLogs: [], reason: 'EFuncExpired', exception: `not started before it expired at ${new Date(task.expiresAt).toISOString()}`, startTime, endTime: startTime };
    } else {
      // A task still running after RUNNING_MARK_MS is marked `running`; a short one goes from
      // queued straight to its outcome, one write instead of two.
      let markedRunning: Promise<void> | undefined;
      const markRunning = setTimeout(() => {
        markedRunning = storeTaskState(store.taskRecords, task, { status: 'running', startTimeMs: startTime, attempt: delivery.attempt }).catch((err: unknown) => this.deps.onError?.(err));
      }, RUNNING_MARK_MS);
      try {
        const script = await this.deps.catalog.script(task.scriptId, task.draft === true);
        if (!script) {
          outcome = { status: 'failure', printLogs: [], reason: 'EFuncFailed', exceptionType: 'ScriptNotFound', exception: `script ${task.scriptId} is not published`, startTime, endTime: this.now() };
        } else {
          const keepAlive = setInterval(() => void broker.extend(delivery).catch(() => undefined), this.deps.extendEveryMs ?? 20_000);
          try {
            outcome = await this.deps.pool.run(task, script.md5);
          } finally {
            clearInterval(keepAlive);
          }
          outcome.startTime ??= startTime;
          // Stopping killed the process under the task: leave it unfinished so it runs again after the restart.
          if (this.abort.signal.aborted && outcome.reason === 'EWorkerNoResponse') return undefined;
        }
      } finally {
        // Also when the catalog or the pool throws: no `running` mark for a task that is not running.
        clearTimeout(markRunning);
      }
      if (markedRunning) await markedRunning;
    }
    return outcome;
  }

  /**
   * A waiting caller gets the outcome first (it is on the critical path of a sync call); then
   * the record is stored and only then the task acked: a crash before the ack runs it again.
   */
  private async finish(delivery: Delivery, outcome: TaskOutcome): Promise<void> {
    const { task } = delivery;
    const { store, broker } = this.deps;
    const published = task.waitResult ? broker.publishResult({ taskId: task.id, payload: outcome }) : Promise.resolve();
    // Both settle before either failure is thrown (a publish failing while the write is in flight
    // must not become an unhandled rejection); nothing is acked unless both succeeded.
    const [stored, sent] = await Promise.allSettled([storeTaskState(store.taskRecords, task, outcomePatch(outcome, delivery.attempt)), published]);
    if (stored.status === 'rejected') throw stored.reason;
    if (sent.status === 'rejected') throw sent.reason;
    await broker.ack(delivery);
    this.tasksDone += 1;
    await this.deps.retention?.after(task);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    clearInterval(this.keepBuffered);
    // Tasks still buffered stay reserved and unacked: delivered again after the visibility timeout.
    this.buffer.length = 0;
    await Promise.allSettled(this.loops);
    await Promise.allSettled(this.finishing);
    this.loops = [];
  }
}
