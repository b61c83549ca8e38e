/**
 * Compressed request bodies, as DataFlux Func takes them (Express body-parser): gzip and deflate
 * are decoded for every route, another encoding answers 415 naming Content-Encoding, a broken
 * stream 400 naming the body, and a small body that inflates past the limits 413 without being
 * inflated whole.
 */
import { deflateSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestStack } from '../src/testing/test-stack.js';

const CODE = `@DFF.API('Echo')
def echo(**kw):
    return kw
`;

const t = useTestStack({ enc__s: CODE }, { FUNC_BODY_LIMIT_MB: '1', FUNC_UPLOAD_LIMIT_MB: '2' });

beforeAll(async () => {
  await t.client.addSyncApi({ body: { data: { id: 'enc', funcId: 'enc__s.echo', funcCallKwargsJSON: {} } } });
});

async function post(url: string, payload: Buffer | string, headers: Record<string, string>): Promise<{ status: number; body: Record<string, unknown>; ms: number }> {
  const started = Date.now();
  const r = await t.stack.app.inject({ method: 'POST', url, payload, headers: { 'x-dff-auth-token': t.token, ...headers } });
  return { status: r.statusCode, body: JSON.parse(r.body) as Record<string, unknown>, ms: Date.now() - started };
}

describe('Content-Encoding of request bodies', () => {
  it('decodes gzip JSON and deflate forms, for a sync API and the management API alike', async () => {
    const json = gzipSync(JSON.stringify({ kwargs: { word: 'gzipped ünïcode' } }));
    const a = await post('/api/v1/sync/enc', json, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(json.length) });
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body).toEqual({ word: 'gzipped ünïcode' });
    const form = deflateSync('word=deflated&n=1');
    const b = await post('/api/v1/sync/enc/simplified', form, { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'Deflate' });
    expect(b.body).toEqual({ word: 'deflated', n: '1' });
    const set = gzipSync(JSON.stringify({ data: { id: 'zipped' } }));
    expect((await post('/api/v1/script-sets/do/add', set, { 'content-type': 'application/json', 'content-encoding': 'x-gzip' })).status).toBe(200);
  });

  it('takes a form of 1000 pairs, bracket keys nested (objects without a prototype pass the schema), and refuses 1001 with 413 naming the limit', async () => {
    const form = 'kwargs[word]=nested&kwargs[list][]=1&kwargs[list][]=2&' + Array.from({ length: 997 }, (_, i) => `kwargs[k${i}]=${i}`).join('&');
    const ok = await post('/api/v1/sync/enc', form, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(ok.status, JSON.stringify(ok.body).slice(0, 300)).toBe(200);
    expect(ok.body).toMatchObject({ word: 'nested', list: ['1', '2'], k996: '996' });
    const many = await post('/api/v1/sync/enc', `${form}&one=more`, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(many.status).toBe(413);
    expect(many.body).toMatchObject({ reason: 'EClientPayloadTooLarge', detail: { field: 'body' } });
    expect(String(many.body.message)).toMatch(/more than 1000 key=value pairs/);
  });

  it('refuses another encoding with 415 naming Content-Encoding, and a broken gzip stream with 400 naming the body', async () => {
    const br = await post('/api/v1/sync/enc', '{"kwargs":{}}', { 'content-type': 'application/json', 'content-encoding': 'br' });
    expect(br.status).toBe(415);
    expect(br.body).toMatchObject({ reason: 'EClientUnsupported', detail: { field: 'Content-Encoding' } });
    const broken = await post('/api/v1/sync/enc', Buffer.from('not gzip at all'), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ reason: 'EClientBadRequest', detail: { field: 'body' } });
    expect(String(broken.body.message)).toMatch(/gzip/);
  });

  it('answers 413 for a body that inflates past the limit, without inflating all of it', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024)); // ~64 KB of gzip for 64 MB
    const r = await post('/api/v1/sync/enc', bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ reason: 'EClientPayloadTooLarge', detail: { field: 'body' } });
    expect(r.ms).toBeLessThan(2_000);
  });

  it('ignores the header on a request without a body', async () => {
    const r = await t.stack.app.inject({ method: 'GET', url: '/api/v1/sync/enc/simplified?word=plain', headers: { 'content-encoding': 'br' } });
    expect(JSON.parse(r.body)).toEqual({ word: 'plain' });
  });
});
