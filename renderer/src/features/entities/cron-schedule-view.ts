/**
 * The cron jobs page's "Schedule": the expression a job runs by, and where it comes from, with the
 * precedence of the beat (domain/cron/cron-schedule.ts `effectiveCronExpr`): a script's dynamic
 * expression (DFF.CRON_JOB.set_cron_expr, answered only while in force), then the function's
 * `fixed_cron_expr` (joined into the row as `func_extraConfigJSON`), then the job's own. A job
 * whose own expression is overridden keeps it in `overridden`, so the page can show both without
 * passing off the one that does not run as the schedule.
 */
export type CronScheduleSource = 'dynamic' | 'fixed' | 'job' | 'none';

export interface CronScheduleView {
  expr: string | null;
  source: CronScheduleSource;
  /** The job's own expression when something else wins over it. */
  overridden: string | null;
}

export function cronSchedule(r: {
  cronExpr: string | null;
  dynamicCronExpr?: string | null | undefined;
  func_extraConfigJSON?: Record<string, unknown> | null | undefined;
}): CronScheduleView {
  const own = r.cronExpr !== null && r.cronExpr !== '' ? r.cronExpr : null;
  const fixedValue = r.func_extraConfigJSON?.fixedCronExpr;
  const fixed = typeof fixedValue === 'string' && fixedValue !== '' ? fixedValue : null;
  if (r.dynamicCronExpr) return { expr: r.dynamicCronExpr, source: 'dynamic', overridden: own };
  if (fixed !== null) return { expr: fixed, source: 'fixed', overridden: own };
  return own !== null ? { expr: own, source: 'job', overridden: null } : { expr: null, source: 'none', overridden: null };
}
