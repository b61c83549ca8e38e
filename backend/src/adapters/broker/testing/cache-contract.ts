/** The func cache's contract (DFF.CACHE): one suite for the embedded and the Redis cache. */
import { describe, expect, it } from 'vitest';
import type { FuncCache } from '../../../domain/ports/broker.js';

export interface CacheHarness {
  cache: FuncCache;
  /** Let `ms` pass for expiry (an injected clock, or real time). */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

export function cacheContract(name: string, make: () => Promise<CacheHarness>): void {
  describe(`FuncCache contract: ${name}`, () => {
    const withCache = (body: (c: FuncCache, h: CacheHarness) => Promise<void>) => async (): Promise<void> => {
      const h = await make();
      try {
        await body(h.cache, h);
      } finally {
        await h.close();
      }
    };

    it(
      'runs string commands with expiry',
      withCache(async (c, h) => {
        expect(await c.command('set', ['k', 'v', 0.2, false])).toBe(true);
        expect(await c.command('set', ['k', 'w', null, true])).toBe(false);
        expect(await c.command('get', ['k'])).toBe('v');
        expect(await c.command('ttl', ['k'])).toBe(1);
        expect(await c.command('set', ['j', { a: 1 }])).toBe(true);
        expect(await c.command('get', ['j'])).toBe('{"a":1}');
        expect(await c.command('ttl', ['j'])).toBe(-1);
        expect(await c.command('ttl', ['missing'])).toBe(-2);
        expect(await c.command('GETSET', ['j', 'new'])).toBe('{"a":1}');
        expect(await c.command('getset', ['fresh', 'x'])).toBeNull();
        expect(await c.command('exists', ['j'])).toBe(1);
        expect(await c.command('exists', ['nope'])).toBe(0);
        await h.advance(300);
        expect(await c.command('get', ['k'])).toBeNull();
        expect(await c.command('set', ['k', 'again', null, true])).toBe(true);
        expect(await c.command('expire', ['k', 0.2])).toBe(true);
        expect(await c.command('expire', ['nope', 10])).toBe(false);
        await h.advance(300);
        expect(await c.command('exists', ['k'])).toBe(0);
      }),
    );

    it(
      'counts with incr and incrby, keeping the expiry',
      withCache(async (c) => {
        expect(await c.command('incr', ['n'])).toBe(1);
        expect(await c.command('incrby', ['n', 5])).toBe(6);
        expect(await c.command('incrby', ['n', -2])).toBe(4);
        expect(await c.command('incrby', ['n', 0.5])).toBe(4.5);
        expect(await c.command('get', ['n'])).toBe('4.5');
        await c.command('set', ['t', '10', 100]);
        expect(await c.command('incr', ['t'])).toBe(11);
        expect(await c.command('ttl', ['t'])).toBeGreaterThan(90);
        await c.command('set', ['s', 'abc']);
        await expect(c.command('incr', ['s'])).rejects.toThrow();
      }),
    );

    it(
      'deletes one key or a list of keys, and lists keys by pattern',
      withCache(async (c) => {
        for (const k of ['a:1', 'a:2', 'b:1', 'a*x']) await c.command('set', [k, '1']);
        expect(((await c.command('keys', ['a:*'])) as string[]).sort()).toEqual(['a:1', 'a:2']);
        expect(((await c.command('keys', ['?:1'])) as string[]).sort()).toEqual(['a:1', 'b:1']);
        expect(((await c.command('keys', [])) as string[]).sort()).toEqual(['a*x', 'a:1', 'a:2', 'b:1']);
        expect(await c.command('delete', ['a:1'])).toBe(1);
        expect(await c.command('del', [['a:2', 'b:1', 'none']])).toBe(2);
        expect(await c.command('del', [[]])).toBe(0);
        expect(await c.command('keys', ['*'])).toEqual(['a*x']);
      }),
    );

    it(
      'runs hash commands',
      withCache(async (c) => {
        expect(await c.command('hset', ['h', 'f', 'x'])).toBe(1);
        expect(await c.command('hset', ['h', 'f', 'y'])).toBe(0);
        expect(await c.command('hset', ['h', 'f', 'z', true])).toBe(false);
        expect(await c.command('hset', ['h', 'g', 2, true])).toBe(true);
        expect(await c.command('hget', ['h', 'f'])).toBe('y');
        expect(await c.command('hget', ['h', 'none'])).toBeNull();
        expect(await c.command('hget', ['nohash', 'f'])).toBeNull();
        expect(await c.command('hmget', ['h', ['f', 'g', 'none']])).toEqual(['y', '2', null]);
        expect(await c.command('hmget', ['nohash', ['f']])).toEqual([null]);
        expect(await c.command('hgetall', ['h'])).toEqual({ f: 'y', g: '2' });
        expect(await c.command('hgetall', ['nohash'])).toEqual({});
        expect(await c.command('hdel', ['h', 'f'])).toBe(1);
        expect(await c.command('hdel', ['h', ['g', 'none']])).toBe(1);
        expect(await c.command('hdel', ['nohash', 'f'])).toBe(0);
      }),
    );

    it(
      'runs list commands',
      withCache(async (c) => {
        expect(await c.command('rpush', ['l', 'a'])).toBe(1);
        expect(await c.command('rpush', ['l', 'b'])).toBe(2);
        expect(await c.command('lpush', ['l', 'z'])).toBe(3);
        // Several values: each pushed in turn, as Redis's LPUSH/RPUSH (DFF.CACHE.lpush of a list).
        expect(await c.command('lpush', ['l', 'y', 'x'])).toBe(5);
        expect(await c.command('rpush', ['l', 'c', 'd'])).toBe(7);
        expect(await c.command('lrange', ['l', 0, -1])).toEqual(['x', 'y', 'z', 'a', 'b', 'c', 'd']);
        await c.command('ltrim', ['l', 2, 4]);
        expect(await c.command('lrange', ['l', 0, -1])).toEqual(['z', 'a', 'b']);
        expect(await c.command('lrange', ['l', 1, 1])).toEqual(['a']);
        expect(await c.command('lrange', ['l', -2, -1])).toEqual(['a', 'b']);
        expect(await c.command('lrange', ['l'])).toEqual(['z', 'a', 'b']);
        expect(await c.command('llen', ['l'])).toBe(3);
        expect(await c.command('lpop', ['l'])).toBe('z');
        expect(await c.command('rpop', ['l'])).toBe('b');
        expect(await c.command('llen', ['nolist'])).toBe(0);
        expect(await c.command('lpop', ['nolist'])).toBeNull();
        expect(await c.command('lrange', ['nolist', 0, -1])).toEqual([]);
      }),
    );

    it(
      'types, pttl, expireat, mget, set only if it exists, memory usage',
      withCache(async (c) => {
        await c.command('set', ['s', 'v', 100]);
        await c.command('rpush', ['l', 'a']);
        await c.command('hset', ['h', 'f', 'x']);
        await c.command('sadd', ['st', ['a']]);
        await c.command('zadd', ['z', { m: 1 }]);
        expect(await Promise.all(['s', 'l', 'h', 'st', 'z', 'none'].map((k) => c.command('type', [k])))).toEqual(['string', 'list', 'hash', 'set', 'zset', 'none']);
        const pttl = Number(await c.command('pttl', ['s']));
        expect(pttl).toBeGreaterThan(90_000);
        expect(pttl).toBeLessThanOrEqual(100_000);
        expect(await c.command('pttl', ['l'])).toBe(-1);
        expect(await c.command('expireat', ['l', Math.floor(Date.now() / 1000) + 1000])).toBe(true);
        expect(Number(await c.command('ttl', ['l']))).toBeGreaterThan(900);
        expect(await c.command('mget', [['s', 'nope']])).toEqual(['v', null]);
        expect(await c.command('set', ['nope', 'x', null, false, true])).toBe(false);
        expect(await c.command('set', ['s', 'w', null, false, true])).toBe(true);
        expect(await c.command('get', ['s'])).toBe('w');
        expect(Number(await c.command('memoryusage', ['s']))).toBeGreaterThan(0);
      }),
    );

    it(
      'hash, list, set and sorted-set commands; an emptied key is gone',
      withCache(async (c) => {
        expect(await c.command('hmset', ['h', { a: 1, b: 'x' }])).toBe(true);
        expect(await c.command('hgetall', ['h'])).toEqual({ a: '1', b: 'x' });
        expect(await c.command('hincrby', ['h', 'a', 4])).toBe(5);
        expect(await c.command('hincrby', ['h', 'n'])).toBe(1);
        for (const v of ['0', '1', '2', '3', '4']) await c.command('rpush', ['l', v]);
        expect(await c.command('ltrim', ['l', 1, -2])).toBe(true);
        expect(await c.command('lrange', ['l', 0, -1])).toEqual(['1', '2', '3']);
        expect(await c.command('rpoplpush', ['l', 'l2'])).toBe('3');
        expect(await c.command('lrange', ['l2', 0, -1])).toEqual(['3']);
        expect(await c.command('rpoplpush', ['empty', 'l2'])).toBeNull();
        expect(await c.command('lpop', ['l2'])).toBe('3');
        expect(await c.command('exists', ['l2'])).toBe(0);
        expect(await c.command('sadd', ['s', ['b', 'a', 'b']])).toBe(2);
        expect(await c.command('smembers', ['s'])).toEqual(['a', 'b']);
        expect(await c.command('scard', ['s'])).toBe(2);
        expect(await c.command('sismember', ['s', 'a'])).toBe(1);
        expect(await c.command('sismember', ['s', 'z'])).toBe(0);
        expect(await c.command('srem', ['s', ['a', 'b', 'z']])).toBe(2);
        expect(await c.command('exists', ['s'])).toBe(0);
        expect(await c.command('zadd', ['z', { m1: 2, m2: 1, m3: 3.5 }])).toBe(3);
        expect(await c.command('zadd', ['z', { m1: 0 }])).toBe(0);
        expect(await c.command('zrange', ['z', 0, -1])).toEqual([
          ['m1', 0],
          ['m2', 1],
          ['m3', 3.5],
        ]);
        expect(await c.command('zrange', ['z', 1, 1])).toEqual([['m2', 1]]);
        expect(await c.command('zrangebyscore', ['z', '(0', '+inf'])).toEqual([
          ['m2', 1],
          ['m3', 3.5],
        ]);
        expect(await c.command('zrangebyscore', ['z', '-inf', 1])).toEqual([
          ['m1', 0],
          ['m2', 1],
        ]);
        await expect(c.command('zrangebyscore', ['z', 'abc', 1])).rejects.toThrow(/not a number/);
        expect(await c.command('zrem', ['z', ['m1']])).toBe(1);
        expect(await c.command('zcard', ['z'])).toBe(2);
        expect(typeof (await c.command('publish', ['topic', 'msg']))).toBe('number');
      }),
    );

    it(
      'refuses wrong types and unknown commands',
      withCache(async (c) => {
        await c.command('rpush', ['l', 'a']);
        await expect(c.command('hget', ['l', 'f'])).rejects.toThrow(/WRONGTYPE/);
        await expect(c.command('get', ['l'])).rejects.toThrow(/WRONGTYPE/);
        await expect(c.command('flushall', [])).rejects.toThrow(/not a supported command/);
      }),
    );
  });
}
