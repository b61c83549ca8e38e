/** Replay of a recorded task and the diff of two runs (contract/operations/debugging.ts). */
import { ApiError, badField } from '../../../../contract/errors.js';
import type { OperationOutput } from '../../../../contract/operation.js';
import type { diffTaskRecords } from '../../../../contract/operations/debugging.js';
import type { TaskRecordRow } from '../../domain/ports/store.js';
import { jsonDiff } from '../../domain/tasks/json-diff.js';
import { isLeftOutJson } from '../../domain/tasks/record-bounds.js';
import type { TaskHttpRequest } from '../../domain/tasks/task.js';
import type { AppContext } from '../app-context.js';
import { liveLogHandlers } from './live-logs.js';
import type { Handlers } from '../handler.js';
import { debugTask, runDebugTask } from './debug-run.js';

async function requireRecord(ctx: AppContext, id: string, field: string): Promise<TaskRecordRow> {
  const record = await ctx.store.taskRecords.get(id);
  if (!record) throw new ApiError('EClientNotFound', `No such task: ${id}`, { field, id });
  return record;
}

type RunSide = OperationOutput<typeof diffTaskRecords>['a'];

function side(r: TaskRecordRow): RunSide {
  return {
    id: r.id,
    funcId: r.funcId,
    status: r.status,
    origin: r.origin,
    replayOf: r.replayOf ?? null,
    triggerTimeMs: r.triggerTimeMs,
    durationMs: r.startTimeMs !== null && r.endTimeMs !== null ? r.endTimeMs - r.startTimeMs : null,
    peakMemoryMb: r.peakMemoryMb,
    returnValue: r.returnValueJSON ?? null,
    printLogs: r.printLogsTEXT ? r.printLogsTEXT.split('\n') : [],
    exceptionType: r.exceptionType,
    exceptionTEXT: r.exceptionTEXT,
  };
}

/** A sync/async API call's record whose `files` are uploads (their metadata as the API put it, no bytes kept). */
function keptUploadInfo(origin: string, kwargs: unknown): boolean {
  if (origin !== 'syncAPI' && origin !== 'asyncAPI') return false;
  const files = (kwargs as { files?: unknown } | null)?.files;
  return Array.isArray(files) && files.length > 0 && files.every((f) => typeof f === 'object' && f !== null && 'originalname' in f && 'size' in f && !('filePath' in f));
}

const delta = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : b - a);

export const debuggingHandlers: Pick<Handlers, 'replayTask' | 'diffTaskRecords' | 'streamTaskLogs'> = {
  ...liveLogHandlers,
  replayTask: async ({ params, body }, { ctx }) => {
    const record = await requireRecord(ctx, params.id, 'id');
    const against = body?.against ?? 'draft';
    if (isLeftOutJson(record.kwargsJSON)) {
      throw new ApiError('EBizCondition', `Task ${record.id} cannot be replayed: its record kept only the head of its kwargs (${record.kwargsJSON.chars} characters of JSON)`, {
        field: 'id',
        id: record.id,
      });
    }
    if (keptUploadInfo(record.origin, record.kwargsJSON)) {
      throw new ApiError('EBizCondition', `Task ${record.id} cannot be replayed: the files uploaded with it were removed after it ran (its record keeps their metadata only)`, {
        field: 'id',
        id: record.id,
      });
    }
    const script = await ctx.store.entity('scripts').get(record.scriptId);
    if (!script) throw new ApiError('EClientNotFound', `No such Script: ${record.scriptId} (the script of task ${record.id} was deleted)`, { field: 'id', id: record.id });
    if (against !== 'draft' && !(await ctx.store.scripts.history(script.id)).some((h) => h.publishVersion === against)) {
      throw badField('against', `script ${script.id} has no published version ${against} (it is at version ${script.publishVersion})`);
    }
    const task = await debugTask(ctx, {
      funcId: record.funcId,
      scriptId: script.id,
      kwargs: record.kwargsJSON,
      timeout: Math.round(record.timeoutMs / 1000),
      // The request as recorded: credentials were masked when it was stored.
      httpRequest: (record.httpRequestJSON ?? undefined) as TaskHttpRequest | undefined,
      codeVersion: against === 'draft' ? undefined : against,
      replayOf: record.id,
      liveKey: body?.liveKey,
    });
    const run = await runDebugTask(ctx, task);
    return { ...run, replayOf: record.id, against, funcId: record.funcId, kwargs: record.kwargsJSON };
  },

  diffTaskRecords: async ({ query }, { ctx }) => {
    const [a, b] = [await requireRecord(ctx, query.a, 'a'), await requireRecord(ctx, query.b, 'b')];
    return {
      a: side(a),
      b: side(b),
      sameFunc: a.funcId === b.funcId,
      returnValueChanges: jsonDiff(a.returnValueJSON ?? null, b.returnValueJSON ?? null),
      kwargsChanges: jsonDiff(a.kwargsJSON, b.kwargsJSON),
      durationDeltaMs: delta(side(a).durationMs, side(b).durationMs),
      peakMemoryDeltaMb: delta(a.peakMemoryMb, b.peakMemoryMb),
    };
  },
};
