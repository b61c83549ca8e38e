import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { buildUrl } from './build-url.js';
import { decodeResponse } from './decode-response.js';
import { createHttpClient } from './http-client.js';
import type { FetchInitLike } from './transport.js';
import { accessKeyStringToSign } from '../signing.js';

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
    expect(JSON.parse(String(seen[1]?.init.body ?? '{}'))).toEqual({ data: { codeDraft: 'x' }, prevCodeDraftMD5: 'p' });
  });

  it('signs each request with the access key over the exact body sent, a fresh nonce each time, no token', async () => {
    const seen: { url: string; init: FetchInitLike }[] = [];
    const signed: string[] = [];
    let n = 0;
    const api = createHttpClient({
      baseUrl: 'http://stack:8088',
      getToken: () => 'tok',
      accessKey: {
        id: 'ak-1',
        secret: 's',
        hmacSha1Hex: (_secret, text) => Promise.resolve(`sig:${signed.push(text)}`),
        randomBytes: (len) => new Uint8Array(len).fill(++n),
        now: () => 1_700_000_000_999,
      },
      fetch: (url, init) => {
        seen.push({ url, init });
        return Promise.resolve({ status: 200, text: () => Promise.resolve(JSON.stringify({ ok: true, data: [] })) });
      },
    });
    await api.listScripts({ query: { scriptSetId: "it's" } });
    await api.modifyScript({ params: { id: 'demo__a' }, body: { prevCodeDraftMD5: 'p', data: { codeDraft: 'é' } } });
    expect(seen[0]?.url).toBe('http://stack:8088/api/v1/scripts/do/list?scriptSetId=it%27s');
    expect(seen[0]?.init.headers).toMatchObject({ 'x-dff-ak-id': 'ak-1', 'x-dff-ak-timestamp': '1700000000', 'x-dff-ak-nonce': '01'.repeat(16), 'x-dff-ak-sign': 'sig:1' });
    expect(seen[0]?.init.headers['x-dff-auth-token']).toBeUndefined();
    expect(signed[0]).toBe(
      accessKeyStringToSign({ method: 'GET', path: '/api/v1/scripts/do/list?scriptSetId=it%27s', timestamp: '1700000000', nonce: '01'.repeat(16), bodyText: '{}' }),
    );
    const body = String(seen[1]?.init.body ?? '');
    expect(body).toBe('{"data":{"codeDraft":"é"},"prevCodeDraftMD5":"p"}');
    expect(signed[1]).toBe(accessKeyStringToSign({ method: 'POST', path: '/api/v1/scripts/demo__a/do/modify', timestamp: '1700000000', nonce: '02'.repeat(16), bodyText: body }));
  });

  it('signs the event stream in the query', async () => {
    const urls: string[] = [];
    const api = createHttpClient({
      baseUrl: 'http://stack:8088',
      fetch: () => Promise.reject(new Error('unused')),
      accessKey: { id: 'ak-1', secret: 's', hmacSha1Hex: () => Promise.resolve('abc'), randomBytes: (len) => new Uint8Array(len), now: () => 1_700_000_000_000 },
      eventSource: (url) => {
        urls.push(url);
        return { addEventListener: () => undefined, close: () => undefined };
      },
    });
    api.subscribeTopology(() => undefined);
    await Promise.resolve();
    await Promise.resolve();
    expect(urls).toEqual([`http://stack:8088/api/v1/events?xDffAkId=ak-1&xDffAkTimestamp=1700000000&xDffAkNonce=${'00'.repeat(16)}&xDffAkSign=abc`]);
  });
});
