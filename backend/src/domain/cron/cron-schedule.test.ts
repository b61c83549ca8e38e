import { describe, expect, it } from 'vitest';
import type { FuncRow } from '../ports/store.js';
import { dynamicAt, effectiveCronExpr, firingsUnder, nextRunUnder } from './cron-schedule.js';

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

  it('firings in a window: none while paused, the dynamic expression then the own one', () => {
    const d = { expr: '*/20 * * * *', expireTime: at(1, 0) };
    const times = (...args: Parameters<typeof firingsUnder>): number[] => firingsUnder(...args).map((f) => f.at);
    expect(times(job, undefined, { dynamic: d }, at(0, 0), at(3, 0))).toEqual([at(0, 0), at(0, 20), at(0, 40), at(1, 0), at(2, 0)]);
    expect(times(job, undefined, { dynamic: d, pausedUntil: at(0, 30) }, at(0, 0), at(3, 0))).toEqual([at(0, 40), at(1, 0), at(2, 0)]);
    expect(times(job, undefined, { pausedUntil: at(1, 0) }, at(0, 0), at(3, 0))).toEqual([at(2, 0)]);
    // A pause that outlasts the dynamic expression: the job's own times within the pause do not fire either.
    expect(times(job, undefined, { dynamic: d, pausedUntil: at(2, 30) }, at(0, 0), at(4, 0))).toEqual([at(3, 0)]);
  });

  it('counts every firing of a sub-minute schedule over the whole window, per minute', () => {
    // Every 5 s for 24 h: 17,280 firings, 12 in each minute (the QA report: only the first 1,440 were counted).
    const every5s = { cronExpr: '*/5 * * * * *', timezone: null };
    const day = firingsUnder(every5s, undefined, {}, at(0, 0), at(24, 0));
    expect(day).toHaveLength(1440);
    expect(day.reduce((s, f) => s + f.count, 0)).toBe(17_280);
    expect(new Set(day.map((f) => f.count))).toEqual(new Set([12]));
    // A window starting and ending mid-minute counts only the firings inside it; a pause ending mid-minute too.
    const mid = firingsUnder(every5s, undefined, {}, at(0, 0) + 42_000, at(0, 2) + 12_000);
    expect(mid.map((f) => [f.at - at(0, 0), f.count])).toEqual([
      [45_000, 3],
      [60_000, 12],
      [120_000, 3],
    ]);
    expect(firingsUnder(every5s, undefined, { pausedUntil: at(0, 0) + 49_000 }, at(0, 0), at(0, 1)).map((f) => f.count)).toEqual([2]);
    // Seconds that do not start at :00, and a minute field restricting the minutes.
    const odd = firingsUnder({ cronExpr: '7,37 */10 * * * *', timezone: 'Asia/Shanghai' }, undefined, {}, at(0, 0), at(1, 0));
    expect(odd.map((f) => [f.at - at(0, 0), f.count])).toEqual([0, 10, 20, 30, 40, 50].map((m) => [m * 60_000 + 7_000, 2]));
  });
});
