import { describe, expect, it } from 'vitest';
import type { RunnerHostDeps } from './runner-host.js';
import { createRunnerHost, STORE_EXPIRE_MAX_S } from './runner-host.js';
import type { TaskMessage } from '../domain/tasks/task.js';

const NOW = 1_700_000_000_000;
const sets: unknown[][] = [];
const storeCalls: unknown[][] = [];
const cacheCalls: unknown[][] = [];
const recordStore =
  (name: string) =>
  (...a: unknown[]): Promise<unknown> =>
    Promise.resolve(void storeCalls.push([name, ...a]));
const host = createRunnerHost({
  store: { funcStore: { set: (...a: unknown[]) => Promise.resolve(void sets.push(a)), get: recordStore('get'), delete: recordStore('delete'), keys: recordStore('keys') } },
  cache: { command: (...a: unknown[]) => Promise.resolve(void cacheCalls.push(a)) },
  secrets: { mac: () => Buffer.alloc(32) },
  now: () => NOW,
} as unknown as RunnerHostDeps);
const task = { id: 't', scriptId: 's__m' } as unknown as TaskMessage;

describe('DFF.STORE.set expire', () => {
  it('stores the expiry time of a number of seconds (a numeric string too), none without one', async () => {
    sets.length = 0;
    await host.call('STORE', 'set', [null, 'k', 1, 60], task);
    await host.call('STORE', 'set', [null, 'k', 1, '1.5'], task);
    await host.call('STORE', 'set', [null, 'k', 1, null], task);
    expect(sets.map((a) => a[3])).toEqual([NOW + 60_000, NOW + 1_500, null]);
  });

  it('refuses, naming expire, what no column can hold or is no number (was a raw MySQL out-of-range error)', async () => {
    sets.length = 0;
    for (const bad of [1e20, 2 ** 63, -1e20, STORE_EXPIRE_MAX_S + 1, 'soon', true, [1]]) {
      await expect(host.call('STORE', 'set', [null, 'k', 1, bad], task)).rejects.toThrow(/expire must be a number of seconds/);
    }
    expect(sets).toEqual([]);
  });
});

describe('DFF.CACHE expire', () => {
  it('passes a number of seconds (a numeric string as a number) to set and expire', async () => {
    cacheCalls.length = 0;
    await host.call('CACHE', 'set', [null, 'k', 'v', 60, false], task);
    await host.call('CACHE', 'set', [null, 'k', 'v', '1.5', true], task);
    await host.call('CACHE', 'set', [null, 'k', 'v', null, false], task);
    await host.call('CACHE', 'expire', [null, 'k', 30], task);
    expect(cacheCalls.map(([name, args]) => [name, (args as unknown[]).slice(1)])).toEqual([
      ['set', ['v', 60, false]],
      ['set', ['v', 1.5, true]],
      ['set', ['v', null, false]],
      ['expire', [30]],
    ]);
  });

  it('refuses, naming expire, what Redis cannot hold or is no number (was Redis: value is not an integer or out of range)', async () => {
    cacheCalls.length = 0;
    for (const bad of [1e20, -1e20, STORE_EXPIRE_MAX_S + 1, 'soon', true]) {
      await expect(host.call('CACHE', 'set', [null, 'k', 'v', bad, false], task)).rejects.toThrow(/expire must be a number of seconds/);
      await expect(host.call('CACHE', 'expire', [null, 'k', bad], task)).rejects.toThrow(/expire must be a number of seconds/);
    }
    expect(cacheCalls).toEqual([]);
  });
});

