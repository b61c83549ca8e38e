/** A task moved to the dead letters ends its record as a failure, so nothing vanishes silently. */
import type { Store } from '../domain/ports/store.js';
import { storeTaskState } from '../domain/tasks/store-outcome.js';
import type { DeadLetterEntry } from '../domain/ports/broker.js';

export function markDeadLetter(store: Store, now: () => number): (entry: DeadLetterEntry) => void {
  return ({ task, attempts }) => {
    const reason = `dead-lettered after ${attempts} deliveries without an outcome`;
    void storeTaskState(store.taskRecords, task, { status: 'failure', reason: 'EWorkerNoResponse', exceptionTEXT: reason, endTimeMs: now(), messageJSON: null }).catch(
      () => undefined,
    );
  };
}
