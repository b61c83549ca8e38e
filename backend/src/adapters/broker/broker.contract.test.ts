/**
 * The port contracts (broker, func cache, leader lease, presence) against the embedded
 * implementations and against the real Redis at 127.0.0.1:6379 (FUNC_TEST_REDIS_URL), each
 * Redis run under its own key prefix, deleted afterwards. No Redis = a failing suite.
 */
import { afterAll, beforeAll } from 'vitest';
import { EmbeddedBroker } from './embedded/embedded-broker.js';
import { EmbeddedCache } from './embedded/embedded-cache.js';
import { EmbeddedLease } from './embedded/embedded-lease.js';
import { EmbeddedPresence } from './embedded/embedded-presence.js';
import { RedisBroker } from './redis/redis-broker.js';
import { RedisFuncCache } from './redis/redis-cache.js';
import { RedisLeaderLease } from './redis/redis-lease.js';
import { RedisPresence } from './redis/redis-presence.js';
import { brokerContract } from './testing/broker-contract.js';
import { cacheContract } from './testing/cache-contract.js';
import { leaseContract } from './testing/lease-contract.js';
import { presenceContract } from './testing/presence-contract.js';
import { TEST_REDIS_URL, deleteKeys, requireRedis, uniquePrefix } from './testing/redis-test-env.js';

const prefix = uniquePrefix('contract');
beforeAll(async () => {
  await requireRedis();
});
afterAll(async () => {
  await deleteKeys(prefix);
});

let n = 0;
const nextPrefix = (): string => `${prefix}${++n}:`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

brokerContract('embedded', (o) => {
  const broker = new EmbeddedBroker(o);
  return Promise.resolve({
    broker,
    sweep: () => Promise.resolve(broker.sweep()),
    close: () => broker.close(),
  });
});

brokerContract('redis', async (o) => {
  const broker = new RedisBroker({ url: TEST_REDIS_URL, prefix: nextPrefix(), sweepEveryMs: 0, ...o });
  await broker.ready();
  return {
    broker,
    sweep: async () => {
      await broker.sweep();
    },
    close: () => broker.close(),
  };
});

cacheContract('embedded', () => {
  let clock = 1_000_000;
  const cache = new EmbeddedCache(() => clock);
  return Promise.resolve({ cache, advance: (ms) => Promise.resolve(void (clock += ms)), close: () => cache.close() });
});

cacheContract('redis', () => {
  const cache = new RedisFuncCache({ url: TEST_REDIS_URL, prefix: nextPrefix() });
  return Promise.resolve({ cache, advance: sleep, close: () => cache.close() });
});

leaseContract('embedded', () => Promise.resolve(new EmbeddedLease()));
leaseContract('redis', () => Promise.resolve(new RedisLeaderLease({ url: TEST_REDIS_URL, prefix: nextPrefix(), ttlMs: 1000, renewEveryMs: 200 })));

presenceContract('embedded', () => {
  let clock = 1_000_000;
  const presence = new EmbeddedPresence(() => clock);
  return Promise.resolve({ presence, advance: (ms) => Promise.resolve(void (clock += ms)), close: () => presence.close() });
});

presenceContract('redis', () => {
  let clock = 1_000_000;
  const presence = new RedisPresence({ url: TEST_REDIS_URL, prefix: nextPrefix(), now: () => clock });
  return Promise.resolve({ presence, advance: (ms) => Promise.resolve(void (clock += ms)), close: () => presence.close() });
});
