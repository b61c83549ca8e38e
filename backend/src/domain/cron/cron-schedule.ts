/** Which expression a cron job runs by, and its next fire time. */
import { cronScheduleOf } from '../../../../contract/cron-schedule.js';
import type { CronJobRow, FuncRow } from '../ports/store.js';
import type { DynamicCronExpr } from './cron-overrides.js';
import { firingsPerMinuteWithin, nextFireTime, type MinuteFirings } from './cron-expr.js';

/** The expression the job runs by, by the one precedence rule (contract/cron-schedule.ts): dynamic, then fixed_cron_expr, then its own. */
export function effectiveCronExpr(job: Pick<CronJobRow, 'cronExpr'>, func: FuncRow | undefined, dynamic?: string | null): string | null {
  return cronScheduleOf({ cronExpr: job.cronExpr, fixedCronExpr: func?.extraConfigJSON.fixedCronExpr, dynamicCronExpr: dynamic }).expr;
}

export function cronNextRunTime(job: Pick<CronJobRow, 'cronExpr' | 'timezone'>, func: FuncRow | undefined, after: number, dynamic?: string | null): number | null {
  const expr = effectiveCronExpr(job, func, dynamic);
  if (!expr) return null;
  try {
    return nextFireTime(expr, job.timezone, after);
  } catch {
    return null;
  }
}

/** Whether `time` is one of the expression's fire times (a time a job's nextRunTime was computed from another expression may not be). */
export function isFireTime(expr: string, timezone: string | null, time: number): boolean {
  try {
    return nextFireTime(expr, timezone, time - 1) === time;
  } catch {
    return false;
  }
}

/** A dynamic expression is in force at `time` until its expireTime, included (as DataFlux Func compares it with a trigger time). */
export function dynamicAt(dynamic: DynamicCronExpr | undefined, time: number): string | undefined {
  return dynamic && (dynamic.expireTime === null || dynamic.expireTime >= time) ? dynamic.expr : undefined;
}

/**
 * The first fire time after `after` of a job with a dynamic expression: the dynamic expression's
 * while it is in force, then (from its expiry on) the expression the job runs by without it.
 */
export function nextRunUnder(job: Pick<CronJobRow, 'cronExpr' | 'timezone'>, func: FuncRow | undefined, after: number, dynamic: DynamicCronExpr | undefined): number | null {
  if (!dynamic || (dynamic.expireTime !== null && dynamic.expireTime <= after)) return cronNextRunTime(job, func, after);
  const next = cronNextRunTime(job, func, after, dynamic.expr);
  if (dynamic.expireTime === null || (next !== null && next <= dynamic.expireTime)) return next;
  return cronNextRunTime(job, func, dynamic.expireTime);
}

/**
 * A job's firings in [from, to), counted per minute: by its dynamic expression while in force, then
 * by its own; none up to the end of a pause.
 */
export function firingsUnder(
  job: Pick<CronJobRow, 'cronExpr' | 'timezone'>,
  func: FuncRow | undefined,
  scripted: { dynamic?: DynamicCronExpr | undefined; pausedUntil?: number | undefined },
  from: number,
  to: number,
): MinuteFirings[] {
  const { dynamic, pausedUntil } = scripted;
  const start = pausedUntil !== undefined && pausedUntil >= from ? pausedUntil + 1 : from;
  const own = effectiveCronExpr(job, func);
  const live = dynamic && (dynamic.expireTime === null || dynamic.expireTime >= start) ? dynamic : undefined;
  const parts: { expr: string | null; from: number; to: number }[] = live
    ? [
        { expr: live.expr, from: start, to: live.expireTime === null ? to : Math.min(to, live.expireTime + 1) },
        { expr: own, from: live.expireTime === null ? to : live.expireTime + 1, to },
      ]
    : [{ expr: own, from: start, to }];
  return parts.flatMap((p) => (!p.expr || p.from >= p.to ? [] : firingsPerMinuteWithin(p.expr, job.timezone, p.from, p.to)));
}
