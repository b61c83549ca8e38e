/** FuncCatalog on a real SQLite store: one query for the lookups that miss together, nothing stale or failed kept. */
import { describe, expect, it } from 'vitest';
import { ENTITY_CASES, funcRow } from '../src/adapters/store/testing/fixtures.js';
import { fileStore } from '../src/testing/file-store.js';
import type { Store } from '../src/domain/ports/store.js';
import { FuncCatalog } from '../src/domain/scripts/func-catalog.js';

const store = await fileStore();
await store.entity('scriptSets').insert(ENTITY_CASES.scriptSets.row('demo', 1));
await store.entity('scripts').insert({ ...ENTITY_CASES.scripts.row('demo__main', 1), code: 'def hello(): pass\n', codeMD5: 'md5-1' });
await store.entity('funcs').insert(funcRow('demo__main.hello', 'demo__main', 1, 1));

/** The real store, counting the reads of funcs and scripts by id; `failNext` makes the next one fail first. */
function countingStore(): { store: Store; gets: { funcs: number; scripts: number }; failNext: () => void } {
  const gets = { funcs: 0, scripts: 0 };
  let fail = false;
  const counted = Object.create(store) as Store;
  counted.entity = ((name: 'funcs' | 'scripts') => {
    const repo = store.entity(name);
    if (name !== 'funcs' && name !== 'scripts') return repo;
    return {
      ...repo,
      list: repo.list.bind(repo),
      get: (id: string) => {
        gets[name] += 1;
        if (fail) {
          fail = false;
          return Promise.reject(new Error('store down'));
        }
        return repo.get(id);
      },
    };
  }) as Store['entity'];
  return { store: counted, gets, failNext: () => (fail = true) };
}

describe('FuncCatalog', () => {
  it('answers the lookups that miss at once with one query, then from the cache until the TTL', async () => {
    const c = countingStore();
    let now = 1000;
    const catalog = new FuncCatalog(c.store, 1000, () => now);
    const rows = await Promise.all(Array.from({ length: 20 }, () => catalog.func('demo__main.hello')));
    expect(rows.every((r) => r?.id === 'demo__main.hello')).toBe(true);
    expect(c.gets.funcs).toBe(1);
    const scripts = await Promise.all(Array.from({ length: 5 }, () => catalog.script('demo__main', false)));
    expect(scripts.map((s) => s?.md5)).toEqual(Array(5).fill('md5-1'));
    expect(c.gets.scripts).toBe(1);
    now += 999;
    await catalog.func('demo__main.hello');
    expect(c.gets.funcs).toBe(1);
    now += 1;
    expect((await catalog.func('demo__main.hello'))?.id).toBe('demo__main.hello');
    expect(c.gets.funcs).toBe(2);
    // Drafts are read each time.
    await catalog.script('demo__main', true);
    await catalog.script('demo__main', true);
    expect(c.gets.scripts).toBe(3);
  });

  it('keeps neither a failed lookup nor one invalidated while it ran', async () => {
    const c = countingStore();
    const catalog = new FuncCatalog(c.store, 60_000);
    c.failNext();
    await expect(catalog.func('demo__main.hello')).rejects.toThrow('store down');
    expect((await catalog.func('demo__main.hello'))?.id).toBe('demo__main.hello');
    expect(c.gets.funcs).toBe(2);

    catalog.invalidate();
    const inFlight = catalog.func('demo__main.hello');
    catalog.invalidate('demo__main');
    await inFlight;
    await catalog.func('demo__main.hello');
    expect(c.gets.funcs).toBe(4);
    await catalog.func('demo__main.hello');
    expect(c.gets.funcs).toBe(4);
  });
});

describe('FuncCatalog: a task built from a publish newer than the cached code', () => {
  it('reads the code again (another process published it: its new function was not found until the cache expired)', async () => {
    const catalog = new FuncCatalog(store, 60_000);
    const before = await catalog.script('demo__main', false);
    expect(before?.md5).toBe('md5-1');
    // Published by another process (its own catalog): this one's cache still holds the old code.
    const publishedAt = Date.now() + 10;
    await store.scripts.publish({ scriptId: 'demo__main', code: 'def hello(): pass\ndef added(): pass\n', codeMD5: 'md5-2', note: null, funcs: [], now: publishedAt });
    expect((await catalog.script('demo__main', false))?.md5).toBe('md5-1');
    // A task built from that publish carries its time: the old code is not used for it.
    expect((await catalog.script('demo__main', false, undefined, publishedAt))?.md5).toBe('md5-2');
    // Tasks from the publish before it take what is cached.
    expect((await catalog.script('demo__main', false, undefined, publishedAt - 1000))?.md5).toBe('md5-2');
  });
});
