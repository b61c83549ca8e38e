import { describe, expect, it } from 'vitest';
import { recordedKwargs, recordedRequest, storedMessage } from './recorded-request.js';
import type { RequestSecretField, TaskHttpRequest, TaskMessage } from './task.js';

const FIXED: RequestSecretField[] = [
  { location: 'header', name: 'X-Client-Code' },
  { location: 'query', name: 'code' },
  { location: 'body', name: 'pin' },
];

const request: TaskHttpRequest = {
  method: 'POST',
  url: '/api/v1/sync/a',
  originalUrl: '/api/v1/sync/a?x=1&code=s2',
  headers: { 'x-client-code': 's1', authorization: 'Basic dTpw', 'x-other': 'kept' },
  query: { x: '1', code: 's2' },
  body: { pin: 's3', y: 2 },
};

describe('recordedRequest', () => {
  it("masks the fields the API's auth names (a header in any case, a query or body field wherever it came) beside the credential-like ones", () => {
    const r = recordedRequest(request, FIXED)!;
    expect(r).toMatchObject({
      originalUrl: '/api/v1/sync/a?x=1&code=***',
      headers: { 'x-client-code': '***', authorization: '***', 'x-other': 'kept' },
      query: { x: '1', code: '***' },
      body: { pin: '***', y: 2 },
    });
    expect(JSON.stringify(r)).not.toMatch(/s1|s2|s3|dTpw/);
  });

  it('masks nested fields too (bracket keys nest them: user[password]=…, creds[token]=…)', () => {
    const nested = { ...request, query: { user: { password: 'n1', name: 'ann' } }, body: { creds: [{ token: 'n2' }], pin: { code: 'n3' } } };
    const r = recordedRequest(nested, FIXED)!;
    expect(r).toMatchObject({ query: { user: { password: '***', name: 'ann' } }, body: { creds: [{ token: '***' }], pin: '***' } });
    expect(JSON.stringify(r)).not.toMatch(/n1|n2|n3/);
  });

  it('without names masks only what looks like a credential (the record of a call without fixedField auth)', () => {
    expect(recordedRequest(request)).toMatchObject({ headers: { 'x-client-code': 's1', authorization: '***' }, query: { code: 's2' } });
  });
});

describe('storedMessage', () => {
  it("keeps a task's message with its request masked as the record's, the names kept so that masking again changes nothing", () => {
    const task = { id: 't1', funcId: 'a.b', kwargs: { x: 1 }, httpRequest: request, httpRequestSecrets: FIXED } as unknown as TaskMessage;
    const stored = storedMessage(task);
    expect(JSON.stringify(stored)).not.toMatch(/s1|s2|s3|dTpw/);
    expect(stored).toMatchObject({ id: 't1', kwargs: { x: 1 }, httpRequestSecrets: FIXED });
    expect(storedMessage(stored as unknown as TaskMessage)).toEqual(stored);
    expect(task.httpRequest).toBe(request);
    const plain = { id: 't2', kwargs: {} } as unknown as TaskMessage;
    expect(storedMessage(plain)).toBe(plain);
  });
});

describe('recordedKwargs', () => {
  it("masks an API auth function's req kwarg (the caller's request) as a recorded request; other tasks' kwargs are their own", () => {
    const req = { method: 'GET', url: '/api/v1/sync/a?auth-token=q1', headers: { 'x-auth-token': 'h1', accept: '*/*' }, query: { 'auth-token': 'q1' }, body: {} };
    const auth = { id: 't3', origin: 'apiAuth', kwargs: { req } } as unknown as TaskMessage;
    const kept = recordedKwargs(auth);
    expect(kept).toMatchObject({ req: { url: '/api/v1/sync/a?auth-token=***', headers: { 'x-auth-token': '***', accept: '*/*' }, query: { 'auth-token': '***' } } });
    expect(JSON.stringify(storedMessage(auth))).not.toMatch(/h1|q1/);
    expect(auth.kwargs.req).toBe(req);
    const other = { id: 't4', origin: 'syncAPI', kwargs: { req } } as unknown as TaskMessage;
    expect(recordedKwargs(other)).toBe(other.kwargs);
  });
});
