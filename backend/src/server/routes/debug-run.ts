/** Debug runs on the debug queue (a draft run, a replay): building the task and answering its outcome in full. */
import { ApiError } from '../../../../contract/errors.js';
import type { OperationOutput } from '../../../../contract/operation.js';
import type { callFuncDraft } from '../../../../contract/operations/calls.js';
import { splitFuncId } from '../../domain/ids.js';
import type { FuncRow } from '../../domain/ports/store.js';
import { buildTask } from '../../domain/tasks/build-task.js';
import type { TaskHttpRequest, TaskMessage } from '../../domain/tasks/task.js';
import { capLogs } from '../../domain/tasks/task-record.js';
import type { AppContext } from '../app-context.js';

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

export interface DebugRunInput {
  funcId: string;
  scriptId: string;
  kwargs: Record<string, unknown>;
  timeout?: number | undefined;
  httpRequest?: TaskHttpRequest | undefined;
  /** A published version of the script instead of its draft (still run as a draft: not loaded as the published module). */
  codeVersion?: number | undefined;
  replayOf?: string | undefined;
  /** The console watches the run's lines live under this key. */
  liveKey?: string | undefined;
}

export async function debugTask(ctx: AppContext, input: DebugRunInput): Promise<TaskMessage> {
  const func = (await ctx.catalog.func(input.funcId)) ?? draftFunc(input.funcId);
  const task = buildTask({
    func: { ...func, scriptId: input.scriptId },
    kwargs: input.kwargs,
    origin: 'debugger',
    originId: func.id,
    options: { timeout: input.timeout },
    topology: ctx.topology,
    now: ctx.now(),
    draft: true,
    ...(input.httpRequest ? { httpRequest: input.httpRequest } : {}),
  });
  if (input.codeVersion !== undefined) task.codeVersion = input.codeVersion;
  if (input.replayOf !== undefined) task.replayOf = input.replayOf;
  if (input.liveKey !== undefined) task.liveKey = input.liveKey;
  return task;
}

/** Runs a debug task and waits for it: result, logs, traceback, cost and peak memory. */
export async function runDebugTask(ctx: AppContext, task: TaskMessage): Promise<OperationOutput<typeof callFuncDraft>> {
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
    locals: outcome.locals ?? null,
  };
}
