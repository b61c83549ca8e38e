/** Writing a task's state into its record, whether or not the server stored one first. */
import { DuplicateIdError, type TaskRecordOps, type TaskRecordRow } from '../ports/store.js';
import { queuedRecord } from './task-record.js';
import type { TaskMessage } from './task.js';

/**
 * Update the record; for a task recorded by its worker (no queued row) insert it whole, falling
 * back to an update when an earlier step or attempt inserted it already.
 */
export async function storeTaskState(records: TaskRecordOps, task: TaskMessage, patch: Partial<TaskRecordRow>): Promise<void> {
  if (!task.recordedByWorker) return records.update(task.id, patch);
  try {
    await records.insert({ ...queuedRecord(task), messageJSON: null, ...patch });
  } catch (err) {
    if (!(err instanceof DuplicateIdError)) throw err;
    await records.update(task.id, patch);
  }
}
