/**
 * Which expression a cron job runs by, and where it comes from: the one rule the beat, the server
 * (backend/src/domain/cron/cron-schedule.ts `effectiveCronExpr`) and the console's "Schedule" column
 * follow. As DataFlux Func's cron starter: a dynamic expression a script set (DFF.CRON_JOB.set_cron_expr,
 * while in force) wins over the function's `fixed_cron_expr`, which wins over the job's own expression.
 * An empty expression is none. A job whose own expression is overridden keeps it in `overridden`.
 * Pure TS, no imports.
 */
export type CronScheduleSource = 'dynamic' | 'fixed' | 'job' | 'none';

export interface CronSchedule {
  expr: string | null;
  source: CronScheduleSource;
  /** The job's own expression when something else wins over it. */
  overridden: string | null;
}

export function cronScheduleOf(parts: {
  /** The job's own expression. */
  cronExpr: string | null | undefined;
  /** The function's `extraConfigJSON.fixedCronExpr`, as stored (anything but a non-empty string is none). */
  fixedCronExpr?: unknown;
  /** The dynamic expression in force, if any. */
  dynamicCronExpr?: string | null | undefined;
}): CronSchedule {
  const own = typeof parts.cronExpr === 'string' && parts.cronExpr !== '' ? parts.cronExpr : null;
  const fixed = typeof parts.fixedCronExpr === 'string' && parts.fixedCronExpr !== '' ? parts.fixedCronExpr : null;
  if (parts.dynamicCronExpr) return { expr: parts.dynamicCronExpr, source: 'dynamic', overridden: own };
  if (fixed !== null) return { expr: fixed, source: 'fixed', overridden: own };
  return own !== null ? { expr: own, source: 'job', overridden: null } : { expr: null, source: 'none', overridden: null };
}
