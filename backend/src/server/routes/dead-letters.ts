/** The broker's dead letters, newest first, and running them again. */
import type { DeadLetter } from '../../../../contract/index.js';
import type { DeadLetterEntry } from '../../domain/ports/broker.js';
import { recordedKwargs, recordedRequest } from '../../domain/tasks/recorded-request.js';
import { requeuedTask } from '../../domain/tasks/requeue.js';
import type { Handlers } from '../handler.js';

/**
 * As the API shows it: the message without the HTTP request headers of an API call
 * (credentials), its other credentials masked as a task record masks them (the fields its API
 * auth names included), and uploaded files by their size, not their bytes (kept for a requeue).
 */
export function deadLetterToApi(d: DeadLetterEntry): DeadLetter {
  const { httpRequest, uploads, ...task } = d.task;
  const { headers: _headers, ...request } = recordedRequest(httpRequest, task.httpRequestSecrets) ?? { headers: {} };
  // An API auth function's req kwarg is the caller's request: masked as the record keeps it.
  const shown: Record<string, unknown> = { ...task, kwargs: recordedKwargs(d.task), ...(httpRequest ? { httpRequest: request } : {}) };
  if (uploads !== undefined)
    shown.uploads = uploads.map((u) => ({ bytes: Math.floor((u.base64.length * 3) / 4) - (u.base64.endsWith('==') ? 2 : u.base64.endsWith('=') ? 1 : 0) }));
  return { ...d, task: shown as DeadLetter['task'] };
}

export const deadLetterHandlers: Pick<Handlers, 'listDeadLetters' | 'requeueDeadLetters'> = {
  listDeadLetters: async ({ query }, { ctx }) => {
    return (await ctx.broker.deadLetters(query.limit)).map(deadLetterToApi);
  },
  requeueDeadLetters: async ({ body }, { ctx }) => {
    const ids = [...new Set(body.taskIds)];
    const taken = await ctx.broker.takeDeadLetters(ids);
    const requeued = [];
    for (const entry of taken) {
      const task = requeuedTask(entry.task, ctx.now());
      await ctx.dispatcher.submit(task);
      requeued.push({ taskId: entry.taskId, newTaskId: task.id, queue: task.queue });
    }
    const found = new Set(taken.map((e) => e.taskId));
    return { requeued, notFound: ids.filter((id) => !found.has(id)) };
  },
};
