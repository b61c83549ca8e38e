import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { buildUrl } from './build-url.js';
import { decodeResponse } from './decode-response.js';
import { createHttpClient } from './http-client.js';
import type { FetchInitLike } from './transport.js';

describe('contract client', () => {
  it('fills path parameters and the query string', () => {
    expect(buildUrl('http://h:1/', '/api/v1/scripts/:id/do/get', { id: 'a b' }, { x: 1, y: undefined, z: '' })).toBe('http://h:1/api/v1/scripts/a%20b/do/get?x=1');
    expect(() => buildUrl('', '/api/v1/func/:funcId')).toThrow(/funcId/);
  });

  it('unwraps the envelope and turns errors into ApiError with the detail', () => {
    expect(decodeResponse(200, JSON.stringify({ ok: true, error: 200, message: '', data: { id: 'x' }, traceId: 't' }))).toEqual({ id: 'x' });
    const err = (() => {
      try {
        decodeResponse(409, JSON.stringify({ ok: false, error: 409, reason: 'EBizRequestConflict', message: 'changed', detail: { codeDraftMD5: 'm' }, traceId: 't' }));
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('EBizRequestConflict');
    expect((err as ApiError).detail.codeDraftMD5).toBe('m');
    expect(decodeResponse(200, 'plain')).toBe('plain');
  });

  it('sends one request per operation with the token, GET for reads and JSON bodies for writes', async () => {
    const seen: { url: string; init: FetchInitLike }[] = [];
    const api = createHttpClient({
      baseUrl: 'http://stack',
      getToken: () => 'tok',
      fetch: (url, init) => {
        seen.push({ url, init });
        return Promise.resolve({ status: 200, text: () => Promise.resolve(JSON.stringify({ ok: true, data: [] })) });
      },
    });
    await api.listScripts({ query: { scriptSetId: 'demo' } });
    await api.modifyScript({ params: { id: 'demo__a' }, body: { data: { codeDraft: 'x' }, prevCodeDraftMD5: 'p' } });
    expect(seen[0]).toMatchObject({ url: 'http://stack/api/v1/scripts/do/list?scriptSetId=demo', init: { method: 'GET', headers: { 'x-dff-auth-token': 'tok' } } });
    expect(seen[1]?.init.method).toBe('POST');
    expect(JSON.parse(seen[1]?.init.body ?? '{}')).toEqual({ data: { codeDraft: 'x' }, prevCodeDraftMD5: 'p' });
  });
});