// What Python's checks refuse (dff.py's _str_arg), Node refuses too: a script can send the host call itself.
describe('DFF.STORE and DFF.CACHE keys and patterns as a host call brings them', () => {
  const BAD: [unknown, string][] = [
    [5, 'int'],
    [1.5, 'float'],
    [null, 'NoneType'],
    [['a', 'b'], 'list'],
    [{ a: 1 }, 'dict'],
    [true, 'bool'],
  ];

  it('CACHE keys: a pattern that is not a str is refused naming it (was every key, as "*")', async () => {
    cacheCalls.length = 0;
    for (const [bad, type] of BAD) await expect(host.call('CACHE', 'keys', [null, bad], task)).rejects.toThrow(`DFF.CACHE.keys: pattern must be a str, got ${type}`);
    expect(cacheCalls).toEqual([]);
    await host.call('CACHE', 'keys', [null, 'a*'], task);
    await host.call('CACHE', 'keys', [null, ''], task);
    expect(cacheCalls).toEqual([
      ['keys', ['func:cache:s__m:a*']],
      ['keys', ['func:cache:s__m:']],
    ]);
  });

  it('STORE keys: a pattern that is not a str is refused naming it (was every key)', async () => {
    storeCalls.length = 0;
    for (const [bad, type] of BAD) await expect(host.call('STORE', 'keys', ['sc', bad], task)).rejects.toThrow(`DFF.STORE.keys: pattern must be a str, got ${type}`);
    expect(storeCalls).toEqual([]);
    await host.call('STORE', 'keys', ['sc', 'a*'], task);
    expect(storeCalls).toEqual([['keys', 'sc', 'a*', NOW]]);
  });

  it('CACHE: a list (or no str) where one key is expected is refused naming the method and the argument (was several keys)', async () => {
    cacheCalls.length = 0;
    const methods: [string, unknown[]][] = [
      ['get', []],
      ['exists', []],
      ['type', []],
      ['ttl', []],
      ['incrby', [1]],
      ['hset', ['f', 'v', true]],
      ['hgetall', []],
      ['hdel', [['f']]],
      ['lpush', ['v']],
      ['lrange', [0, -1]],
      ['sadd', [['m']]],
      ['zcard', []],
      ['set', ['v', null, false]],
      ['expire', [10]],
      ['blpop', [0.01]],
      ['rpoplpush', ['d', null]],
    ];
    for (const [method, rest] of methods) {
      await expect(host.call('CACHE', method, [null, ['a', 'b'], ...rest], task)).rejects.toThrow(`DFF.CACHE.${method}: key must be a str, got list`);
      await expect(host.call('CACHE', method, [null, 7, ...rest], task)).rejects.toThrow(`DFF.CACHE.${method}: key must be a str, got int`);
    }
    await expect(host.call('CACHE', 'publish', [null, ['t1', 't2'], 'm'], task)).rejects.toThrow('DFF.CACHE.publish: topic must be a str, got list');
    await expect(host.call('CACHE', 'rpoplpush', [null, 'a', ['d1', 'd2'], null], task)).rejects.toThrow('DFF.CACHE.rpoplpush: dest_key must be a str, got list');
    await expect(host.call('CACHE', 'get', [['x'], 'a'], task)).rejects.toThrow('DFF.CACHE.get: scope must be a str, got list');
    await expect(host.call('STORE', 'get', [null, ['a', 'b']], task)).rejects.toThrow('DFF.STORE.get: key must be a str, got list');
    await expect(host.call('STORE', 'set', [null, 5, 'v'], task)).rejects.toThrow('DFF.STORE.set: key must be a str, got int');
    await expect(host.call('STORE', 'delete', [null, null], task)).rejects.toThrow('DFF.STORE.delete: key must be a str, got NoneType');
    expect(cacheCalls).toEqual([]);
  });

  it('CACHE delete and mget take a list of str keys (or one str); a key in it that is no str is refused, nothing sent', async () => {
    cacheCalls.length = 0;
    await host.call('CACHE', 'delete', [null, ['a', 'b']], task);
    await host.call('CACHE', 'mget', [null, 'a'], task);
    expect(cacheCalls).toEqual([
      ['delete', [['func:cache:s__m:a', 'func:cache:s__m:b']]],
      ['mget', ['func:cache:s__m:a']],
    ]);
    cacheCalls.length = 0;
    await expect(host.call('CACHE', 'delete', [null, ['a', 5]], task)).rejects.toThrow('DFF.CACHE.delete: key must be a str, got int');
    await expect(host.call('CACHE', 'mget', [null, ['a', ['b']]], task)).rejects.toThrow('DFF.CACHE.mget: key must be a str, got list');
    await expect(host.call('CACHE', 'delete', [null, null], task)).rejects.toThrow('DFF.CACHE.delete: key must be a str, got NoneType');
    expect(cacheCalls).toEqual([]);
  });
});
