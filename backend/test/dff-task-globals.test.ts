/**
 * The `_DFF_*` globals a function sees, as DataFlux Func sets them (docs/script-api.md), and where
 * a DFF.FUNC sub-task is queued: real Python runners of a real embedded stack, called over HTTP.
 */
import { describe, expect, it } from 'vitest';
import { eventually, useTestStack } from '../src/testing/test-stack.js';

const MAIN = `
import json

NAMES = ['_DFF_DEBUG', '_DFF_TASK_ID', '_DFF_ROOT_TASK_ID', '_DFF_SCRIPT_SET_ID', '_DFF_SCRIPT_ID', '_DFF_FUNC_ID',
         '_DFF_FUNC_NAME', '_DFF_FUNC_CHAIN', '_DFF_ORIGIN', '_DFF_ORIGIN_ID', '_DFF_TRIGGER_TIME', '_DFF_TRIGGER_TIME_MS',
         '_DFF_START_TIME', '_DFF_START_TIME_MS', '_DFF_ETA', '_DFF_DELAY', '_DFF_CRON_EXPR', '_DFF_CRON_JOB_DELAY',
         '_DFF_CRON_JOB_EXEC_MODE', '_DFF_QUEUE', '_DFF_CRONTAB', '_DFF_CRONTAB_DELAY', '_DFF_CRONTAB_EXEC_MODE']

def seen():
    g = globals()
    out = {n: g[n] for n in NAMES}
    out['request'] = {'type': type(_DFF_HTTP_REQUEST).__name__, 'method': _DFF_HTTP_REQUEST.get('method')}
    out['types'] = {n: type(g[n]).__name__ for n in ('_DFF_TRIGGER_TIME', '_DFF_TRIGGER_TIME_MS', '_DFF_START_TIME', '_DFF_START_TIME_MS')}
    return out

@DFF.API('Globals')
def globals_of(tag=None):
    out = seen()
    if tag:
        DFF.STORE.set(tag, out, scope='globals-test')
    return out

@DFF.API('Request')
def request(**kwargs):
    return _DFF_HTTP_REQUEST

@DFF.API('Request lookups')
def request_lookups(**kwargs):
    h = _DFF_HTTP_REQUEST['headers']
    return {'item': h['X-Thing'], 'get': h.get('X-THING'), 'in': 'x-THING' in h, 'missing': h.get('X-None', '-'),
            'body': _DFF_HTTP_REQUEST['body']}

@DFF.API('Child')
def child(tag):
    DFF.STORE.set(tag, seen(), scope='globals-test')

@DFF.API('Child on queue 7', queue=7)
def child_q7(tag):
    DFF.STORE.set(tag, seen(), scope='globals-test')

@DFF.API('Parent')
def parent():
    DFF.FUNC('globals__main.child', kwargs={'tag': 'child'})
    DFF.FUNC('globals__main.child_q7', kwargs={'tag': 'child_q7'})
    return _DFF_TASK_ID
`;

const t = useTestStack({ globals__main: MAIN });
const stored = (key: string): Promise<Record<string, unknown>> =>
  eventually(async () => (await t.stack.store.funcStore.get('globals-test', key, Date.now())) as Record<string, unknown> | undefined, 15_000, key);

