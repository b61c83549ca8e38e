/** The cron load forecast of the next hours (domain/cron/cron-forecast.ts), cached 30 s per server and window. */
import type { CronForecastOutput } from '../../../../contract/operations/cron-forecast.js';
import { CronOverrideStore } from '../../domain/cron/cron-overrides.js';
import { cronForecast, type ForecastJob } from '../../domain/cron/cron-forecast.js';
import { dynamicAt, effectiveCronExpr, firingsUnder } from '../../domain/cron/cron-schedule.js';
import { buildTask } from '../../domain/tasks/build-task.js';
import { QUEUES } from '../../domain/topology/queues.js';
import { perContext, type AppContext } from '../app-context.js';
import type { Handlers } from '../handler.js';

const CACHE_MS = 30_000;
const MINUTE_MS = 60_000;
/** T over the last hour, as the capacity planner's default window. */
const T_WINDOW_MS = 60 * MINUTE_MS;
const MAX_TIMINGS = 50_000;

const cache = perContext(() => new Map<number, { at: number; value: Promise<CronForecastOutput> }>());

async function compute(ctx: AppContext, hours: number): Promise<CronForecastOutput> {
  const now = ctx.now();
  const to = now + hours * 3_600_000;
  const rows = (await ctx.store.entity('cronJobs').list()).filter((j) => !j.isDisabled);
  // What scripts set (DFF.CRON_JOB.set_cron_expr / pause): the dynamic expression while in force, nothing while paused.
  const scripted = await new CronOverrideStore(ctx.cache, ctx.now).readAll();
  const topology = (await ctx.stack?.deployed.get()) ?? ctx.topology;
  const jobs: ForecastJob[] = [];
  const skipped: { jobId: string; reason: string }[] = [];
  for (const job of rows) {
    const func = await ctx.catalog.func(job.funcId);
    if (!func) {
      skipped.push({ jobId: job.id, reason: `function ${job.funcId} is not published` });
      continue;
    }
    const dynamic = scripted.dynamic.get(job.id);
    const expr = effectiveCronExpr(job, func, dynamicAt(dynamic, now));
    if (!expr) {
      skipped.push({ jobId: job.id, reason: 'no cron expression' });
      continue;
    }
    try {
      const queue = buildTask({ func, kwargs: job.funcCallKwargsJSON, origin: 'cronJob', originId: job.id, topology, now, cronExpr: expr, cronJobId: job.id }).queue;
      const firings = firingsUnder(job, func, { dynamic, pausedUntil: scripted.pausedUntil.get(job.id) }, now, to);
      jobs.push({ id: job.id, funcId: job.funcId, queue, firings });
    } catch (err) {
      skipped.push({ jobId: job.id, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  const timings = await ctx.store.taskRecords.timingsSince(now - T_WINDOW_MS, MAX_TIMINGS);
  const used = new Set(jobs.map((j) => j.queue));
  const queues = QUEUES.filter((q) => used.has(q)).map((q) => {
    const mine = timings.filter((t) => t.queue === q);
    const taskMs = mine.length > 0 ? mine.reduce((s, t) => s + Math.max(0, t.endTimeMs - t.startTimeMs), 0) / mine.length : null;
    const processes = topology.units.filter((u) => u.queues.includes(q)).reduce((s, u) => s + u.processes * u.replicas, 0);
    return { queue: q, processes, taskMs };
  });
  return { ...cronForecast({ jobs, queues, from: now, minutes: hours * 60 }), skipped };
}

export const cronForecastHandlers: Pick<Handlers, 'getCronForecast'> = {
  getCronForecast: ({ query }, { ctx }) => {
    const byHours = cache(ctx);
    const hit = byHours.get(query.hours);
    const now = ctx.now();
    if (hit && now - hit.at < CACHE_MS) return hit.value;
    const value = compute(ctx, query.hours);
    byHours.set(query.hours, { at: now, value });
    value.catch(() => byHours.delete(query.hours));
    return value;
  },
};
