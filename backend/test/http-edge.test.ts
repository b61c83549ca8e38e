/**
 * The HTTP edge (issue 14, findings 4, 7, 10, 12): JSON nesting bounded before anything reads it,
 * function responses sandboxed, paging bounded, cron/API checks on modify like on add, /metrics
 * and the OpenAPI document protectable, security headers on every response.
 */
import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonJsonDumps } from '../../contract/signing.js';
import { MAX_JSON_DEPTH } from '../../contract/json-depth.js';
import { startTestStack, type ApiResponse, type TestStack } from '../src/testing/test-stack.js';

const CODE = `
def depth(v):
    n = 0
    while isinstance(v, list):
        n += 1
        v = v[0] if v else None
    return n

@DFF.API('Depth')
def measure(v=None):
    return depth(v)

@DFF.API('Page')
def page():
    return DFF.RESP('<script>parent.localStorage.clear()</script>', content_type='text/html')

@DFF.API('Own CSP')
def own_csp():
    return DFF.RESP('<p>x</p>', content_type='text/html', headers={'Content-Security-Policy': "default-src 'self'", 'X-Content-Type-Options': 'off'})

@DFF.API('Text')
def text():
    return '<script>alert(1)</script>'

@DFF.API('Fixed', fixed_cron_expr='*/5 * * * *')
def fixed():
    return 1
`;

/** [[[…]]] `levels` deep, as JSON text. */
const brackets = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;

let t: TestStack;
let syncId: string;
let asyncId: string;
let ak: { id: string; secret: string };

const json = (method: 'POST', url: string, text: string, headers: Record<string, string> = {}): Promise<ApiResponse> =>
  t.api(method, url, text, { 'content-type': 'application/json', ...headers });

const expectTooDeep = (r: ApiResponse, field = 'body'): void => {
  expect(r.status, r.text).toBe(400);
  expect(r.body.reason).toBe('EClientBadRequest');
  expect(r.body.message).toBe(`${field}: nested deeper than ${MAX_JSON_DEPTH} levels`);
  expect(r.body.detail?.field).toBe(field);
};

beforeAll(async () => {
  t = await startTestStack();
  await t.publish('edge__fn', CODE);
  syncId = (await t.client.addSyncApi({ body: { data: { funcId: 'edge__fn.measure', funcCallKwargsJSON: { v: 'INPUT_BY_CALLER' } } } })).id;
  asyncId = (await t.client.addAsyncApi({ body: { data: { funcId: 'edge__fn.measure', funcCallKwargsJSON: { v: 'INPUT_BY_CALLER' } } } })).id;
  const added = await t.admin('POST', '/api/v1/access-keys/do/add', { data: { title: 'edge key' } });
  ak = added.body.data as { id: string; secret: string };
}, 60_000);
afterAll(async () => t?.close());

