import { describe, expect, it } from 'vitest';
import type { FuncRow } from '../ports/store.js';
import { dynamicAt, effectiveCronExpr, fireTimesUnder, nextRunUnder } from './cron-schedule.js';

const at = (h: number, m: number, s = 0): number => Date.UTC(2026, 0, 1, h, m, s);
const job = { cronExpr: '0 * * * *', timezone: null };
const fixed = { extraConfigJSON: { fixedCronExpr: '30 * * * *' } } as unknown as FuncRow;

describe('cron schedule with what scripts set', () => {
  it('a dynamic expression wins over fixed_cron_expr, which wins over the job expression', () => {
    expect(effectiveCronExpr(job, undefined)).toBe('0 * * * *');
    expect(effectiveCronExpr(job, fixed)).toBe('30 * * * *');
    expect(effectiveCronExpr(job, fixed, '*/5 * * * *')).toBe('*/5 * * * *');
  });

  it('a dynamic expression is in force until its expireTime, included', () => {
    const d = { expr: '* * * * *', expireTime: at(0, 3) };
    expect(dynamicAt(d, at(0, 3))).toBe('* * * * *');
    expect(dynamicAt(d, at(0, 3) + 1)).toBeUndefined();
    expect(dynamicAt({ expr: '* * * * *', expireTime: null }, at(23, 0))).toBe('* * * * *');
  });

  it('the next run counts the expiry: by the dynamic expression while in force, then by the own one', () => {
    const d = { expr: '*/10 * * * *', expireTime: at(0, 25) };
    expect(nextRunUnder(job, undefined, at(0, 1), d)).toBe(at(0, 10));
    expect(nextRunUnder(job, undefined, at(0, 20), d)).toBe(at(1, 0));
    expect(nextRunUnder(job, undefined, at(0, 30), d)).toBe(at(1, 0));
    expect(nextRunUnder(job, undefined, at(0, 1), undefined)).toBe(at(1, 0));
    // A dynamic expression without a fire time before its expiry leaves the own schedule from the expiry on.
    expect(nextRunUnder(job, undefined, at(0, 1), { expr: '0 0 1 1 *', expireTime: at(2, 30) })).toBe(at(3, 0));
  });

  it('fire times in a window: none while paused, the dynamic expression then the own one', () => {
    const d = { expr: '*/20 * * * *', expireTime: at(1, 0) };
    expect(fireTimesUnder(job, undefined, { dynamic: d }, at(0, 0), at(3, 0), 100).times).toEqual([at(0, 0), at(0, 20), at(0, 40), at(1, 0), at(2, 0)]);
    expect(fireTimesUnder(job, undefined, { dynamic: d, pausedUntil: at(0, 30) }, at(0, 0), at(3, 0), 100).times).toEqual([at(0, 40), at(1, 0), at(2, 0)]);
    expect(fireTimesUnder(job, undefined, { pausedUntil: at(1, 0) }, at(0, 0), at(3, 0), 100).times).toEqual([at(2, 0)]);
    // A pause that outlasts the dynamic expression: the job's own times within the pause do not fire either.
    expect(fireTimesUnder(job, undefined, { dynamic: d, pausedUntil: at(2, 30) }, at(0, 0), at(4, 0), 100).times).toEqual([at(3, 0)]);
    expect(fireTimesUnder(job, undefined, {}, at(0, 0), at(5, 0), 2)).toEqual({ times: [at(0, 0), at(1, 0)], capped: true });
  });
});
