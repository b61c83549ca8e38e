/**
 * Retries: a task that failed or timed out (a memory kill is a failure) and has retries left
 * runs again on the same queue after an exponential back-off with jitter; each failed attempt is
 * kept in the record's history, and the last failure goes to the dead letters.
 */
import type { TaskAttempt } from '../ports/store.js';
import { capExceptionType, capNullableText } from './record-bounds.js';
import type { TaskMessage, TaskOutcome } from './task.js';

export const MAX_RETRIES = 10;
export const DEFAULT_RETRY_BACKOFF_MS = 1000;
/** No wait between attempts is longer than this. */
export const MAX_RETRY_DELAY_MS = 3_600_000;
/** The jitter: a delay is the back-off × 2^(n-1) × a factor in [1 - JITTER, 1 + JITTER). */
export const RETRY_JITTER = 0.25;

/** The wait before retry `n` (1 = the first retry); `random` in [0, 1). */
export function retryDelayMs(backoffMs: number, n: number, random: () => number): number {
  const base = backoffMs * 2 ** (n - 1);
  return Math.min(MAX_RETRY_DELAY_MS, Math.round(base * (1 - RETRY_JITTER + 2 * RETRY_JITTER * random())));
}

const RETRYABLE = new Set<TaskOutcome['status']>(['failure', 'timeout']);

/** Failed attempts so far, this one included, when it is one to retry. */
export function isRetryable(task: TaskMessage, outcome: TaskOutcome): boolean {
  return (task.retry ?? 0) > 0 && RETRYABLE.has(outcome.status);
}

export interface RetryPlan {
  /** The next attempt's message: delayed to its eta, the history of failed attempts carried along. */
  next: TaskMessage;
  attempt: TaskAttempt;
}

/** What follows a finished attempt: the next one, or null when it succeeded, cannot be retried, or has no retries left. */
export function planRetry(task: TaskMessage, outcome: TaskOutcome, now: number, random: () => number = Math.random): RetryPlan | null {
  if (!isRetryable(task, outcome)) return null;
  const history = task.retryHistory ?? [];
  const n = history.length + 1;
  if (n > Math.min(task.retry ?? 0, MAX_RETRIES)) return null;
  const eta = now + retryDelayMs(task.retryBackoffMs ?? DEFAULT_RETRY_BACKOFF_MS, n, random);
  const attempt: TaskAttempt = {
    attempt: n,
    status: outcome.status,
    startTimeMs: outcome.startTime ?? null,
    endTimeMs: outcome.endTime ?? now,
    exceptionType: capExceptionType(outcome.exceptionType),
    exceptionTEXT: capNullableText(outcome.exception),
    reason: outcome.reason ?? null,
    retryAtMs: eta,
  };
  // The window to start in is the original one, counted from the new eta.
  const window = task.expiresAt - (task.eta ?? task.triggerTime);
  const { attempt: _deliveries, ...rest } = task;
  return { next: { ...rest, eta, expiresAt: eta + window, retryHistory: [...history, attempt] }, attempt };
}

/** Retries were allowed and are used up: the last failure goes to the dead letters. */
export function retriesExhausted(task: TaskMessage, outcome: TaskOutcome): boolean {
  return isRetryable(task, outcome) && (task.retryHistory?.length ?? 0) >= Math.min(task.retry ?? 0, MAX_RETRIES);
}