describe('_DFF_* globals', () => {
  it("a direct call: ids, chain, times as ints (DataFlux's int()), no eta or cron", async () => {
    const before = Date.now();
    const r = await t.admin('POST', '/api/v1/func/globals__main.globals_of', { kwargs: {} });
    expect(r.status, r.text).toBe(200);
    const g = (r.data as { result: Record<string, unknown> }).result;
    expect(g).toMatchObject({
      _DFF_DEBUG: false,
      _DFF_ROOT_TASK_ID: 'ROOT',
      _DFF_SCRIPT_SET_ID: 'globals',
      _DFF_SCRIPT_ID: 'globals__main',
      _DFF_FUNC_ID: 'globals__main.globals_of',
      _DFF_FUNC_NAME: 'globals_of',
      _DFF_FUNC_CHAIN: ['globals__main.globals_of'],
      _DFF_ORIGIN: 'direct',
      _DFF_ETA: null,
      _DFF_DELAY: 0,
      _DFF_CRON_EXPR: null,
      _DFF_CRON_JOB_DELAY: 0,
      _DFF_CRON_JOB_EXEC_MODE: null,
      _DFF_CRONTAB: null,
      _DFF_CRONTAB_DELAY: 0,
      _DFF_CRONTAB_EXEC_MODE: null,
      _DFF_QUEUE: 1,
      request: { type: 'dict', method: 'POST' },
      types: { _DFF_TRIGGER_TIME: 'int', _DFF_TRIGGER_TIME_MS: 'int', _DFF_START_TIME: 'int', _DFF_START_TIME_MS: 'int' },
    });
    const ms = g._DFF_TRIGGER_TIME_MS as number;
    expect(ms).toBeGreaterThanOrEqual(before - 1000);
    expect(g._DFF_TRIGGER_TIME).toBe(Math.floor(ms / 1000));
    expect(g._DFF_START_TIME_MS as number).toBeGreaterThanOrEqual(ms - 1000);
    expect(g._DFF_START_TIME).toBe(Math.floor((g._DFF_START_TIME_MS as number) / 1000));
  });

  it('a delayed call carries its delay; a cron job run by hand its expression and exec mode', async () => {
    const r = await t.admin('POST', '/api/v1/func/globals__main.globals_of', { kwargs: { tag: 'delayed' }, options: { async: true, delay: 1 } });
    expect(r.status, r.text).toBe(200);
    expect(await stored('delayed')).toMatchObject({ _DFF_DELAY: 1, _DFF_ETA: null });
    const eta = new Date(Date.now() + 1000).toISOString();
    const e = await t.admin('POST', '/api/v1/func/globals__main.globals_of', { kwargs: { tag: 'eta' }, options: { async: true, eta } });
    expect(e.status, e.text).toBe(200);
    expect(await stored('eta')).toMatchObject({ _DFF_DELAY: 0, _DFF_ETA: eta });

    await t.add('/api/v1/cron-jobs/do/add', { id: 'cj-globals', funcId: 'globals__main.globals_of', cronExpr: '0 0 1 1 *', funcCallKwargsJSON: { tag: 'cron' } });
    expect((await t.admin('POST', '/api/v1/cron/cj-globals')).status).toBe(200);
    expect(await stored('cron')).toMatchObject({
      _DFF_ORIGIN: 'cronJob',
      _DFF_ORIGIN_ID: 'cj-globals',
      _DFF_CRON_EXPR: '0 0 1 1 *',
      _DFF_CRONTAB: '0 0 1 1 *',
      _DFF_CRON_JOB_EXEC_MODE: 'manual',
      _DFF_CRONTAB_EXEC_MODE: 'manual',
      _DFF_CRON_JOB_DELAY: 0,
      _DFF_QUEUE: 2,
      // No request: an empty dict, as DataFlux.
      request: { type: 'dict', method: null },
    });
  });

  it("a DFF.FUNC sub-task: the caller's chain and task; its function's queue, else its caller's", async () => {
    const r = await t.admin('POST', '/api/v1/func/globals__main.parent', { kwargs: {} });
    expect(r.status, r.text).toBe(200);
    const parentId = (r.data as { result: string }).result;
    expect(await stored('child')).toMatchObject({
      _DFF_ORIGIN: 'func',
      _DFF_ROOT_TASK_ID: parentId,
      _DFF_FUNC_CHAIN: ['globals__main.parent', 'globals__main.child'],
      _DFF_QUEUE: 1,
    });
    expect(await stored('child_q7')).toMatchObject({ _DFF_QUEUE: 7 });
  });
});

