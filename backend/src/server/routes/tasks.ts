/** Reading tasks and task records. */
import { ApiError } from '../../../../contract/errors.js';
import type { TaskRecordFilter, TaskRecordRow } from '../../domain/ports/store.js';
import type { AppContext } from '../app-context.js';
import { recordToApi } from '../../domain/tasks/task-record.js';
import type { TaskOutcome } from '../../domain/tasks/task.js';
import type { Handlers } from '../handler.js';
import { waitingPlace } from './task-position.js';
import { withFuncFields } from './lookups.js';
import { recordSearch } from './fuzzy-search.js';

/**
 * Cancel a task whose record says queued, if the broker still holds it waiting: taken out
 * atomically, its record made final, a sync caller waiting for it answered. The record's patch,
 * or null when a worker took it (nothing changes then).
 */
export async function cancelWaiting(ctx: AppContext, record: TaskRecordRow): Promise<Partial<TaskRecordRow> | null> {
  if (!(await ctx.broker.cancel(record.id, record.queue))) return null;
  const now = ctx.now();
  const patch = { status: 'cancelled', endTimeMs: now, reason: 'EFuncCancelled', messageJSON: null };
  await ctx.store.taskRecords.update(record.id, patch);
  // A sync caller waiting for it (an embedded stack's own call) gets an error answer now.
  if ((record.messageJSON as { waitResult?: unknown } | null)?.waitResult === true) {
    const outcome: TaskOutcome = { status: 'failure', reason: 'EFuncCancelled', exception: 'The task was cancelled before a worker started it', printLogs: [], endTime: now };
    await ctx.broker.publishResult({ taskId: record.id, payload: outcome });
  }
  return patch;
}

export const taskHandlers: Pick<Handlers, 'getTask' | 'cancelTask' | 'listTaskRecords'> = {
  getTask: async ({ params }, { ctx }) => {
    const record = await ctx.store.taskRecords.get(params.id);
    if (!record) throw new ApiError('EClientNotFound', `No such task: ${params.id}`, { field: 'id', id: params.id });
    // A waiting task: where it stands in its queue and when it should start.
    return { ...recordToApi(record), ...(await waitingPlace(ctx, record)) } as never;
  },
  /**
   * Only a task still waiting in the broker (queued or delayed) is cancelled: the broker takes
   * it out atomically, so a worker never gets it, and then its record becomes final (recovery
   * after a restart re-enqueues only queued/running records). A task a worker already took
   * (its record may still say queued), or one that ended, answers 403 and is left alone.
   */
  cancelTask: async ({ params }, { ctx }) => {
    const record = await ctx.store.taskRecords.get(params.id);
    if (!record) throw new ApiError('EClientNotFound', `No such task: ${params.id}`, { field: 'id', id: params.id });
    const refuse = (status: string): ApiError =>
      new ApiError('EBizCondition', `Not possible in the current state: task ${record.id} is ${status}; only a waiting or delayed task can be cancelled`, {
        id: record.id,
        status,
      });
    if (record.status !== 'queued') throw refuse(record.status);
    const patch = await cancelWaiting(ctx, record);
    if (!patch) throw refuse('taken by a worker');
    return recordToApi({ ...record, ...patch }) as never;
  },
  listTaskRecords: async ({ query }, { ctx }) => {
    const filter: TaskRecordFilter = {};
    if (query.id) filter.id = query.id;
    if (query.funcId) filter.funcId = query.funcId;
    if (query.origin) filter.origin = query.origin;
    if (query.originId) filter.originId = query.originId;
    if (query.rootTaskId) filter.rootTaskId = query.rootTaskId;
    if (query.scriptSetId) filter.scriptSetId = query.scriptSetId;
    if (query.scriptId) filter.scriptId = query.scriptId;
    if (query.queue !== undefined) filter.queue = query.queue;
    if (query.status) filter.status = query.status.split(',');
    if (query.since !== undefined) filter.since = query.since;
    if (query.until !== undefined) filter.until = query.until;
    const search = recordSearch('taskRecords', query._fuzzySearch);
    if (search) filter.anyContains = search;
    const pageSize = query.pageSize ?? 100;
    const rows = await ctx.store.taskRecords.list(filter, { limit: pageSize, offset: ((query.pageNumber ?? 1) - 1) * pageSize });
    // With the function joined (func_*), as DataFlux Func lists them (its console shows the title).
    return (await withFuncFields(rows.map(recordToApi) as (Record<string, unknown> & { funcId: string })[], ctx)) as never;
  },
};
