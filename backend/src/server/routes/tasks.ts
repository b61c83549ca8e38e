/** Reading tasks and task records. */
import { ApiError } from '../../../../contract/errors.js';
import type { TaskRecordFilter } from '../../domain/ports/store.js';
import { recordToApi } from '../../domain/tasks/task-record.js';
import type { Handlers } from '../handler.js';

export const taskHandlers: Pick<Handlers, 'getTask' | 'listTaskRecords'> = {
  getTask: async ({ params }, { ctx }) => {
    const record = await ctx.store.taskRecords.get(params.id);
    if (!record) throw new ApiError('EClientNotFound', `No such task: ${params.id}`, { field: 'id', id: params.id });
    return recordToApi(record) as never;
  },
  listTaskRecords: async ({ query }, { ctx }) => {
    const filter: TaskRecordFilter = {};
    if (query.id) filter.id = query.id;
    if (query.funcId) filter.funcId = query.funcId;
    if (query.origin) filter.origin = query.origin;
    if (query.originId) filter.originId = query.originId;
    if (query.rootTaskId) filter.rootTaskId = query.rootTaskId;
    if (query.status) filter.status = query.status.split(',');
    if (query.since !== undefined) filter.since = query.since;
    if (query.until !== undefined) filter.until = query.until;
    const pageSize = query.pageSize ?? 100;
    const rows = await ctx.store.taskRecords.list(filter, { limit: pageSize, offset: ((query.pageNumber ?? 1) - 1) * pageSize });
    return rows.map(recordToApi) as never;
  },
};
