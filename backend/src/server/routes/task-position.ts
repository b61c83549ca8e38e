/** Queue position and predicted start of a waiting task, for the task answers (one estimator per server). */
import { QueueEta } from '../../domain/tasks/queue-eta.js';
import { perContext, type AppContext } from '../app-context.js';

const estimator = perContext(
  (ctx) =>
    new QueueEta({
      timingsSince: (since, limit) => ctx.store.taskRecords.timingsSince(since, limit),
      units: async () => ((await ctx.stack?.deployed.get()) ?? ctx.topology).units,
      now: ctx.now,
    }),
);

export interface WaitingPlace {
  /** 1 = the next task a worker takes; null when the task is not waiting ready. */
  queuePosition: number | null;
  /** Epoch ms it should start (measured T and the listening processes); null when unknown. */
  predictedStartMs: number | null;
}

/**
 * Only a queued task asks the broker; any other answers nulls at no cost. `known`: the place the
 * enqueue just answered (no second round trip to the broker for a task accepted a moment ago).
 */
export async function waitingPlace(ctx: AppContext, task: { id: string; queue: number; status?: string }, known?: number | null): Promise<WaitingPlace> {
  if (task.status !== undefined && task.status !== 'queued') return { queuePosition: null, predictedStartMs: null };
  const queuePosition = known !== undefined ? known : await ctx.broker.queuePosition(task.id, task.queue).catch(() => null);
  const predictedStartMs = await estimator(ctx)
    .predictStart(task.queue, queuePosition)
    .catch(() => null);
  return { queuePosition, predictedStartMs };
}
