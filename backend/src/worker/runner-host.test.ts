import { describe, expect, it } from 'vitest';
import type { RunnerHostDeps } from './runner-host.js';
import { createRunnerHost, STORE_EXPIRE_MAX_S } from './runner-host.js';
import type { TaskMessage } from '../domain/tasks/task.js';

const NOW = 1_700_000_000_000;
const sets: unknown[][] = [];
const cacheCalls: unknown[][] = [];
const host = createRunnerHost({
  store: { funcStore: { set: (...a: unknown[]) => Promise.resolve(void sets.push(a)) } },
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
