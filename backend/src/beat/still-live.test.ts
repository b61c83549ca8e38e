import { describe, expect, it } from 'vitest';
import type { OriginActivity } from '../domain/ports/store.js';
import { STALE_RUN_GRACE_MS, stillLive } from './beat.js';

const run = (over: Partial<OriginActivity>): OriginActivity => ({ id: 'r', originId: 'job', triggerTimeMs: 0, status: 'queued', startTimeMs: null, timeoutMs: 30_000, ...over });

describe("whether a cron job's previous run still holds the next one back", () => {
  it('a queued run: until its expiry, its timeout and the grace have passed', () => {
    const end = 900_000 + 30_000 + STALE_RUN_GRACE_MS;
    expect(stillLive(run({}), 900_000, end)).toBe(true);
    expect(stillLive(run({}), 900_000, end + 1)).toBe(false);
  });

  it('a running run: until its timeout from its start and the grace have passed, whatever its expiry', () => {
    const r = run({ status: 'running', startTimeMs: 2_000_000 });
    expect(stillLive(r, 900_000, 2_000_000 + 30_000 + STALE_RUN_GRACE_MS)).toBe(true);
    expect(stillLive(r, 900_000, 2_000_000 + 30_000 + STALE_RUN_GRACE_MS + 1)).toBe(false);
  });
});
