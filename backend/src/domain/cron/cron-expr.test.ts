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
});
