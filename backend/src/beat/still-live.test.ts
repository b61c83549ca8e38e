import { describe, expect, it } from 'vitest';
import type { OriginActivity } from '../domain/ports/store.js';
import { STALE_RUN_GRACE_MS, staleGraceMs, stillLive } from './beat.js';

const run = (over: Partial<OriginActivity>): OriginActivity => ({
  id: 'r',
  originId: 'job',
  triggerTimeMs: 0,
  status: 'queued',
  startTimeMs: null,
  timeoutMs: 30_000,
  startsBefore: null,
  ...over,
});

describe("whether a cron job's previous run still holds the next one back", () => {
  it('grants every delivery but the last its timeout and a visibility timeout, at least 5 minutes', () => {
    expect(staleGraceMs(30_000)).toBe(5 * (60_000 + 30_000));
    expect(staleGraceMs(0)).toBe(STALE_RUN_GRACE_MS);
  });

  it('a queued run: until its expiry (from its fire, without a message), its timeout and the grace have passed', () => {
    const end = 900_000 + 30_000 + staleGraceMs(30_000);
    expect(stillLive(run({}), 900_000, end)).toBe(true);
    expect(stillLive(run({}), 900_000, end + 1)).toBe(false);
  });

  it("a queued run waiting for a retry: until its next attempt's own start limit from its message", () => {
    const retryAt = 3_600_000;
    const r = run({ startsBefore: retryAt });
    expect(stillLive(r, 900_000, retryAt + 30_000 + staleGraceMs(30_000))).toBe(true);
    expect(stillLive(r, 900_000, retryAt + 30_000 + staleGraceMs(30_000) + 1)).toBe(false);
  });

  it('a running run: until its timeout from its start and the grace have passed, whatever its expiry', () => {
    const r = run({ status: 'running', startTimeMs: 2_000_000 });
    expect(stillLive(r, 900_000, 2_000_000 + 30_000 + staleGraceMs(30_000))).toBe(true);
    expect(stillLive(r, 900_000, 2_000_000 + 30_000 + staleGraceMs(30_000) + 1)).toBe(false);
  });
});
