import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL, deleteKeys, requireRedis, uniquePrefix } from '../testing/redis-test-env.js';
import { RedisLeaderLease } from './redis-lease.js';

const prefix = uniquePrefix('lease');
beforeAll(async () => {
  await requireRedis();
});
afterAll(async () => {
  await deleteKeys(prefix);
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Sample both contenders every few ms; record any moment both think they lead. */
function watch(leases: RedisLeaderLease[]): { stop: () => void; overlaps: () => number } {
  let overlaps = 0;
  const timer = setInterval(() => {
    if (leases.filter((l) => l.isLeader()).length > 1) overlaps += 1;
  }, 2);
  return { stop: () => clearInterval(timer), overlaps: () => overlaps };
}

describe('RedisLeaderLease with two contenders', () => {
  it('a standby takes over within the TTL after the leader stops renewing, never two leaders at once', async () => {
    const ttlMs = 1000;
    const renewEveryMs = 200;
    const connA = new Redis(TEST_REDIS_URL);
    const a = new RedisLeaderLease({ connection: connA, prefix, ttlMs, renewEveryMs });
    const b = new RedisLeaderLease({ url: TEST_REDIS_URL, prefix, ttlMs, renewEveryMs });
    const aChanges: boolean[] = [];
    a.onChange((l) => aChanges.push(l));
    const w = watch([a, b]);
    try {
      await a.start();
      await b.start();
      expect(a.isLeader()).toBe(true);
      expect(b.isLeader()).toBe(false);
      await sleep(3 * renewEveryMs);
      expect(a.isLeader()).toBe(true);
      expect(b.isLeader()).toBe(false);
      expect(await b.acquire()).toBe(false);
      // The leader "dies": its connection goes away, it can neither renew nor release.
      connA.disconnect();
      const died = Date.now();
      while (!b.isLeader() && Date.now() - died < 5000) await sleep(5);
      const takeover = Date.now() - died;
      expect(b.isLeader()).toBe(true);
      expect(takeover).toBeLessThanOrEqual(ttlMs + renewEveryMs + 150);
      expect(a.isLeader()).toBe(false);
      expect(aChanges).toEqual([true, false]);
      expect(w.overlaps()).toBe(0);
    } finally {
      w.stop();
      await b.stop();
      await a.stop().catch(() => undefined);
    }
  });

  it('hands over at once when the leader releases on a clean stop', async () => {
    const a = new RedisLeaderLease({ url: TEST_REDIS_URL, prefix, name: 'clean', ttlMs: 5000, renewEveryMs: 100 });
    const b = new RedisLeaderLease({ url: TEST_REDIS_URL, prefix, name: 'clean', ttlMs: 5000, renewEveryMs: 100 });
    const w = watch([a, b]);
    try {
      await a.start();
      await b.start();
      expect(b.isLeader()).toBe(false);
      await a.stop();
      const t0 = Date.now();
      while (!b.isLeader() && Date.now() - t0 < 3000) await sleep(5);
      expect(b.isLeader()).toBe(true);
      // Without the release b would wait out the 5 s TTL; the bound is far from both.
      expect(Date.now() - t0).toBeLessThan(2500);
      expect(w.overlaps()).toBe(0);
    } finally {
      w.stop();
      await b.stop();
    }
  });

  it('a renew after someone else took the lease reports the loss', async () => {
    const a = new RedisLeaderLease({ url: TEST_REDIS_URL, prefix, name: 'stolen', ttlMs: 5000 });
    const other = new Redis(TEST_REDIS_URL);
    const changes: boolean[] = [];
    a.onChange((l) => changes.push(l));
    try {
      expect(await a.acquire()).toBe(true);
      await other.set(`${prefix}lease:stolen`, 'someone-else');
      expect(await a.renew()).toBe(false);
      expect(a.isLeader()).toBe(false);
      expect(changes).toEqual([true, false]);
      await a.release();
      expect(await other.get(`${prefix}lease:stolen`)).toBe('someone-else');
    } finally {
      other.disconnect();
      await a.stop();
    }
  });
});
