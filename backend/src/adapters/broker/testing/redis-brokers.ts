/**
 * Redis brokers for one test file: under the file's own prefix plus a number that `next()` moves
 * on (a test's brokers share a prefix, and no other test's), all closed and their keys deleted by
 * `dispose()`.
 */
import { RedisBroker, type RedisBrokerOptions } from '../redis/redis-broker.js';
import { TEST_REDIS_URL, deleteKeys, uniquePrefix } from './redis-test-env.js';

export interface TestBrokers {
  /** The file's prefix (every broker's keys are under it). */
  readonly root: string;
  /** The prefix of the brokers `make` opens now. */
  readonly prefix: string;
  /** Brokers made after this use a new prefix. */
  next(): void;
  /** A broker on the current prefix (no sweep unless asked), ready. */
  make(options?: RedisBrokerOptions): Promise<RedisBroker>;
  dispose(): Promise<void>;
}

export function testBrokers(label: string): TestBrokers {
  const root = uniquePrefix(label);
  let n = 0;
  const brokers: RedisBroker[] = [];
  return {
    root,
    get prefix() {
      return `${root}${n}:`;
    },
    next: () => {
      n += 1;
    },
    make: async (options = {}) => {
      const b = new RedisBroker({ url: TEST_REDIS_URL, prefix: `${root}${n}:`, sweepEveryMs: 0, ...options });
      brokers.push(b);
      await b.ready();
      return b;
    },
    dispose: async () => {
      for (const b of brokers.splice(0)) await b.close();
      await deleteKeys(root);
    },
  };
}
