/** The broker's dead letters (admin users only), newest first. */
import type { DeadLetter } from '../../../../contract/index.js';
import type { DeadLetterEntry } from '../../domain/ports/broker.js';
import type { Handlers } from '../handler.js';

/** As the API shows it: the message without the HTTP request headers of an API call (credentials). */
function deadLetterToApi(d: DeadLetterEntry): DeadLetter {
  const { httpRequest, ...task } = d.task;
  const { headers: _headers, ...request } = httpRequest ?? { headers: {} };
  return { ...d, task: httpRequest ? { ...task, httpRequest: request } : task };
}

export const deadLetterHandlers: Pick<Handlers, 'listDeadLetters'> = {
  listDeadLetters: async ({ query }, { ctx }) => {
    return (await ctx.broker.deadLetters(query.limit)).map(deadLetterToApi);
  },
};
