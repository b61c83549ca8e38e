import { describe, expect, it } from 'vitest';
import type { DeadLetterEntry } from '../../domain/ports/broker.js';
import type { TaskMessage } from '../../domain/tasks/task.js';
import { deadLetterToApi } from './dead-letters.js';

const request = {
  method: 'GET',
  url: '/api/v1/sync/a',
  originalUrl: '/api/v1/sync/a?code=dl-secret-1&x=1',
  headers: { 'x-client-code': 'dl-secret-2' },
  query: { code: 'dl-secret-1', x: '1' },
  body: {},
};

function entry(task: Partial<TaskMessage>): DeadLetterEntry {
  return { taskId: 't1', funcId: 'a.b', queue: 1, attempts: 3, at: 0, history: [], task: { id: 't1', funcId: 'a.b', kwargs: {}, ...task } as TaskMessage };
}

describe('dead letters as the API shows them (viewers read them)', () => {
  it("mask the fields an API's fixedField auth names, and leave out the request's headers", () => {
    const shown = deadLetterToApi(entry({ origin: 'syncAPI', httpRequest: request, httpRequestSecrets: [{ location: 'query', name: 'code' }] }));
    expect(JSON.stringify(shown)).not.toMatch(/dl-secret/);
    expect(shown.task).toMatchObject({ httpRequest: { query: { code: '***', x: '1' } } });
  });

  it("mask an API auth function's req kwarg (the caller's request) as its record does", () => {
    const shown = deadLetterToApi(
      entry({
        origin: 'apiAuth',
        kwargs: {
          req: { method: 'GET', url: '/api/v1/sync/a?auth-token=dl-secret-4', headers: { 'x-auth-token': 'dl-secret-3' }, query: { 'auth-token': 'dl-secret-4' }, body: {} },
        },
      }),
    );
    expect(JSON.stringify(shown)).not.toMatch(/dl-secret/);
    expect(shown.task).toMatchObject({ kwargs: { req: { headers: { 'x-auth-token': '***' }, query: { 'auth-token': '***' } } } });
  });
});
