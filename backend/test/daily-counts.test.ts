import { describe, expect, it } from 'vitest';
import { DailyCounts } from '../src/domain/admin/daily-counts.js';

const at = (iso: string): number => Date.parse(iso);

describe('DailyCounts', () => {
  it('counts per key within a UTC day and starts again at midnight, also after a step back in time', () => {
    const c = new DailyCounts();
    c.add('GET /a', at('2026-12-05T00:00:00.000Z'));
    c.add('GET /a', at('2026-12-05T13:00:00.000Z'));
    c.add('POST /b', at('2026-12-05T23:59:59.999Z'));
    expect([...c.counts]).toEqual([
      ['GET /a', 2],
      ['POST /b', 1],
    ]);
    c.add('GET /a', at('2026-12-06T00:00:00.000Z'));
    expect([...c.counts]).toEqual([['GET /a', 1]]);
    c.add('GET /a', at('2026-12-06T10:00:00.000Z'));
    expect(c.counts.get('GET /a')).toBe(2);
    // The clock set back a day: that day's counts, from zero.
    c.add('GET /c', at('2026-12-05T10:00:00.000Z'));
    expect([...c.counts]).toEqual([['GET /c', 1]]);
  });
});
