/** Cron jobs: a published function, a known time zone, a valid expression (its own or the function's), and the next run time kept. */
import { badField } from '../../../../contract/errors.js';
import { checkCronExpr, isValidTimezone } from '../cron/cron-expr.js';
import { cronNextRunTime } from '../cron/cron-schedule.js';
import { newId } from '../ids.js';
import type { EntityRows, FuncRow, JsonObject } from '../ports/store.js';
import { isPlaceholder } from '../tasks/build-task.js';
import { callFields, checkFixedKwargs, nothingAdded, pick, requirePublishedFunc, stamp, toMs, type EntityRuleDeps, type EntityRules } from './entity-rules.js';

type CronJobRow = EntityRows['cronJobs'];

async function nextRun(deps: EntityRuleDeps, job: Pick<CronJobRow, 'funcId' | 'cronExpr' | 'timezone' | 'isDisabled'>): Promise<number | null> {
  if (job.isDisabled) return null;
  // A job whose function is gone does not fire (the beat drops its next run too) until the function is back.
  const func = await deps.catalog.func(job.funcId);
  return func ? cronNextRunTime({ cronExpr: job.cronExpr, timezone: job.timezone }, func, deps.now()) : null;
}

/** The arguments of `kwargs` given a placeholder (`INPUT_BY_CALLER`) for a caller to fill in. */
export function placeholderArgs(kwargs: JsonObject): string[] {
  return Object.entries(kwargs)
    .filter(([, value]) => typeof value === 'string' && isPlaceholder(value))
    .map(([name]) => name);
}

/**
 * A cron job that runs gives every value itself: a placeholder (`INPUT_BY_CALLER`) would be passed
 * as it is to every run, since no caller fills it in. A disabled one may hold one (a DataFlux Func
 * archive's job is imported so, disabled): it is refused when it is enabled.
 */
function checkNoPlaceholders(func: FuncRow, kwargs: JsonObject): void {
  for (const [name, value] of Object.entries(kwargs)) {
    if (typeof value === 'string' && isPlaceholder(value)) {
      const spec = Object.hasOwn(func.kwargsJSON, name) ? (func.kwargsJSON[name] as { hasDefault?: unknown } | null) : null;
      const fix = spec?.hasDefault === true ? 'give its value, or leave it out for its default' : 'give its value';
      throw badField(`funcCallKwargsJSON.${name}`, `"${value}" leaves the argument "${name}" to a caller, and a cron job has no caller: ${fix}`);
    }
  }
}

/**
 * What a cron job must be, checked on add and on modify alike (there on the merged row): its
 * function is published, its time zone known, its expression (if any) valid. A job with neither
 * an expression of its own nor the function's fixed_cron_expr is kept, as DataFlux Func keeps it:
 * it never fires by itself (no next run time) and runs only when run by hand (/api/v1/cron/:id).
 * A modify that keeps the function (`funcId` not given) of a job whose function is gone (deleted
 * or renamed by a publish) is accepted, as for APIs and as DataFlux Func: the job can still be
 * disabled, noted or given another expression; it fires again once the function is back. Its
 * kwargs are then not checked (there is no signature to check them against).
 */
async function checkCronJob(
  deps: EntityRuleDeps,
  job: Pick<CronJobRow, 'funcId' | 'cronExpr' | 'timezone' | 'funcCallKwargsJSON' | 'isDisabled'>,
  callChanged = true,
  enabling = false,
  funcGiven = true,
): Promise<FuncRow | undefined> {
  const func = funcGiven ? await requirePublishedFunc(deps, job.funcId) : await deps.catalog.func(job.funcId);
  // Only when the call is new or changes: a job whose function changed since can still be disabled.
  if (func && callChanged) checkFixedKwargs(func, job.funcCallKwargsJSON, true);
  // Placeholders: when a job that runs gets them, or a job holding them is enabled.
  if (func && (callChanged || enabling) && !job.isDisabled) checkNoPlaceholders(func, job.funcCallKwargsJSON);
  if (job.timezone !== null && !isValidTimezone(job.timezone)) throw badField('timezone', `unknown time zone "${job.timezone}"`);
  if (job.cronExpr !== null) {
    const check = checkCronExpr(job.cronExpr, job.timezone);
    if (!check.ok) throw badField('cronExpr', `Invalid cron expression "${job.cronExpr}": ${check.message ?? ''}`);
  }
  return func;
}

export const cronJobRules: EntityRules<'cronJobs'> = {
  name: 'cronJobs',
  fromAdd: async (d, deps) => {
    const func = (await checkCronJob(deps, {
      funcId: d.funcId,
      cronExpr: d.cronExpr ?? null,
      timezone: d.timezone ?? null,
      funcCallKwargsJSON: d.funcCallKwargsJSON,
      isDisabled: d.isDisabled ?? false,
    }))!;
    const row: CronJobRow = {
      id: d.id ?? newId('cron'),
      funcId: func.id,
      ...callFields(d),
      cronExpr: d.cronExpr ?? null,
      timezone: d.timezone ?? null,
      nextRunTime: null,
      lastRunTime: null,
      ...stamp(deps),
    };
    row.nextRunTime = await nextRun(deps, row);
    return row;
  },
  fromModify: async (d, e, deps) => {
    const merged = { ...e, ...pick(d, ['funcId', 'funcCallKwargsJSON', 'cronExpr', 'timezone', 'tagsJSON', 'taskRecordLimit', 'isDisabled', 'note']) };
    await checkCronJob(deps, merged, d.funcId !== undefined || d.funcCallKwargsJSON !== undefined, e.isDisabled && !merged.isDisabled, d.funcId !== undefined);
    if (d.expireTime !== undefined) merged.expireTime = toMs(d.expireTime);
    merged.nextRunTime = await nextRun(deps, merged);
    const { id: _id, ...patch } = merged;
    return { ...patch, updateTime: deps.now() };
  },
  addedView: nothingAdded,
  toApi: (row) => ({ ...row }),
};
