/** Running a dead letter again: a new task (new id, linked by replayOf) from the message as it was queued. */
import { newTaskId } from '../ids.js';
import type { TaskMessage } from './task.js';

export function requeuedTask(original: TaskMessage, now: number): TaskMessage {
  // Nobody waits for it, no delivery or retry counted yet, no direct reply route; its start window as the original's.
  const { attempt: _attempt, retryHistory: _history, eta: _eta, waitResult: _wait, recordedByWorker: _recorded, ...rest } = original as TaskMessage & { replyTo?: unknown };
  delete (rest as { replyTo?: unknown }).replyTo;
  const window = original.expiresAt - (original.eta ?? original.triggerTime);
  return { ...rest, id: newTaskId(now), triggerTime: now, expiresAt: now + Math.max(window, 0), replayOf: original.id };
}
