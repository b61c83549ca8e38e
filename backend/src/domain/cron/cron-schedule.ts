/** Which expression a cron job runs by, and its next fire time. */
import type { CronJobRow, FuncRow } from '../ports/store.js';
import { nextFireTime } from './cron-expr.js';

/** The decorator's fixed_cron_expr wins over the job's own expression. */
export function effectiveCronExpr(job: Pick<CronJobRow, 'cronExpr'>, func: FuncRow | undefined): string | null {
  const fixed = func?.extraConfigJSON.fixedCronExpr;
  return typeof fixed === 'string' && fixed !== '' ? fixed : job.cronExpr;
}

export function cronNextRunTime(job: Pick<CronJobRow, 'cronExpr' | 'timezone'>, func: FuncRow | undefined, after: number): number | null {
  const expr = effectiveCronExpr(job, func);
  if (!expr) return null;
  try {
    return nextFireTime(expr, job.timezone, after);
  } catch {
    return null;
  }
}
