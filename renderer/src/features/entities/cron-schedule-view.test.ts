import { describe, expect, it } from 'vitest';
import { cronSchedule } from './cron-schedule-view';

describe('cronSchedule', () => {
  it("shows the function's fixed_cron_expr over the job's own expression, which it names as overridden", () => {
    const fixed = { fixedCronExpr: '*/2 * * * * *' };
    expect(cronSchedule({ cronExpr: '0 0 1 1 *', func_extraConfigJSON: fixed })).toEqual({ expr: '*/2 * * * * *', source: 'fixed', overridden: '0 0 1 1 *' });
    expect(cronSchedule({ cronExpr: null, func_extraConfigJSON: fixed })).toEqual({ expr: '*/2 * * * * *', source: 'fixed', overridden: null });
  });

  it('shows a dynamic expression over both, then the job expression, and none when there is nothing to run by', () => {
    const fixed = { fixedCronExpr: '*/2 * * * * *' };
    expect(cronSchedule({ cronExpr: '0 * * * *', dynamicCronExpr: '*/3 * * * * *', func_extraConfigJSON: fixed })).toEqual({
      expr: '*/3 * * * * *',
      source: 'dynamic',
      overridden: '0 * * * *',
    });
    expect(cronSchedule({ cronExpr: '0 * * * *', func_extraConfigJSON: { fixedCronExpr: '' } })).toEqual({ expr: '0 * * * *', source: 'job', overridden: null });
    expect(cronSchedule({ cronExpr: '0 * * * *', func_extraConfigJSON: null })).toEqual({ expr: '0 * * * *', source: 'job', overridden: null });
    expect(cronSchedule({ cronExpr: null })).toEqual({ expr: null, source: 'none', overridden: null });
  });
});
