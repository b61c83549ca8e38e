/**
 * After a restart with the embedded broker, tasks that were queued or running when the process
 * stopped are enqueued again from their task records (at-least-once: a running task runs again).
 * Every one of them, `batch` records at a time (keyset pages per status): a single read of 10,000
 * left the others `queued` for ever after a stop with more waiting.
 */
import type { Broker } from '../domain/ports/broker.js';
import type { Store } from '../domain/ports/store.js';
import { forEachPage } from '../domain/tasks/recover-lost.js';
import type { TaskMessage } from '../domain/tasks/task.js';

export async function recoverUnfinished(store: Store, broker: Broker, batch = 10_000): Promise<number> {
  let count = 0;
  // The queued ones first: a running one is set back to queued, which the queued pages must not see again.
  for (const status of ['queued', 'running'] as const) {
    await forEachPage(
      store.taskRecords,
      status,
      Number.MAX_SAFE_INTEGER,
      async (page) => {
        for (const record of page) {
          if (!record.messageJSON) continue;
          const task = record.messageJSON as unknown as TaskMessage;
          if (status === 'running') await store.taskRecords.update(record.id, { status: 'queued' });
          await broker.enqueue({ ...task, waitResult: false, attempt: record.attempt });
          count += 1;
        }
      },
      batch,
    );
  }
  return count;
}
