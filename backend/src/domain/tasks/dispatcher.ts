/**
 * Submitting tasks: the record is stored before the task is enqueued, so a task id is
 * queryable the moment it is returned and an embedded broker can recover it after a restart.
 */
import type { Broker } from '../ports/broker.js';
import type { Store } from '../ports/store.js';
import { queuedRecord } from './task-record.js';
import type { TaskMessage, TaskOutcome } from './task.js';

/** How long a sync caller waits: min(timeout, 180 s) + 10 s (DataFlux Func's bound). */
export function syncWaitMs(task: TaskMessage): number {
  return Math.min(task.timeoutMs, 180_000) + 10_000;
}

export class TaskDispatcher {
  constructor(
    private readonly store: Store,
    private readonly broker: Broker,
  ) {}

  async submit(task: TaskMessage): Promise<void> {
    await this.store.taskRecords.insert(queuedRecord(task));
    await this.broker.enqueue(task);
  }

  /** Submit and wait for the outcome; null when no worker answered within the bound. */
  async call(task: TaskMessage, waitMs: number = syncWaitMs(task)): Promise<TaskOutcome | null> {
    task.waitResult = true;
    const waiter = this.broker.waitResult(task.id, waitMs);
    try {
      await this.submit(task);
    } catch (err) {
      waiter.cancel();
      throw err;
    }
    const result = await waiter.promise;
    return result ? (result.payload as TaskOutcome) : null;
  }
}
