import { describe, expect, it } from 'vitest';
import { checkCronExpr, fireTimesWithin, nextFireTime, nextFireTimes } from './cron-expr.js';

describe('cron expressions', () => {
  it('accepts 5 fields and 6 with seconds first; refuses others with a reason', () => {
    expect(checkCronExpr('*/5 * * * *').ok).toBe(true);
    expect(checkCronExpr('30 */5 * * * *').ok).toBe(true);
    expect(checkCronExpr('* * *')).toMatchObject({ ok: false, message: expect.stringMatching(/5 fields/) as unknown });
    expect(checkCronExpr('61 * * * *').ok).toBe(false);
    expect(checkCronExpr('* * * * *', 'No/Where')).toMatchObject({ ok: false, message: expect.stringMatching(/time zone/) as unknown });
  });

  it('computes the next fire time in a time zone', () => {
    const t = Date.UTC(2026, 5, 1, 0, 0, 0);
    expect(nextFireTime('0 9 * * *', 'UTC', t)).toBe(Date.UTC(2026, 5, 1, 9));
    expect(nextFireTime('0 9 * * *', 'Asia/Shanghai', t)).toBe(Date.UTC(2026, 5, 1, 1));
    expect(nextFireTime('*/15 * * * * *', null, t)).toBe(t + 15_000);
  });

  it('answers alike from a parsed expression used again: per time zone, whatever was asked of it before', () => {
    const t = Date.UTC(2026, 5, 1, 0, 0, 0);
    // The same text in two zones is two schedules; asked in turns, each keeps its own.
    for (let i = 0; i < 3; i++) {
      expect(nextFireTime('0 9 * * *', 'Asia/Shanghai', t + i * 86_400_000)).toBe(Date.UTC(2026, 5, 1 + i, 1));
      expect(nextFireTime('0 9 * * *', 'UTC', t + i * 86_400_000)).toBe(Date.UTC(2026, 5, 1 + i, 9));
      expect(nextFireTime('0 9 * * *', null, t + i * 86_400_000)).toBe(nextFireTime('0 9 * * *', undefined, t + i * 86_400_000));
    }
    // Walks and lists over one parsed object do not move what a later call answers.
    expect(fireTimesWithin('*/10 * * * * *', null, t, t + 60_000, 100).times).toHaveLength(6);
    expect(nextFireTimes('*/10 * * * * *', null, t + 30_000, 2)).toEqual([t + 40_000, t + 50_000]);
    expect(nextFireTime('*/10 * * * * *', null, t)).toBe(t + 10_000);
    // Spacing is part of the text as written, not of the schedule: both parse, to the same times.
    expect(nextFireTime(' 0 9 * * * ', 'UTC', t)).toBe(Date.UTC(2026, 5, 1, 9));
    expect(checkCronExpr('* * *').ok).toBe(false); // a refusal is not remembered as a schedule
    expect(checkCronExpr('* * *').ok).toBe(false);
  });

  it('across DST transitions (America/New_York): a skipped local time fires at the first valid one, a repeated one fires once; fixed intervals keep real time', () => {
    const tz = 'America/New_York';
    const walk = (expr: string, from: number, n: number): string[] => {
      const out: string[] = [];
      for (let t = from, i = 0; i < n; i++) out.push(new Date((t = nextFireTime(expr, tz, t)!)).toISOString());
      return out;
    };
    // 2026-03-08 02:00 EST -> 03:00 EDT: 02:30 does not exist that day; the job fires at 03:00 EDT (07:00Z), once.
    expect(walk('30 2 * * *', Date.UTC(2026, 2, 7, 12), 3)).toEqual(['2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z', '2026-03-10T06:30:00.000Z']);
    // 2026-11-01 02:00 EDT -> 01:00 EST: 01:30 happens twice; the daily job fires at the first only.
    expect(walk('30 1 * * *', Date.UTC(2026, 9, 31, 12), 3)).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z', '2026-11-03T06:30:00.000Z']);
    // Hourly in the repeated hour: every real hour, no gap and no double.
    expect(walk('0 * * * *', Date.UTC(2026, 10, 1, 3, 30), 4)).toEqual([
      '2026-11-01T04:00:00.000Z',
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T06:00:00.000Z',
      '2026-11-01T07:00:00.000Z',
    ]);
    // 6 fields: every 20 s straight through the spring gap.
    expect(walk('*/20 * * * * *', Date.UTC(2026, 2, 8, 6, 59, 30), 3)).toEqual(['2026-03-08T06:59:40.000Z', '2026-03-08T07:00:00.000Z', '2026-03-08T07:00:20.000Z']);
  });
});