describe('finding 4: JSON nesting is bounded at the HTTP edge', () => {
  it(`a public sync API: ${MAX_JSON_DEPTH + 1} levels is a 400 naming the limit, ${MAX_JSON_DEPTH} works`, async () => {
    // {"kwargs": {"v": [[…]]}}: 2 levels of wrapping.
    expectTooDeep(await json('POST', `/api/v1/sync/${syncId}`, `{"kwargs":{"v":${brackets(MAX_JSON_DEPTH - 1)}}}`));
    const ok = await json('POST', `/api/v1/sync/${syncId}`, `{"kwargs":{"v":${brackets(MAX_JSON_DEPTH - 2)}}}`);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.text).toBe(String(MAX_JSON_DEPTH - 2));
    expectTooDeep(await json('POST', `/api/v1/sync/${syncId}/simplified`, `{"v":${brackets(990)}}`));
    expectTooDeep(await json('POST', `/api/v1/async/${asyncId}`, `{"kwargs":{"v":${brackets(5000)}}}`));
  });

  it('JSON text inside a body or a query (kwargs as text) is bounded the same', async () => {
    expectTooDeep(await t.api('POST', `/api/v1/sync/${syncId}`, { kwargs: JSON.stringify({ v: JSON.parse(brackets(100)) as unknown }) }), 'kwargs');
    expectTooDeep(await t.api('GET', `/api/v1/sync/${syncId}?kwargs=${encodeURIComponent(`{"v":${brackets(100)}}`)}`), 'kwargs');
    expectTooDeep(await t.admin('POST', '/api/v1/func/edge__fn.measure', { kwargs: `{"v":${brackets(100)}}` }), 'body.kwargs');
  });

  it('a number no double holds in JSON text kwargs: 400 naming where it is, not null', async () => {
    for (const r of [
      await t.api('POST', `/api/v1/sync/${syncId}`, { kwargs: '{"v": [1, 1e400]}' }),
      await t.api('GET', `/api/v1/sync/${syncId}?kwargs=${encodeURIComponent('{"v": [1, 1e400]}')}`),
    ]) {
      expect(r.status, r.text).toBe(400);
      expect(r.body.detail?.field).toBe('kwargs.v.1');
      expect(r.body.message).toContain('a number too large for JSON');
    }
  });

  it('/api/v1/do/echo: 400 at 65 levels, answers at 64', async () => {
    expectTooDeep(await json('POST', '/api/v1/do/echo', brackets(MAX_JSON_DEPTH + 1)));
    expectTooDeep(await json('POST', '/api/v1/do/echo', brackets(100_000)));
    const ok = await json('POST', '/api/v1/do/echo', brackets(MAX_JSON_DEPTH));
    expect(ok.status, ok.text).toBe(200);
    expect(JSON.stringify(ok.body.data)).toBe(brackets(MAX_JSON_DEPTH));
  });

  it('brackets inside strings do not count', async () => {
    const r = await t.api('POST', '/api/v1/do/echo', { s: `"\\${brackets(500)}` });
    expect(r.status, r.text).toBe(200);
  });

  it('a known access key with a bad signature and a deep body: 400, not 500', async () => {
    const body = `{"kwargs":{"v":${brackets(5000)}}}`;
    const ts = String(Math.floor(Date.now() / 1000));
    const md5 = createHash('md5').update(pythonJsonDumps({})).digest('hex');
    const sign = createHmac('sha1', 'wrong-secret').update(`POST&/api/v1/func/edge__fn.measure&${ts}&n1&${md5}`).digest('hex');
    const r = await json('POST', '/api/v1/func/edge__fn.measure', body, { 'x-dff-ak-id': ak.id, 'x-dff-ak-timestamp': ts, 'x-dff-ak-nonce': 'n1', 'x-dff-ak-sign': sign });
    expectTooDeep(r);
  });

  it('headers over 16 KB (a long id in the URL): 431 with the envelope, from a real listener', async () => {
    const base = await t.stack.app.listen({ port: 0, host: '127.0.0.1' });
    const res = await fetch(`${base}/api/v1/sync/${'x'.repeat(20_000)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(431);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.json()).toMatchObject({ ok: false, error: 431, reason: 'EClientBadRequest', detail: { field: 'headers' } });
  });

  it('a path parameter of any length the request line holds reaches its route: a 400 naming it, after authentication, not "No such route"', async () => {
    for (const n of [2048, 2049, 5000, 15_000]) {
      const long = 'x'.repeat(n);
      for (const [url, field, message] of [
        [`/api/v1/sync-apis/${long}/do/get`, 'params.id', 'params.id: invalid id'],
        [`/api/v1/func/${long}`, 'params.funcId', 'params.funcId: must be <scriptSet>__<script>.<function>'],
        [`/api/v1/tasks/${long}`, 'params.id', 'params.id: invalid task id'],
      ] as const) {
        const r = await t.admin(url.startsWith('/api/v1/func/') ? 'POST' : 'GET', url, url.startsWith('/api/v1/func/') ? {} : undefined);
        expect(r.status, `${n}: ${url.slice(0, 40)}: ${r.text.slice(0, 200)}`).toBe(400);
        expect(r.body).toMatchObject({ reason: 'EClientBadRequest', message, detail: { field } });
      }
      const anonymous = await t.api('GET', `/api/v1/sync-apis/${long}/do/get`);
      expect(anonymous.status, String(n)).toBe(401);
    }
  });

  it('an empty JSON body is no input, as DataFlux Func reads it (its SDK posts body={} that way); whitespace is not JSON', async () => {
    const call = await json('POST', '/api/v1/func/edge__fn.measure', '', { 'x-dff-auth-token': t.token });
    expect(call.status, call.text).toBe(200);
    expect(call.body.data).toMatchObject({ result: 0 });
    const echo = await json('POST', '/api/v1/do/echo', '');
    expect(echo.status, echo.text).toBe(200);
    const sync = await json('POST', `/api/v1/sync/${syncId}`, '');
    expect(sync.status, sync.text).toBe(200);
    expect(sync.text).toBe('0');
    const blank = await json('POST', '/api/v1/do/echo', '  ');
    expect(blank.status, blank.text).toBe(400);
    expect(blank.body.detail?.field).toBe('body');
  });

  it("a JSON operation's body sent as another type (curl's form default, text, XML, none) is refused naming its Content-Type, not body.data", async () => {
    const body = '{"data": {"id": "edge_ct"}}';
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'application/xml', undefined]) {
      const headers: Record<string, string> = { 'x-dff-auth-token': t.token, ...(type ? { 'content-type': type } : {}) };
      const r = await t.stack.app.inject({ method: 'POST', url: '/api/v1/script-sets/do/add', headers, payload: body });
      const answer = JSON.parse(r.body) as { message: string; detail?: { field?: string } };
      expect(r.statusCode, r.body).toBe(400);
      expect(answer.detail?.field).toBe('Content-Type');
      expect(answer.message).toContain(type ?? 'none sent');
      expect(answer.message).toContain('application/json');
    }
    // Sent as JSON the same body is taken; a JSON body its schema refuses still names the field.
    const ok = await t.stack.app.inject({
      method: 'POST',
      url: '/api/v1/script-sets/do/add',
      headers: { 'x-dff-auth-token': t.token, 'content-type': 'application/json' },
      payload: body,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const bad = await json('POST', '/api/v1/script-sets/do/add', '{"data": {}}', { 'x-dff-auth-token': t.token });
    expect(bad.body.detail?.field).toBe('body.data.id');
    // Calls keep taking form and text bodies: a sync API's simplified format, a function's kwargs as a form field.
    const form = await t.stack.app.inject({
      method: 'POST',
      url: `/api/v1/sync/${syncId}/simplified`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'v=1',
    });
    expect(form.statusCode, form.body).toBe(200);
    const formCall = await t.stack.app.inject({
      method: 'POST',
      url: '/api/v1/func/edge__fn.measure',
      headers: { 'x-dff-auth-token': t.token, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `kwargs=${encodeURIComponent('{"v": 1}')}`,
    });
    expect(formCall.statusCode, formCall.body).toBe(200);
    // A draft run takes a form too: a wrong field in it is named, not taken for a JSON body sent as a form.
    const draftForm = await t.stack.app.inject({
      method: 'POST',
      url: '/api/v1/func-draft/edge__fn.measure',
      headers: { 'x-dff-auth-token': t.token, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `liveKey=bad`,
    });
    expect(draftForm.statusCode, draftForm.body).toBe(400);
    expect((JSON.parse(draftForm.body) as { detail?: { field?: string } }).detail?.field).toBe('body.liveKey');
  });

  it('a prototype-poisoning key is refused naming where it is, not as "not JSON"', async () => {
    const proto = await json('POST', '/api/v1/do/echo', '{"kwargs":{"__proto__":{"x":1}}}');
    expect(proto.status, proto.text).toBe(400);
    expect(proto.body.detail?.field).toBe('body.kwargs.__proto__');
    expect(proto.body.message).toContain('__proto__');
    const ctor = await json('POST', '/api/v1/do/echo', '{"a":[{"constructor":{"prototype":{}}}]}');
    expect(ctor.body.detail?.field).toBe('body.a.0.constructor');
    const broken = await json('POST', '/api/v1/do/echo', '{"a":');
    expect(broken.status).toBe(400);
    expect(broken.body.message).toContain('not JSON');
  });

  it('the server is up afterwards', async () => {
    expect((await t.api('GET', '/api/v1/do/ping')).body.data).toBe('pong');
    const r = await t.api('POST', `/api/v1/sync/${syncId}`, { kwargs: { v: [[1]] } });
    expect(r.text).toBe('2');
  });
});

describe('a sync call put off further than it waits', () => {
  it('is refused naming options.delay / options.eta; async calls may be put off', async () => {
    const delay = await t.admin('POST', '/api/v1/func/edge__fn.measure', { options: { delay: 123 } });
    expect(delay.status, delay.text).toBe(400);
    expect(delay.body.detail?.field).toBe('body.options.delay');
    const eta = await t.admin('POST', '/api/v1/func/edge__fn.measure', { options: { eta: new Date(Date.now() + 3_600_000).toISOString() } });
    expect(eta.status, eta.text).toBe(400);
    expect(eta.body.detail?.field).toBe('body.options.eta');
    expect((await t.admin('POST', '/api/v1/func/edge__fn.measure', { options: { delay: 123, async: true } })).status).toBe(200);
    const soon = await t.admin('POST', '/api/v1/func/edge__fn.measure', { kwargs: { v: [] }, options: { delay: 0.2 } });
    expect(soon.status, soon.text).toBe(200);
  });
});

describe('finding 7: function responses are sandboxed', () => {
  const sync = async (func: string): Promise<string> => (await t.client.addSyncApi({ body: { data: { funcId: `edge__fn.${func}`, funcCallKwargsJSON: {} } } })).id;

  it('DFF.RESP html behind a sync API: CSP sandbox and nosniff', async () => {
    const r = await t.api('GET', `/api/v1/sync/${await sync('page')}`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.headers['content-security-policy']).toBe('sandbox');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it("a function's own CSP is kept beside the sandbox, its nosniff opt-out is not", async () => {
    const r = await t.api('GET', `/api/v1/sync/${await sync('own_csp')}`);
    expect(r.headers['content-security-policy']).toEqual(["default-src 'self'", 'sandbox']);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it('raw results of /api/v1/func and sync APIs, errors and async answers too', async () => {
    const raw = await t.admin('POST', '/api/v1/func/edge__fn.text', { options: { unbox: true } });
    expect(raw.text).toBe('<script>alert(1)</script>');
    expect(raw.headers['content-security-policy']).toBe('sandbox');
    const text = await t.api('GET', `/api/v1/sync/${await sync('text')}`);
    expect(text.headers['content-security-policy']).toBe('sandbox');
    const failed = await t.api('POST', `/api/v1/sync/${syncId}`, { kwargs: { nope: 1 } });
    expect(failed.status).toBe(400);
    expect(failed.headers['content-security-policy']).toBe('sandbox');
    const queued = await t.api('POST', `/api/v1/async/${asyncId}`, { kwargs: { v: [] } });
    expect(queued.status).toBe(200);
    expect(queued.headers['content-security-policy']).toBe('sandbox');
  });
});

describe('finding 10: paging is bounded integers', () => {
  const bad: [string, string][] = [
    ['pageNumber=1e308', 'query.pageNumber'],
    ['pageNumber=0', 'query.pageNumber'],
    ['pageNumber=1000001', 'query.pageNumber'],
    ['pageNumber=1.5', 'query.pageNumber'],
    ['pageSize=-1', 'query.pageSize'],
    ['pageSize=0', 'query.pageSize'],
    ['pageSize=5001', 'query.pageSize'],
    ['pageSize=abc', 'query.pageSize'],
    ['pageSize=1&pageSize=2', 'query.pageSize'],
    ['pageSize=9007199254740993', 'query.pageSize'],
  ];
  for (const [query, field] of bad) {
    it(`entity list: ${query} → 400 naming ${field}`, async () => {
      const r = await t.admin('GET', `/api/v1/sync-apis/do/list?${query}`);
      expect(r.status, r.text).toBe(400);
      expect(r.body.detail?.field).toBe(field);
    });
  }

  it('task records: the same bounds (page size at most 1000), and since/until', async () => {
    for (const [query, field] of [
      ['pageNumber=1e308', 'query.pageNumber'],
      ['pageSize=-1', 'query.pageSize'],
      ['pageSize=1001', 'query.pageSize'],
      ['since=1e308', 'query.since'],
    ]) {
      const r = await t.admin('GET', `/api/v1/task-records/func/do/list?${query}`);
      expect(r.status, `${query}: ${r.text}`).toBe(400);
      expect(r.body.detail?.field).toBe(field);
    }
  });

  it('every numeric query parameter takes decimal digits only, given once, each refusal naming it and saying why', async () => {
    const lists = ['/api/v1/sync-apis/do/list', '/api/v1/scripts/do/list', '/api/v1/task-records/func/do/list', '/api/v1/operation-records/do/list', '/api/v1/func-stores/do/list'];
    const forms = ['0x10', '1e1', '%201', '1%20', '+5', '%2B5', '5.0', '0b1', ''];
    const checks: [string, string][] = [];
    for (const list of lists) for (const name of ['pageSize', 'pageNumber']) for (const form of forms) checks.push([`${list}?${name}=${form}`, `query.${name}`]);
    for (const [url, name] of [
      ['/api/v1/task-records/func/do/list', 'since'],
      ['/api/v1/operation-records/do/list', 'until'],
      ['/api/v1/operation-records/do/list', 'respStatusCode'],
      ['/api/v1/dead-letters', 'limit'],
      ['/api/v1/cron-forecast', 'hours'],
      ['/api/v1/stack/capacity', 'windowMinutes'],
    ] as const) {
      for (const form of ['0x10', '1e2', '+200', '200.0']) checks.push([`${url}?${name}=${form}`, `query.${name}`]);
    }
    for (const [url, field] of checks) {
      const r = await t.admin('GET', url);
      expect(r.status, `${url}: ${r.text}`).toBe(400);
      expect(r.body.detail?.field, url).toBe(field);
      const given = new URLSearchParams(url.slice(url.indexOf('?') + 1)).get(field.slice('query.'.length));
      expect(r.body.message, url).toBe(`${field}: must be a whole number in decimal digits, got ${JSON.stringify(given)}`);
    }
    for (const url of ['/api/v1/sync-apis/do/list?pageSize=1&pageSize=2', '/api/v1/scripts/do/list?pageNumber=1&pageNumber=1', '/api/v1/dead-letters?limit=1&limit=2&limit=3']) {
      const r = await t.admin('GET', url);
      const name = url.slice(url.indexOf('?') + 1, url.indexOf('='));
      expect(r.status, `${url}: ${r.text}`).toBe(400);
      expect(r.body.detail?.field).toBe(`query.${name}`);
      expect(r.body.message).toBe(`query.${name}: given ${url.split('&').length} times; give it once`);
    }
    for (const url of [
      '/api/v1/sync-apis/do/list?pageSize=16&pageNumber=1',
      '/api/v1/task-records/func/do/list?pageSize=007&since=0',
      '/api/v1/operation-records/do/list?respStatusCode=200',
      '/api/v1/dead-letters?limit=10',
      '/api/v1/cron-forecast?hours=2',
      '/api/v1/stack/capacity?windowMinutes=5',
    ]) {
      const r = await t.admin('GET', url);
      expect(r.status, `${url}: ${r.text}`).toBe(200);
    }
    const r = await t.admin('GET', '/api/v1/task-records/func/do/list?pageSize=007');
    expect(r.body.pageInfo).toMatchObject({ pageSize: 7 });
  });

  it('the scripts list pages as the other entity lists do, its pageInfo true', async () => {
    await t.client.addScriptSet({ body: { data: { id: 'pg' } } });
    for (const name of ['a', 'b', 'c']) await t.client.addScript({ body: { data: { id: `pg__${name}`, codeDraft: 'x = 1\n' } } });
    const all = (await t.admin('GET', '/api/v1/scripts/do/list?scriptSetId=pg')).body.data as { id: string }[];
    expect(all.map((s) => s.id).sort()).toEqual(['pg__a', 'pg__b', 'pg__c']);
    const pages = [];
    for (const n of [1, 2, 3, 4]) {
      const r = await t.admin('GET', `/api/v1/scripts/do/list?scriptSetId=pg&pageSize=1&pageNumber=${n}`);
      expect(r.status, r.text).toBe(200);
      expect(r.body.pageInfo).toMatchObject({ pageSize: 1, pageNumber: n, count: n <= 3 ? 1 : 0 });
      pages.push(...(r.body.data as { id: string }[]).map((s) => s.id));
    }
    expect(pages).toEqual(all.map((s) => s.id));
    const two = await t.admin('GET', '/api/v1/scripts/do/list?scriptSetId=pg&pageSize=2&pageNumber=9');
    expect(two.body.data).toEqual([]);
    expect(two.body.pageInfo).toMatchObject({ pageSize: 2, pageNumber: 9, count: 0 });
  });

  it('valid paging pages', async () => {
    await t.client.addSyncApi({ body: { data: { funcId: 'edge__fn.measure', funcCallKwargsJSON: {} } } });
    const one = await t.admin('GET', '/api/v1/sync-apis/do/list?pageSize=1');
    expect(one.status).toBe(200);
    expect(one.body.data).toHaveLength(1);
    const two = await t.admin('GET', '/api/v1/sync-apis/do/list?pageSize=1&pageNumber=2');
    expect((two.body.data as { id: string }[])[0]!.id).not.toBe((one.body.data as { id: string }[])[0]!.id);
    const far = await t.admin('GET', '/api/v1/sync-apis/do/list?pageSize=5000&pageNumber=1000000');
    expect(far.body.data).toEqual([]);
  });
});

describe('finding 12: modify checks like add; references exist', () => {
  it('cron job modify: cronExpr cleared without a fixed_cron_expr leaves a job that never fires by itself (as DataFlux Func keeps it); the time zone is checked', async () => {
    const id = (await t.client.addCronJob({ body: { data: { funcId: 'edge__fn.measure', cronExpr: '0 * * * *', funcCallKwargsJSON: {} } } })).id;
    const cleared = await t.admin('POST', `/api/v1/cron-jobs/${id}/do/modify`, { data: { cronExpr: null } });
    expect(cleared.status, cleared.text).toBe(200);
    expect((await t.admin('GET', `/api/v1/cron-jobs/${id}/do/get`)).body.data).toMatchObject({ cronExpr: null, nextRunTime: null });
    expect((await t.admin('POST', `/api/v1/cron-jobs/${id}/do/modify`, { data: { cronExpr: '0 * * * *' } })).status).toBe(200);
    const tz = await t.admin('POST', `/api/v1/cron-jobs/${id}/do/modify`, { data: { timezone: 'Mars/Olympus_Mons' } });
    expect(tz.status, tz.text).toBe(400);
    expect(tz.body.detail?.field).toBe('timezone');
    const empty = await t.admin('POST', `/api/v1/cron-jobs/${id}/do/modify`, { data: { cronExpr: '' } });
    expect(empty.status).toBe(400);
    const job = await t.admin('GET', `/api/v1/cron-jobs/${id}/do/get`);
    expect(job.body.data).toMatchObject({ cronExpr: '0 * * * *', timezone: null });
    expect((await t.admin('POST', `/api/v1/cron-jobs/${id}/do/modify`, { data: { timezone: 'Asia/Shanghai' } })).status).toBe(200);
  });

  it('cron job add: an unknown time zone is refused even with a fixed_cron_expr; clearing cronExpr is fine with one', async () => {
    const tz = await t.admin('POST', '/api/v1/cron-jobs/do/add', { data: { funcId: 'edge__fn.fixed', timezone: 'Nowhere/Land', funcCallKwargsJSON: {} } });
    expect(tz.status, tz.text).toBe(400);
    expect(tz.body.detail?.field).toBe('timezone');
    const id = (await t.client.addCronJob({ body: { data: { funcId: 'edge__fn.fixed', cronExpr: '0 * * * *', funcCallKwargsJSON: {} } } })).id;
    const r = await t.admin('POST', `/api/v1/cron-jobs/${id}/do/modify`, { data: { cronExpr: null } });
    expect(r.status, r.text).toBe(200);
    const modTz = await t.admin('POST', `/api/v1/cron-jobs/${id}/do/modify`, { data: { timezone: 'Nowhere/Land' } });
    expect(modTz.status).toBe(400);
  });

  it('sync/async API add and modify: apiAuthId must name an API auth', async () => {
    for (const kind of ['sync-apis', 'async-apis']) {
      const add = await t.admin('POST', `/api/v1/${kind}/do/add`, { data: { funcId: 'edge__fn.measure', funcCallKwargsJSON: {}, apiAuthId: 'apia-nope' } });
      expect(add.status, add.text).toBe(400);
      expect(add.body.detail?.field).toBe('apiAuthId');
      const id = await t.add(`/api/v1/${kind}/do/add`, { funcId: 'edge__fn.measure', funcCallKwargsJSON: {} });
      const mod = await t.admin('POST', `/api/v1/${kind}/${id}/do/modify`, { data: { apiAuthId: 'apia-nope' } });
      expect(mod.status, mod.text).toBe(400);
      expect(mod.body.detail?.field).toBe('apiAuthId');
    }
    const authId = (await t.client.addApiAuth({ body: { data: { type: 'fixedField', configJSON: { fields: [{ location: 'header', name: 'x-key', value: 'v' }] } } } })).id;
    expect((await t.admin('POST', '/api/v1/sync-apis/do/add', { data: { funcId: 'edge__fn.measure', funcCallKwargsJSON: {}, apiAuthId: authId } })).status).toBe(200);
  });

  it("sync/async API and cron job add and modify: the kwargs they fix must fit the function; a cron job's must be complete", async () => {
    await t.publish('edge__kw', "@DFF.API('Two')\ndef two(a, b=1):\n    return [a, b]\n");
    const refused = (r: ApiResponse, field: string, text: string): void => {
      expect(r.status, r.text).toBe(400);
      expect(r.body.detail?.field).toBe(field);
      expect(r.body.message).toContain(text);
    };
    for (const kind of ['sync-apis', 'async-apis']) {
      refused(
        await t.admin('POST', `/api/v1/${kind}/do/add`, { data: { funcId: 'edge__kw.two', funcCallKwargsJSON: { zz: 1 } } }),
        'funcCallKwargsJSON.zz',
        'takes no argument "zz"',
      );
      refused(
        await t.admin('POST', `/api/v1/${kind}/do/add`, { data: { funcId: 'edge__kw.two', funcCallKwargsJSON: { b: 'INPUT_BY_CALLER', zz: null } } }),
        'funcCallKwargsJSON.zz',
        'it takes: a, b',
      );
      // A placeholder is the caller's to fill: kept, as DataFlux Func keeps it (a caller sending it is told).
      const loose = await t.add(`/api/v1/${kind}/do/add`, { funcId: 'edge__kw.two', funcCallKwargsJSON: { a: 1, zz: 'INPUT_BY_CALLER' } });
      if (kind === 'sync-apis') expect((await t.api('POST', `/api/v1/sync/${loose}`, { kwargs: { zz: 1 } })).body.detail?.field).toBe('kwargs.zz');
      // The caller may give what the API leaves out.
      const id = await t.add(`/api/v1/${kind}/do/add`, { funcId: 'edge__kw.two', funcCallKwargsJSON: { b: 2 } });
      refused(await t.admin('POST', `/api/v1/${kind}/${id}/do/modify`, { data: { funcCallKwargsJSON: { c: 3 } } }), 'funcCallKwargsJSON.c', 'takes no argument "c"');
      refused(await t.admin('POST', `/api/v1/${kind}/${id}/do/modify`, { data: { funcId: 'edge__fn.measure' } }), 'funcCallKwargsJSON.b', 'takes no argument "b"');
      refused(await t.admin('POST', `/api/v1/${kind}/do/modify-many?id=${id}`, { data: { funcCallKwargsJSON: { c: 3 } } }), 'funcCallKwargsJSON.c', 'takes no argument "c"');
      expect((await t.admin('POST', `/api/v1/${kind}/${id}/do/modify`, { data: { funcCallKwargsJSON: { a: 'INPUT_BY_CALLER' } } })).status).toBe(200);
    }
    refused(
      await t.admin('POST', '/api/v1/cron-jobs/do/add', { data: { funcId: 'edge__kw.two', cronExpr: '0 * * * *', funcCallKwargsJSON: {} } }),
      'funcCallKwargsJSON.a',
      'needs the argument "a"',
    );
    const cron = await t.add('/api/v1/cron-jobs/do/add', { funcId: 'edge__kw.two', cronExpr: '0 * * * *', funcCallKwargsJSON: { a: 1 } });
    refused(await t.admin('POST', `/api/v1/cron-jobs/${cron}/do/modify`, { data: { funcCallKwargsJSON: { a: 1, zz: 2 } } }), 'funcCallKwargsJSON.zz', 'takes no argument');
    // A cron job has no caller to fill a placeholder in: refused on add and modify, under both names.
    for (const kind of ['cron-jobs', 'crontab-configs']) {
      refused(
        await t.admin('POST', `/api/v1/${kind}/do/add`, { data: { funcId: 'edge__kw.two', cronExpr: '0 * * * *', funcCallKwargsJSON: { a: 'INPUT_BY_CALLER' } } }),
        'funcCallKwargsJSON.a',
        '"INPUT_BY_CALLER" leaves the argument "a" to a caller, and a cron job has no caller: give its value',
      );
      refused(
        await t.admin('POST', `/api/v1/${kind}/do/add`, { data: { funcId: 'edge__kw.two', cronExpr: '0 * * * *', funcCallKwargsJSON: { a: 1, b: 'FROM_PARAMETER' } } }),
        'funcCallKwargsJSON.b',
        'a cron job has no caller: give its value, or leave it out for its default',
      );
      refused(
        await t.admin('POST', `/api/v1/${kind}/${cron}/do/modify`, { data: { funcCallKwargsJSON: { a: 1, b: 'INPUT_BY_CALLER' } } }),
        'funcCallKwargsJSON.b',
        'a cron job has no caller',
      );
      refused(
        await t.admin('POST', `/api/v1/${kind}/do/modify-many?id=${cron}`, { data: { funcCallKwargsJSON: { b: 'INPUT_BY_CALLER' } } }),
        'funcCallKwargsJSON.b',
        'a cron job has no caller',
      );
      refused(
        await t.admin('POST', `/api/v1/${kind}/do/add-many`, { data: [{ funcId: 'edge__kw.two', cronExpr: '0 * * * *', funcCallKwargsJSON: { a: 'INPUT_BY_CALLER' } }] }),
        'data.0.funcCallKwargsJSON.a',
        'a cron job has no caller',
      );
    }
    expect((await t.admin('GET', `/api/v1/cron-jobs/${cron}/do/get`)).body.data).toMatchObject({ funcCallKwargsJSON: { a: 1 } });
    // A disabled job may hold one (it never runs; a DataFlux Func archive's job is imported so): enabling it is refused.
    const parked = await t.add('/api/v1/cron-jobs/do/add', { funcId: 'edge__kw.two', cronExpr: '0 * * * *', funcCallKwargsJSON: { a: 'INPUT_BY_CALLER' }, isDisabled: true });
    refused(await t.admin('POST', `/api/v1/cron-jobs/${parked}/do/modify`, { data: { isDisabled: false } }), 'funcCallKwargsJSON.a', 'a cron job has no caller');
    expect((await t.admin('POST', `/api/v1/cron-jobs/${parked}/do/modify`, { data: { isDisabled: false, funcCallKwargsJSON: { a: 3 } } })).status).toBe(200);

    // Published again with other arguments: the API's call is refused naming the API, and the API can still be disabled.
    const api = await t.add('/api/v1/sync-apis/do/add', { funcId: 'edge__kw.two', funcCallKwargsJSON: { a: 5, b: 'INPUT_BY_CALLER' } });
    expect((await t.api('POST', `/api/v1/sync/${api}`, { kwargs: { b: 6 } })).text).toBe('[5,6]');
    await t.publish('edge__kw', "@DFF.API('Two')\ndef two(x, b=1):\n    return [x, b]\n");
    const stale = await t.api('POST', `/api/v1/sync/${api}`, { kwargs: { b: 6 } });
    expect(stale.status, stale.text).toBe(403);
    expect(stale.body).toMatchObject({ reason: 'EBizCondition', detail: { field: 'funcCallKwargsJSON.a', id: api } });
    expect(stale.body.message).toContain(`Sync API ${api} no longer fits its function`);
    const wrongCaller = await t.api('POST', `/api/v1/sync/${api}`, { kwargs: { nope: 1 } });
    expect(wrongCaller.body.detail?.field).toBe('funcCallKwargsJSON.a');
    expect((await t.admin('POST', `/api/v1/sync-apis/${api}/do/modify`, { data: { isDisabled: true } })).status).toBe(200);
    expect((await t.admin('POST', `/api/v1/cron-jobs/${cron}/do/modify`, { data: { isDisabled: true } })).status).toBe(200);
  });

  it('by default /metrics is open and the OpenAPI document needs a signed-in user with general_r', async () => {
    expect((await t.api('GET', '/metrics')).status).toBe(200);
    const anon = await t.api('GET', '/api/v1/openapi.json');
    expect(anon.status).toBe(401);
    expect(anon.body.reason).toBe('EUserAuth');
    const admin = await t.admin('GET', '/api/v1/openapi.json');
    expect(admin.status).toBe(200);
    expect(admin.body.openapi).toBe('3.1.0');
    // The document says so, though the contract declares the operation `none` (its handler checks).
    const paths = admin.body.paths as Record<string, Record<string, { security: unknown[] }>>;
    expect(paths['/api/v1/openapi.json']!.get!.security).toEqual([{ authToken: [] }, { accessKey: [] }]);
    expect(paths['/metrics']!.get!.security).toEqual([]);
    // A token only (the contract's tokenOnly): an access key is not offered.
    expect(paths['/api/v1/access-keys/do/add']!.post!.security).toEqual([{ authToken: [] }]);
    expect(paths['/api/v1/do/ping']!.get!.security).toEqual([]);
  });

  it('nosniff and Referrer-Policy on every response', async () => {
    const answers = [
      await t.api('GET', '/api/v1/do/ping'),
      await t.api('GET', '/api/v1/nothing'),
      await t.api('GET', '/api/v1/script-sets/do/list'),
      await t.api('GET', '/healthz'),
      await t.api('GET', '/metrics'),
      await t.api('GET', '/some/console/route'),
      await t.api('GET', '/api/v1/%zz'),
      await json('POST', '/api/v1/do/echo', '{bad'),
    ];
    for (const r of answers) {
      expect(r.headers['x-content-type-options'], r.text).toBe('nosniff');
      expect(r.headers['referrer-policy'], r.text).toBe('no-referrer');
    }
  });
});

describe('finding 12: FUNC_METRICS_TOKEN and FUNC_OPENAPI_PUBLIC', () => {
  const TOKEN = 'metrics-token-0123456789';
  let s: TestStack;
  beforeAll(async () => {
    s = await startTestStack({ FUNC_METRICS_TOKEN: TOKEN, FUNC_OPENAPI_PUBLIC: 'true' });
  }, 60_000);
  afterAll(async () => s?.close());

  it('/metrics needs the bearer token', async () => {
    const none = await s.api('GET', '/metrics');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(none.text).not.toMatch(/func_http_request_duration_seconds/);
    expect((await s.api('GET', '/metrics', undefined, { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    expect((await s.api('GET', '/metrics', undefined, { 'x-dff-auth-token': s.token })).status).toBe(401);
    const ok = await s.api('GET', '/metrics', undefined, { authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(ok.text).toMatch(/func_http_request_duration_seconds_count/);
  });

  it('the OpenAPI document is public when configured so', async () => {
    const anon = await s.api('GET', '/api/v1/openapi.json');
    expect(anon.status).toBe(200);
    expect(anon.body.openapi).toBe('3.1.0');
    const paths = anon.body.paths as Record<string, Record<string, { security: unknown[] }>>;
    expect(paths['/api/v1/openapi.json']!.get!.security).toEqual([]);
    expect(paths['/metrics']!.get!.security).toEqual([{ metricsBearer: [] }]);
  });
});
