/**
 * Submitting tasks: the record is stored before the task is enqueued, so a task id is
 * queryable the moment it is returned and an embedded broker can recover it after a restart.
 */
import { badField } from '../../../../contract/errors.js';
import { pythonJsonDumps } from '../../../../contract/signing.js';
import { md5Hex } from '../ids.js';
import type { Broker, FuncCache } from '../ports/broker.js';
import type { Store, TaskRecordRow } from '../ports/store.js';
import { queuedRecord } from './task-record.js';
import type { TaskMessage, TaskOutcome } from './task.js';

/** Records per multi-row INSERT of submitMany (a record has ~25 columns; MySQL takes 65,535 placeholders). */
const RECORDS_PER_WRITE = 500;

/** How long a sync caller waits: min(timeout, 180 s) + 10 s (DataFlux Func's bound). */
export function syncWaitMs(task: TaskMessage): number {
  return Math.min(task.timeoutMs, 180_000) + 10_000;
}

/**
 * A sync caller waits min(timeout, 180 s) + 10 s from now: a task put off (eta or delay) beyond
 * the 10 s margin would only end in EWorkerNoResponse, so it is refused, naming the option
 * (`<optionsField>.eta` when an eta was given, else `.delay`).
 */
export function refuseLateSyncStart(task: TaskMessage, now: number, optionsField: string, etaGiven: boolean): void {
  if (task.eta === undefined || task.eta - now <= syncWaitMs(task) - Math.min(task.timeoutMs, 180_000)) return;
  throw badField(`${optionsField}.${etaGiven ? 'eta' : 'delay'}`, 'a sync call can be put off by at most 10 s (it waits for the result); use options.async for longer');
}

export class TaskDispatcher {
  constructor(
    private readonly store: Store,
    private readonly broker: Broker,
    /** Keeps results of functions with `cache_result` (sync calls only). */
    private readonly cache?: FuncCache,
  ) {}

  private cacheKey(task: TaskMessage): string {
    return `func:result-cache:${task.funcId}:${task.publishedAt ?? ''}:${md5Hex(pythonJsonDumps(task.kwargs))}`;
  }

  /**
   * Record, then enqueue; answers the task's place in its queue (see `Broker.enqueue`). An
   * enqueue that fails ends the record (`endNotEnqueued`) before the error goes on to the caller.
   */
  async submit(task: TaskMessage): Promise<number | null> {
    await this.store.taskRecords.insert(queuedRecord(task));
    return this.enqueueRecorded(task);
  }

  private async enqueueRecorded(task: TaskMessage): Promise<number | null> {
    try {
      return await this.broker.enqueue(task);
    } catch (err) {
      await this.endNotEnqueued(task, err);
      throw err;
    }
  }

  /**
   * The caller is told the task was refused, so its record must not say it waits: it ends as a
   * failure naming the broker's error. Should the enqueue have reached the broker after all (its
   * reply lost), the worker that runs it stores the real outcome over this one.
   */
  private async endNotEnqueued(task: TaskMessage, err: unknown): Promise<void> {
    const e = err instanceof Error ? err : new Error(String(err));
    const code = (e as { code?: unknown }).code;
    await this.store.taskRecords
      .update(task.id, {
        status: 'failure',
        reason: code === 'ERedisUnavailable' ? code : 'ESys',
        exceptionType: e.name,
        exceptionTEXT: `not enqueued, the task never ran: ${e.message}`,
        endTimeMs: Date.now(),
        messageJSON: null,
      })
      // The store may be unreachable too: the broker's error is the one the caller gets.
      .catch(() => undefined);
  }

  /**
   * submit() for many tasks at once (the beat's due jobs): the records in multi-row writes, with
   * `alsoRecord` (records of runs not enqueued, e.g. skipped ones) after the tasks', and each
   * write's tasks enqueued as soon as it is done, in flight together while the next write runs:
   * every task is recorded before it is enqueued, and the first of a burst do not wait for the
   * records of the last. Resolves once every enqueue is done; the first failure rejects it.
   */
  async submitMany(tasks: readonly TaskMessage[], alsoRecord: readonly TaskRecordRow[] = []): Promise<void> {
    const records = [...tasks.map(queuedRecord), ...alsoRecord];
    const enqueues: Promise<unknown>[] = [];
    let writeFailed: { error: unknown } | undefined;
    try {
      for (let i = 0; i < records.length; i += RECORDS_PER_WRITE) {
        await this.store.taskRecords.writeBatch(records.slice(i, i + RECORDS_PER_WRITE), []);
        for (const task of tasks.slice(i, i + RECORDS_PER_WRITE)) enqueues.push(this.enqueueRecorded(task));
      }
    } catch (error) {
      writeFailed = { error };
    }
    // A failed write still waits for the enqueues already started: none is left running behind it.
    const settled = await Promise.allSettled(enqueues);
    if (writeFailed) throw writeFailed.error;
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Submit and wait for the outcome; null when no worker answered within the bound. */
  async call(task: TaskMessage, waitMs: number = syncWaitMs(task)): Promise<TaskOutcome | null> {
    const cacheFor = this.cache && !task.draft ? task.cacheResultSeconds : undefined;
    if (cacheFor) {
      const hit = await this.cache!.command('get', [this.cacheKey(task)]);
      if (typeof hit === 'string') return { ...(JSON.parse(hit) as TaskOutcome), cached: true };
    }
    const outcome = await this.run(task, waitMs);
    if (cacheFor && outcome?.status === 'success') {
      await this.cache!.command('set', [this.cacheKey(task), JSON.stringify({ ...outcome, printLogs: [] }), cacheFor, false]);
    }
    return outcome;
  }

  private async run(task: TaskMessage, waitMs: number): Promise<TaskOutcome | null> {
    task.waitResult = true;
    const waiter = this.broker.waitResult(task.id, waitMs);
    try {
      // On a durable broker a sync task survives a crash there, and no id is returned to query:
      // its record is the worker's to write, off the caller's critical path. The embedded
      // broker keeps nothing across a restart, so there the queued record comes first.
      if (this.broker.durable) {
        task.recordedByWorker = true;
        await this.broker.enqueue(task);
      } else await this.submit(task);
    } catch (err) {
      waiter.cancel();
      throw err;
    }
    const result = await waiter.promise;
    return result ? (result.payload as TaskOutcome) : null;
  }
}
