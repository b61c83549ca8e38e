import { describe, expect, it } from 'vitest';
import { cronScheduleOf } from './cron-schedule.js';

describe('cronScheduleOf', () => {
  it("gives the function's fixed_cron_expr over the job's own expression, which it names as overridden", () => {
    const fixedCronExpr = '*/2 * * * * *';
    expect(cronScheduleOf({ cronExpr: '0 0 1 1 *', fixedCronExpr })).toEqual({ expr: '*/2 * * * * *', source: 'fixed', overridden: '0 0 1 1 *' });
    expect(cronScheduleOf({ cronExpr: null, fixedCronExpr })).toEqual({ expr: '*/2 * * * * *', source: 'fixed', overridden: null });
  });

  it('gives a dynamic expression over both, then the job expression, and none when there is nothing to run by', () => {
    const fixedCronExpr = '*/2 * * * * *';
    expect(cronScheduleOf({ cronExpr: '0 * * * *', dynamicCronExpr: '*/3 * * * * *', fixedCronExpr })).toEqual({
      expr: '*/3 * * * * *',
      source: 'dynamic',
      overridden: '0 * * * *',
    });
    expect(cronScheduleOf({ cronExpr: '0 * * * *', fixedCronExpr: '' })).toEqual({ expr: '0 * * * *', source: 'job', overridden: null });
    expect(cronScheduleOf({ cronExpr: '0 * * * *', fixedCronExpr: undefined })).toEqual({ expr: '0 * * * *', source: 'job', overridden: null });
    expect(cronScheduleOf({ cronExpr: '0 * * * *', fixedCronExpr: 5 })).toEqual({ expr: '0 * * * *', source: 'job', overridden: null });
    expect(cronScheduleOf({ cronExpr: null })).toEqual({ expr: null, source: 'none', overridden: null });
    expect(cronScheduleOf({ cronExpr: '' })).toEqual({ expr: null, source: 'none', overridden: null });
  });
});
