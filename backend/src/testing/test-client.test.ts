import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../contract/errors.js';
import { ANONYMOUS, rawApi, testClient, type TestRequest, type TestTransport } from './test-client.js';

/** A transport that records each request and answers `answer`. */
function recording(answer: { status: number; text: string }): { transport: TestTransport; seen: TestRequest[] } {
  const seen: TestRequest[] = [];
  return {
    seen,
    transport: (req) => {
      seen.push(req);
      return Promise.resolve({ ...answer, headers: { 'x-seen': String(seen.length) } });
    },
  };
}

describe('test client', () => {
  it('raw: sends the token unless the headers bring their own; ANONYMOUS sends none', async () => {
    const { transport, seen } = recording({ status: 200, text: JSON.stringify({ ok: true, data: { id: 'a' } }) });
    const api = rawApi({ transport, token: () => 'tok' });
    const r = await api('POST', '/api/v1/x', { a: 1 });
    await api('GET', '/api/v1/x', undefined, ANONYMOUS);
    await api('GET', '/api/v1/x', undefined, { 'X-Dff-Auth-Token': 'other' });
    expect(r).toMatchObject({ status: 200, data: { id: 'a' }, body: { ok: true }, headers: { 'x-seen': '1' } });
    expect(seen[0]).toEqual({ method: 'POST', path: '/api/v1/x', headers: { 'x-dff-auth-token': 'tok', 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(seen[1]?.headers).toEqual({});
    expect(seen[2]?.headers).toEqual({ 'X-Dff-Auth-Token': 'other' });
  });

  it('raw: a string body goes as it is, with no content type of its own; a non-JSON answer has an empty body', async () => {
    const { transport, seen } = recording({ status: 500, text: 'oops' });
    const r = await rawApi({ transport })('POST', '/p', '{not json', { 'content-type': 'text/plain' });
    expect(seen[0]).toEqual({ method: 'POST', path: '/p', headers: { 'content-type': 'text/plain' }, body: '{not json' });
    expect(r).toMatchObject({ status: 500, body: {}, data: undefined, text: 'oops' });
  });

  it('typed: one call per operation with its path and token, a refusal thrown as its ApiError', async () => {
    const { transport, seen } = recording({ status: 404, text: JSON.stringify({ ok: false, reason: 'EClientNotFound', message: 'no such task', detail: { id: 't' } }) });
    const client = testClient({ transport, token: () => 'tok' });
    const err = await client.getTask({ params: { id: 't' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'EClientNotFound', detail: { id: 't', status: 404 } });
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/api/v1/tasks/t', headers: { 'x-dff-auth-token': 'tok' } });
  });

  it('typed with an access key: signed, no token', async () => {
    const { transport, seen } = recording({ status: 200, text: JSON.stringify({ ok: true, data: [] }) });
    await testClient({ transport, token: () => 'tok', accessKey: { id: 'ak', secret: 's' } }).listScripts({});
    expect(seen[0]?.headers['x-dff-ak-id']).toBe('ak');
    expect(seen[0]?.headers['x-dff-ak-sign']).toMatch(/^[0-9a-f]{40}$/);
    expect(seen[0]?.headers['x-dff-auth-token']).toBeUndefined();
  });
});
