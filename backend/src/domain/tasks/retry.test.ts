import { describe, expect, it } from 'vitest';
import { MAX_RETRY_DELAY_MS, planRetry, retriesExhausted, retryDelayMs } from './retry.js';
import type { TaskMessage, TaskOutcome } from './task.js';

const failed: TaskOutcome = { status: 'failure', printLogs: [], exceptionType: 'ValueError', exception: 'boom', reason: 'EFuncFailed', startTime: 1000, endTime: 1100 };
const ok: TaskOutcome = { status: 'success', printLogs: [], result: 1 };

describe('retryDelayMs', () => {
  it('doubles the back-off each retry, within the jitter', () => {
    expect(retryDelayMs(1000, 1, () => 0.5)).toBe(1000);
    expect(retryDelayMs(1000, 2, () => 0.5)).toBe(2000);
    expect(retryDelayMs(1000, 3, () => 0.5)).toBe(4000);
    expect(retryDelayMs(1000, 3, () => 0)).toBe(3000);
    expect(retryDelayMs(1000, 3, () => 0.999999)).toBe(5000);
  });
  it('never waits longer than the cap', () => {
    expect(retryDelayMs(3_600_000, 10, () => 0.9)).toBe(MAX_RETRY_DELAY_MS);
  });
});

describe('planRetry', () => {
  const task: TaskMessage = {
    id: 't1',
    funcId: 's__m.f',
    scriptId: 's__m',
    funcName: 'f',
    kwargs: {},
    origin: 'asyncAPI',
    originId: 'a1',
    queue: 1,
    timeoutMs: 1000,
    triggerTime: 0,
    expiresAt: 30_000,
    attempt: 3,
    retry: 2,
    retryBackoffMs: 500,
  };

  it('plans the next attempt after a failure: delayed, history kept, expiry window moved, deliveries reset', () => {
    const plan = planRetry(task, failed, 10_000, () => 0.5)!;
    expect(plan.next.eta).toBe(10_500);
    expect(plan.next.expiresAt).toBe(10_500 + 30_000);
    expect(plan.next.id).toBe('t1');
    expect(plan.next.attempt).toBeUndefined();
    expect(plan.next.retryHistory).toEqual([
      { attempt: 1, status: 'failure', startTimeMs: 1000, endTimeMs: 1100, exceptionType: 'ValueError', exceptionTEXT: 'boom', reason: 'EFuncFailed', retryAtMs: 10_500 },
    ]);
    const second = planRetry(plan.next, { ...failed, status: 'timeout' }, 20_000, () => 0.5)!;
    expect(second.next.eta).toBe(21_000);
    expect(second.next.retryHistory?.map((a) => a.status)).toEqual(['failure', 'timeout']);
    expect(planRetry(second.next, failed, 30_000)).toBeNull();
    expect(retriesExhausted(second.next, failed)).toBe(true);
  });

  it('does not retry a success, an expiry, or a task without retries', () => {
    expect(planRetry(task, ok, 0)).toBeNull();
    expect(planRetry(task, { status: 'expired', printLogs: [] }, 0)).toBeNull();
    expect(planRetry({ ...task, retry: 0 }, failed, 0)).toBeNull();
    expect(retriesExhausted({ ...task, retry: 0 }, failed)).toBe(false);
    expect(retriesExhausted(task, ok)).toBe(false);
  });
});
