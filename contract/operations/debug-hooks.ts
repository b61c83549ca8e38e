/**
 * DataFlux Func's debug routes that have an equivalent in Func (the others are left out, with
 * their reasons in docs/compatibility.md).
 */
import { z } from 'zod';
import { operation } from '../operation.js';

/** Func's queues: 0 (drafts) to 15. */
export const WORKER_QUEUES = Array.from({ length: 16 }, (_, q) => q);

export const clearWorkerQueues = operation('clearWorkerQueues', 'POST /api/v1/debug/worker-queues/do/clear', 'general_w', {
  summary:
    "DataFlux Func's clearing of worker queues: every task still waiting (queued or delayed, not taken by a worker) on the queues given (all when left out or null) is taken out and its record ends cancelled, as one cancel each; answers how many per queue",
  body: z
    .object({
      workerQueues: z.array(z.number().int().min(0).max(15)).max(16).nullable().optional(),
    })
    .optional(),
  output: z.object({ cancelled: z.number(), queues: z.record(z.string(), z.number()) }),
});