describe('_DFF_HTTP_REQUEST', () => {
  it("a direct call hands its request too, with DataFlux's fields", async () => {
    const r = await t.admin('POST', '/api/v1/func/globals__main.request?x=1', { kwargs: { a: 1 } });
    expect(r.status, r.text).toBe(200);
    const req = (r.data as { result: Record<string, unknown> }).result;
    expect(req).toMatchObject({
      method: 'POST',
      url: '/api/v1/func/globals__main.request',
      originalUrl: '/api/v1/func/globals__main.request?x=1',
      query: { x: '1' },
      body: { kwargs: { a: 1 } },
      protocol: 'http',
      xhr: false,
      ips: [],
    });
    expect(typeof req.ip).toBe('string');
    expect(typeof req.hostname).toBe('string');
    expect(req.host).toBe((req.headers as Record<string, string>).host);
  });

  it('a direct call builds and carries the request only for a script that names _DFF_HTTP_REQUEST (it cost a fifth of the enqueue rate)', async () => {
    await t.publish('globals__plain', `@DFF.API('Plain')\ndef plain(a=1):\n    return a\n`);
    expect((await t.client.getFunc({ params: { id: 'globals__plain.plain' } })).extraConfigJSON.readsHttpRequest).toBeUndefined();
    expect((await t.client.getFunc({ params: { id: 'globals__main.request' } })).extraConfigJSON.readsHttpRequest).toBe(true);
    const r = await t.admin('POST', '/api/v1/func/globals__plain.plain?x=1', { kwargs: { a: 2 } });
    expect(r.status, r.text).toBe(200);
    const [rec] = await t.client.listTaskRecords({ query: { funcId: 'globals__plain.plain', pageSize: 1 } });
    const stored = await t.stack.store.taskRecords.get(rec!.id);
    expect((stored!.messageJSON as { httpRequest?: unknown } | null)?.httpRequest).toBeUndefined();
    expect(stored!.httpRequestJSON).toBeNull();
  });

  it("never hands the function the call's own token given in the query, nor keeps it in the task's message", async () => {
    const r = await t.api('POST', `/api/v1/func/globals__main.request?x=1&xDFFAuthToken=${encodeURIComponent(t.token)}`, { kwargs: {} });
    expect(r.status, r.text).toBe(200);
    const req = (r.data as { result: Record<string, unknown> }).result;
    expect(req.query).toEqual({ x: '1' });
    expect(req.originalUrl).toBe('/api/v1/func/globals__main.request?x=1');
    expect(JSON.stringify(req)).not.toContain(t.token);
    const [rec] = await t.client.listTaskRecords({ query: { funcId: 'globals__main.request', pageSize: 1 } });
    const stored = await t.stack.store.taskRecords.get(rec!.id);
    expect(JSON.stringify(stored)).not.toContain(t.token);
  });

  it("finds headers whatever the case asked for (DataFlux's IgnoreCaseDict); body {} for a request without one", async () => {
    const id = await t.add('/api/v1/sync-apis/do/add', { funcId: 'globals__main.request_lookups', funcCallKwargsJSON: {} });
    const expected = { item: 'abc', get: 'abc', in: true, missing: '-', body: {} };
    const get = await t.api('GET', `/api/v1/sync/${id}/simplified`, undefined, { 'X-Thing': 'abc' });
    expect(get.status, get.text).toBe(200);
    expect(get.body).toEqual(expected);
    const post = await t.api('POST', `/api/v1/sync/${id}/simplified`, undefined, { 'X-Thing': 'abc' });
    expect(post.status, post.text).toBe(200);
    expect(post.body).toEqual(expected);
    const withBody = await t.api('POST', `/api/v1/sync/${id}/simplified`, { a: 1 }, { 'X-Thing': 'abc' });
    expect(withBody.body).toEqual({ ...expected, body: { a: 1 } });
  });

  it('a sync API: the path as url, the query string in originalUrl, xhr from X-Requested-With', async () => {
    const id = await t.add('/api/v1/sync-apis/do/add', { funcId: 'globals__main.request', funcCallKwargsJSON: {} });
    const r = await t.api('GET', `/api/v1/sync/${id}/simplified?k=v`, undefined, { 'x-requested-with': 'XMLHttpRequest' });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ method: 'GET', url: `/api/v1/sync/${id}/simplified`, originalUrl: `/api/v1/sync/${id}/simplified?k=v`, query: { k: 'v' }, xhr: true });
  });
});
