/** Direct calls, draft (debug) runs, cron jobs run now. */
import { badField } from '../../../../contract/errors.js';
import { okEnvelope } from '../../../../contract/envelope.js';
import { splitFuncId } from '../../domain/ids.js';
import { CronOverrideStore } from '../../domain/cron/cron-overrides.js';
import { effectiveCronExpr } from '../../domain/cron/cron-schedule.js';
import { buildTask, checkKwargs } from '../../domain/tasks/build-task.js';
import { refuseLateSyncStart } from '../../domain/tasks/dispatcher.js';
import { placeholderArgs } from '../../domain/entities/cron-job-rules.js';
import type { Handlers } from '../handler.js';
import { sendOutcome } from '../send-outcome.js';
import { taskHttpRequest } from '../task-http-request.js';
import { waitingPlace } from './task-position.js';
import { debugTask, runDebugTask } from './debug-run.js';
import { requireFunc, requireRow } from './lookups.js';

export const callHandlers: Pick<Handlers, 'callFunc' | 'callFuncDraft' | 'runCronJob'> = {
  callFunc: async ({ params, body }, { ctx, req, reply, traceId }) => {
    const func = await requireFunc(ctx, params.funcId);
    const kwargs = body.kwargs ?? {};
    checkKwargs(func, kwargs);
    const options = body.options ?? {};
    // As DataFlux Func, a direct call hands its request to the function too: to one whose script reads it.
    const httpRequest = func.extraConfigJSON.readsHttpRequest === true ? taskHttpRequest(req, req.body) : undefined;
    const task = buildTask({ func, kwargs, origin: 'direct', originId: func.id, options, topology: ctx.topology, now: ctx.now(), httpRequest });
    ctx.metrics.countTask('direct');
    if (options.async) {
      const place = await ctx.dispatcher.submit(task);
      const answer = { id: task.id, ...(await waitingPlace(ctx, task, place)) };
      await reply.send(okEnvelope(answer, traceId));
      return answer;
    }
    refuseLateSyncStart(task, ctx.now(), 'body.options', options.eta !== undefined);
    const outcome = await ctx.dispatcher.call(task);
    await sendOutcome(reply, outcome, { unbox: options.unbox ?? false, returnType: options.returnType, traceId, showTraceback: true, cached: outcome?.cached === true });
    return { result: outcome?.result };
  },

  callFuncDraft: async ({ params, body }, { ctx }) => {
    const script = await requireRow(ctx, 'scripts', splitFuncId(params.funcId)!.scriptId);
    const task = await debugTask(ctx, { funcId: params.funcId, scriptId: script.id, kwargs: body.kwargs ?? {}, timeout: body.options?.timeout, liveKey: body.liveKey });
    return runDebugTask(ctx, task);
  },

  runCronJob: async ({ params }, { ctx }) => {
    const job = await requireRow(ctx, 'cronJobs', params.id);
    // A disabled job may hold a placeholder (imported so from a DataFlux Func archive): no caller fills it in.
    const unfilled = placeholderArgs(job.funcCallKwargsJSON);
    if (unfilled.length > 0)
      throw badField(
        `funcCallKwargsJSON.${unfilled[0]}`,
        `cron job ${job.id} leaves ${unfilled.map((n) => `"${n}"`).join(', ')} to a caller, and a run by hand has none: give the value first`,
      );
    const func = await requireFunc(ctx, job.funcId);
    // The expression the job runs by now (_DFF_CRON_EXPR): a script's dynamic one first.
    const dynamic = await new CronOverrideStore(ctx.cache, ctx.now).getDynamic(job.id);
    const cronExpr = effectiveCronExpr(job, func, dynamic?.expr) ?? undefined;
    const task = buildTask({
      func,
      kwargs: job.funcCallKwargsJSON,
      origin: 'cronJob',
      originId: job.id,
      topology: ctx.topology,
      now: ctx.now(),
      cronExpr,
      cronJobId: job.id,
      cronJobExecMode: 'manual',
    });
    ctx.metrics.countTask('cronJob');
    await ctx.dispatcher.submit(task);
    return { id: task.id };
  },
};
