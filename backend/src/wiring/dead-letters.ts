/** A task moved to the dead letters ends its record as a failure, so nothing vanishes silently. */
import type { Store } from '../domain/ports/store.js';
import { deadLetteredOutcome } from '../domain/tasks/recover-lost.js';
import { storeTaskState } from '../domain/tasks/store-outcome.js';
import type { DeadLetterEntry } from '../domain/ports/broker.js';

export function markDeadLetter(store: Store, now: () => number): (entry: DeadLetterEntry) => void {
  return (entry) => {
    void storeTaskState(store.taskRecords, entry.task, { ...deadLetteredOutcome(entry), endTimeMs: now() }).catch(() => undefined);
  };
}
