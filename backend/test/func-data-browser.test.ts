/**
 * The func-caches browse logic on both func cache backends: the embedded cache and Redis
 * (production), through the FuncCache port only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedCache } from '../src/adapters/broker/embedded/embedded-cache.js';
import { RedisFuncCache } from '../src/adapters/broker/redis/redis-cache.js';
import { TEST_REDIS_URL, deleteKeys, requireRedis, uniquePrefix } from '../src/adapters/broker/testing/redis-test-env.js';
import { funcCacheKey } from '../src/domain/func-data/func-cache-keys.js';
import { deleteFuncCache, getFuncCache, listFuncCaches } from '../src/domain/func-data/func-data-browser.js';
import type { FuncCache } from '../src/domain/ports/broker.js';

const prefix = uniquePrefix('func-data');
beforeAll(async () => {
  await requireRedis();
});
afterAll(async () => {
  await deleteKeys(prefix);
});

const backends: [string, () => FuncCache][] = [
  ['embedded', () => new EmbeddedCache()],
  ['redis', () => new RedisFuncCache({ url: TEST_REDIS_URL, prefix })],
];

describe.each(backends)('func cache browse on %s', (_name, make) => {
  let cache: FuncCache;
  beforeAll(async () => {
    cache = make();
    await cache.command('set', [funcCacheKey('s1', 'str'), '{"a":1}', 100]);
    await cache.command('rpush', [funcCacheKey('s1', 'list:with:colons'), 'x']);
    await cache.command('hset', [funcCacheKey('s2', 'h'), 'f', '2']);
    await cache.command('zadd', [funcCacheKey('s2', 'z'), { m: 1.5 }]);
    await cache.command('set', ['func:result-cache:not-a-func-cache-key', 'x']);
  });
  afterAll(async () => {
    await cache.close();
  });

  it('lists only DFF.CACHE keys, parsed, with type and ttl', async () => {
    const rows = await listFuncCaches(cache, {});
    expect(rows.map((r) => [r.scope, r.key, r.type])).toEqual([
      ['s1', 'list:with:colons', 'list'],
      ['s1', 'str', 'string'],
      ['s2', 'h', 'hash'],
      ['s2', 'z', 'zset'],
    ]);
    expect(rows.find((r) => r.key === 'str')!.ttl).toBeGreaterThan(90);
    expect(rows.find((r) => r.key === 'h')!.ttl).toBe(-1);
    expect((await listFuncCaches(cache, { key: 'colons' })).map((r) => r.key)).toEqual(['list:with:colons']);
    expect((await listFuncCaches(cache, { scope: 's2', key: 'z' })).map((r) => r.key)).toEqual(['z']);
    expect((await listFuncCaches(cache, { search: '*' })).map((r) => r.key)).toEqual([]);
    expect(await listFuncCaches(cache, {}, 2)).toHaveLength(2);
  });

  it('reads by type and deletes', async () => {
    expect(await getFuncCache(cache, 's1', 'str', true)).toEqual({ a: 1 });
    expect(await getFuncCache(cache, 's2', 'z', false)).toEqual([{ score: 1.5, value: 'm' }]);
    expect(await getFuncCache(cache, 's2', 'h', true)).toEqual({ f: 2 });
    await expect(getFuncCache(cache, 's2', 'nope', false)).rejects.toThrow(/No such func cache/);
    expect(await deleteFuncCache(cache, 's2', 'h')).toBe(true);
    expect(await deleteFuncCache(cache, 's2', 'h')).toBe(false);
  });
});
