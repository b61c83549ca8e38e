/**
 * The func-caches and func-stores routes (DataFlux Func's DFF.CACHE / STORE management): what a
 * real script wrote, listed, read and deleted over HTTP; bad input answered 4xx naming the field.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import type { FuncCacheInfo as CacheInfo, FuncStoreInfo as StoreInfo } from '../src/domain/func-data/func-data-browser.js';
import { useTestStack } from '../src/testing/test-stack.js';

const CODE = `
@DFF.API('Fill')
def fill():
    DFF.CACHE.set('greeting', {'hello': 'world'}, expires=600)
    DFF.CACHE.set('plain', 'text')
    DFF.CACHE.rpush('queue', 'a')
    DFF.CACHE.rpush('queue', '{"n": 1}')
    DFF.CACHE.hset('h', 'f', '[1, 2]')
    DFF.CACHE.sadd('members', ['x', 'y'])
    DFF.CACHE.zadd('ranks', {'p': 2, 'q': 1})
    DFF.CACHE.set('other-key', 1, scope='otherscope')
    # Apart in time: the list is newest first, and one millisecond could hold all three.
    import time
    DFF.STORE.set('config', {'depth': 3})
    time.sleep(0.01)
    DFF.STORE.set('temp', 'soon gone', expires=3600)
    time.sleep(0.01)
    DFF.STORE.set('elsewhere', [1], scope='otherscope')
    return 'ok'
`;

const t = useTestStack({ fdata__main: CODE });

beforeAll(async () => {
  const r = await t.admin('POST', '/api/v1/func/fdata__main.fill', { kwargs: {} });
  expect(r.status, r.text).toBe(200);
});

describe('func-caches', () => {
  it('lists DFF.CACHE keys with scope, key, type, ttl and memory usage; filters by scope, key or either', async () => {
    const r = await t.admin('GET', '/api/v1/func-caches/do/list');
    expect(r.status, r.text).toBe(200);
    const rows = r.data as CacheInfo[];
    const mine = rows.filter((x) => x.scope === 'fdata__main');
    expect(mine.map((x) => [x.key, x.type])).toEqual([
      ['greeting', 'string'],
      ['h', 'hash'],
      ['members', 'set'],
      ['plain', 'string'],
      ['queue', 'list'],
      ['ranks', 'zset'],
    ]);
    const greeting = mine.find((x) => x.key === 'greeting')!;
    expect(greeting.fullKey).toBe('func:cache:fdata__main:greeting');
    expect(greeting.ttl).toBeGreaterThan(500);
    expect(greeting.memoryUsage).toBeGreaterThan(0);
    expect(mine.find((x) => x.key === 'plain')!.ttl).toBe(-1);

    const byScope = (await t.admin('GET', '/api/v1/func-caches/do/list?scope=otherscope')).data as CacheInfo[];
    expect(byScope.map((x) => `${x.scope}/${x.key}`)).toEqual(['otherscope/other-key']);
    const byKey = (await t.admin('GET', '/api/v1/func-caches/do/list?key=ee')).data as CacheInfo[];
    expect(byKey.map((x) => x.key)).toEqual(['greeting']);
    const fuzzy = (await t.admin('GET', '/api/v1/func-caches/do/list?_fuzzySearch=other')).data as CacheInfo[];
    expect(fuzzy.map((x) => `${x.scope}/${x.key}`)).toEqual(['otherscope/other-key']);
  });

  it('gets a key as its type reads it, JSON parsed with preferJSON', async () => {
    const get = async (key: string, q = ''): Promise<unknown> => {
      const r = await t.admin('GET', `/api/v1/func-caches/fdata__main/${key}/do/get${q}`);
      expect(r.status, r.text).toBe(200);
      return r.data;
    };
    expect(await get('greeting')).toBe('{"hello":"world"}');
    expect(await get('greeting', '?preferJSON=true')).toEqual({ hello: 'world' });
    expect(await get('plain', '?preferJSON=true')).toBe('text');
    expect(await get('queue', '?preferJSON=true')).toEqual(['a', { n: 1 }]);
    expect(await get('h', '?preferJSON=true')).toEqual({ f: [1, 2] });
    expect(await get('members')).toEqual(['x', 'y']);
    expect(await get('ranks')).toEqual([
      { score: 1, value: 'q' },
      { score: 2, value: 'p' },
    ]);
    const missing = await t.admin('GET', '/api/v1/func-caches/fdata__main/nope/do/get');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain('nope');
  });

  it('deletes a key (GET as DataFlux, or POST)', async () => {
    const r = await t.admin('GET', '/api/v1/func-caches/fdata__main/plain/do/delete');
    expect(r.status, r.text).toBe(200);
    expect(r.data).toEqual({ scope: 'fdata__main', key: 'plain', deleted: true });
    expect((await t.admin('GET', '/api/v1/func-caches/fdata__main/plain/do/get')).status).toBe(404);
    const again = await t.admin('POST', '/api/v1/func-caches/fdata__main/plain/do/delete', {});
    expect(again.data).toEqual({ scope: 'fdata__main', key: 'plain', deleted: false });
    expect(await t.stack.ctx.cache.command('get', ['func:cache:fdata__main:plain'])).toBeNull();
  });

  it('refuses bad input naming the field', async () => {
    const colon = await t.admin('GET', '/api/v1/func-caches/a:b/k/do/get');
    expect(colon.status).toBe(400);
    expect(colon.body.message).toContain('scope');
    const long = await t.admin('GET', `/api/v1/func-caches/s/${'k'.repeat(300)}/do/get`);
    expect(long.status).toBe(400);
    expect(long.body.message).toContain('key');
    const longOk = await t.admin('GET', `/api/v1/func-caches/s/${'k'.repeat(256)}/do/get`);
    expect(longOk.status).toBe(404);
    const pj = await t.admin('GET', '/api/v1/func-caches/s/k/do/get?preferJSON=maybe');
    expect(pj.status).toBe(400);
    expect(pj.body.message).toContain('preferJSON');
    const q = await t.admin('GET', `/api/v1/func-caches/do/list?scope=${'s'.repeat(300)}`);
    expect(q.status).toBe(400);
    expect(q.body.message).toContain('scope');
  });
});

describe('func-stores', () => {
  const list = async (q = ''): Promise<StoreInfo[]> => {
    const r = await t.admin('GET', `/api/v1/func-stores/do/list${q}`);
    expect(r.status, r.text).toBe(200);
    return r.data as StoreInfo[];
  };

  it('lists DFF.STORE entries newest first with size and expiry; filters and pages', async () => {
    const rows = await list();
    expect(rows.map((x) => `${x.scope}/${x.key}`)).toEqual(['otherscope/elsewhere', 'fdata__main/temp', 'fdata__main/config']);
    const config = rows.find((x) => x.key === 'config')!;
    expect(config.dataSize).toBe(JSON.stringify({ depth: 3 }).length);
    expect(config.expireAt).toBeNull();
    expect(rows.find((x) => x.key === 'temp')!.expireAt).toBeGreaterThan(Date.now());
    expect((await list('?scope=fdata')).map((x) => x.key)).toEqual(['temp', 'config']);
    expect((await list('?key=conf')).map((x) => x.key)).toEqual(['config']);
    expect((await list('?_fuzzySearch=other')).map((x) => x.key)).toEqual(['elsewhere']);
    expect((await list('?pageSize=1&pageNumber=2')).map((x) => x.key)).toEqual(['temp']);
    expect((await list(`?id=${config.id},fnst-bogus`)).map((x) => x.key)).toEqual(['config']);
  });

  it('gets one entry with its value, deletes it (GET or POST)', async () => {
    const config = (await list('?key=config'))[0]!;
    const got = await t.admin('GET', `/api/v1/func-stores/${config.id}/do/get`);
    expect(got.status, got.text).toBe(200);
    expect(got.data).toMatchObject({ id: config.id, scope: 'fdata__main', key: 'config', valueJSON: { depth: 3 } });
    const del = await t.admin('GET', `/api/v1/func-stores/${config.id}/do/delete`);
    expect(del.status, del.text).toBe(200);
    expect(del.data).toEqual({ id: config.id });
    expect(await t.stack.store.funcStore.get('fdata__main', 'config', Date.now())).toBeUndefined();
    const gone = await t.admin('POST', `/api/v1/func-stores/${config.id}/do/delete`, {});
    expect(gone.status).toBe(404);
    expect(gone.body.message).toContain(config.id);
  });

  it('refuses bad input naming the field', async () => {
    const bad = await t.admin('GET', '/api/v1/func-stores/not-an-id/do/get');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('id');
    const unknown = await t.admin('GET', '/api/v1/func-stores/fnst-AAAA/do/get');
    expect(unknown.status).toBe(404);
    const page = await t.admin('GET', '/api/v1/func-stores/do/list?pageSize=0');
    expect(page.status).toBe(400);
    expect(page.body.message).toContain('pageSize');
  });
});
