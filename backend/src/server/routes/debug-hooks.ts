/** DataFlux Func's debug routes answered by Func: clearing worker queues. */
import { WORKER_QUEUES } from '../../../../contract/operations/debug-hooks.js';
import type { TaskRecordRow } from '../../domain/ports/store.js';
import type { Handlers } from '../handler.js';
import { cancelWaiting } from './tasks.js';

const PAGE = 1000;

export const debugHookHandlers: Pick<Handlers, 'clearWorkerQueues'> = {
  // DataFlux Func deletes its queues' lists; Func cancels each waiting task as a cancel would,
  // so no record stays queued (recovery would enqueue it again) and no sync caller hangs.
  clearWorkerQueues: async ({ body }, { ctx }) => {
    const queues = new Set(body?.workerQueues ?? WORKER_QUEUES);
    const waiting: TaskRecordRow[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await ctx.store.taskRecords.list({ status: 'queued' }, { limit: PAGE, offset });
      for (const r of page) if (queues.has(r.queue)) waiting.push(r);
      if (page.length < PAGE) break;
    }
    const perQueue: Record<string, number> = Object.fromEntries([...queues].sort((a, b) => a - b).map((q) => [String(q), 0]));
    let cancelled = 0;
    for (const record of waiting) {
      if (!(await cancelWaiting(ctx, record))) continue;
      cancelled++;
      perQueue[String(record.queue)] = (perQueue[String(record.queue)] ?? 0) + 1;
    }
    return { cancelled, queues: perQueue };
  },
};
