import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, restartDelay } from './backoff.js';

describe('restartDelay', () => {
  it('doubles up to the cap, then gives up', () => {
    const p = { baseMs: 100, maxMs: 500, maxAttempts: 5, stableMs: 1000 };
    expect([0, 1, 2, 3, 4].map((a) => restartDelay(p, a))).toEqual([100, 200, 400, 500, 500]);
    expect(restartDelay(p, 5)).toBeNull();
  });
  it('has sane defaults', () => {
    expect(restartDelay(DEFAULT_BACKOFF, 0)).toBe(500);
  });
});
