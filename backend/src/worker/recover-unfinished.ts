/**
 * After a restart with the embedded broker, tasks that were queued or running when the process
 * stopped are enqueued again from their task records (at-least-once: a running task runs again).
 */
import type { Broker } from '../domain/ports/broker.js';
import type { Store } from '../domain/ports/store.js';
import type { TaskMessage } from '../domain/tasks/task.js';

export async function recoverUnfinished(store: Store, broker: Broker, batch = 10_000): Promise<number> {
  let count = 0;
  for (const record of await store.taskRecords.unfinished(batch)) {
    if (!record.messageJSON) continue;
    const task = record.messageJSON as unknown as TaskMessage;
    await store.taskRecords.update(record.id, { status: 'queued' });
    await broker.enqueue({ ...task, waitResult: false, attempt: record.attempt });
    count += 1;
  }
  return count;
}
