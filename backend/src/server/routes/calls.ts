/** Direct calls, draft (debug) runs, cron jobs run now. */
import { ApiError, badField } from '../../../../contract/errors.js';
import { okEnvelope } from '../../../../contract/envelope.js';
import { splitFuncId } from '../../domain/ids.js';
import type { FuncRow } from '../../domain/ports/store.js';
import { effectiveCronExpr } from '../../domain/cron/cron-schedule.js';
import { buildTask, checkKwargs } from '../../domain/tasks/build-task.js';
import { syncWaitMs } from '../../domain/tasks/dispatcher.js';
import { capLogs } from '../../domain/tasks/task-record.js';
import type { Handlers } from '../handler.js';
import { sendOutcome } from '../send-outcome.js';
import { requireFunc, requireRow } from './lookups.js';

/** A draft's function need not be published yet: a stand-in row lets the task be built. */
function draftFunc(funcId: string): FuncRow {
  const parts = splitFuncId(funcId)!;
  return {
    id: funcId,
    scriptSetId: parts.scriptSetId,
    scriptId: parts.scriptId,
    name: parts.name,
    title: null,
    description: null,
    definition: '',
    argsJSON: [],
    kwargsJSON: {},
    extraConfigJSON: {},
    category: 'general',
    tagsJSON: [],
    defOrder: 0,
    createTime: 0,
    updateTime: 0,
  };
}

export const callHandlers: Pick<Handlers, 'callFunc' | 'callFuncDraft' | 'runCronJob'> = {
  callFunc: async ({ params, body }, { ctx, reply, traceId }) => {
    const func = await requireFunc(ctx, params.funcId);
    const kwargs = body.kwargs ?? {};
    checkKwargs(func, kwargs);
    const options = body.options ?? {};
    const task = buildTask({ func, kwargs, origin: 'direct', originId: func.id, options, topology: ctx.topology, now: ctx.now() });
    ctx.metrics.countTask('direct');
    if (options.async) {
      await ctx.dispatcher.submit(task);
      await reply.send(okEnvelope({ id: task.id }, traceId));
      return { id: task.id };
    }
    // A sync caller waits min(timeout, 180 s) + 10 s from now: an eta beyond the 10 s margin
    // would only end in EWorkerNoResponse.
    if (task.eta !== undefined && task.eta - ctx.now() > syncWaitMs(task) - Math.min(task.timeoutMs, 180_000)) {
      const field = options.eta !== undefined ? 'body.options.eta' : 'body.options.delay';
      throw badField(field, 'a sync call can be put off by at most 10 s (it waits for the result); use options.async for longer');
    }
    const outcome = await ctx.dispatcher.call(task);
    await sendOutcome(reply, outcome, { unbox: options.unbox ?? false, returnType: options.returnType, traceId, showTraceback: true, cached: outcome?.cached === true });
    return { result: outcome?.result };
  },

  callFuncDraft: async ({ params, body }, { ctx }) => {
    const script = await requireRow(ctx, 'scripts', splitFuncId(params.funcId)!.scriptId);
    const published = await ctx.catalog.func(params.funcId);
    const func = published ?? draftFunc(params.funcId);
    const task = buildTask({
      func: { ...func, scriptId: script.id },
      kwargs: body.kwargs ?? {},
      origin: 'debugger',
      originId: func.id,
      options: { timeout: body.options?.timeout },
      topology: ctx.topology,
      now: ctx.now(),
      draft: true,
    });
    ctx.metrics.countTask('debugger');
    const started = ctx.now();
    const outcome = await ctx.dispatcher.call(task);
    if (!outcome) throw new ApiError('EWorkerNoResponse', 'No worker listens to the debug queue or it is busy; the run may still happen (see its task record)');
    return {
      status: outcome.status,
      result: outcome.result ?? null,
      printLogs: outcome.printLogs,
      printLogsTEXT: capLogs(outcome.printLogs),
      exceptionType: outcome.exceptionType ?? null,
      exception: outcome.exception ?? null,
      traceback: outcome.traceback ?? null,
      errorLine: outcome.errorLine ?? null,
      reason: outcome.reason ?? null,
      cost: outcome.costMs ?? (outcome.endTime ?? ctx.now()) - (outcome.startTime ?? started),
      peakMemoryMb: outcome.peakMemoryMb ?? null,
      taskId: task.id,
    };
  },

  runCronJob: async ({ params }, { ctx }) => {
    const job = await requireRow(ctx, 'cronJobs', params.id);
    const func = await requireFunc(ctx, job.funcId);
    const cronExpr = effectiveCronExpr(job, func) ?? undefined;
    const task = buildTask({ func, kwargs: job.funcCallKwargsJSON, origin: 'cronJob', originId: job.id, topology: ctx.topology, now: ctx.now(), cronExpr, cronJobId: job.id });
    ctx.metrics.countTask('cronJob');
    await ctx.dispatcher.submit(task);
    return { id: task.id };
  },
};
