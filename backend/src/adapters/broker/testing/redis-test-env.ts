/**
 * Real Redis for the contract tests: 127.0.0.1:6379 unless FUNC_TEST_REDIS_URL says otherwise.
 * Unreachable Redis fails the suite with a clear message (never a skip). Every test run uses
 * its own key prefix and deletes its keys afterwards (SCAN + UNLINK; never FLUSHDB).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.FUNC_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Throws unless Redis at `url` answers PING within 2 s. */
export async function requireRedis(url: string = TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new Error(
      `Redis at ${url} is not reachable (${err instanceof Error ? err.message : String(err)}). ` +
        'The Redis broker tests need a real Redis: start redis-server on 127.0.0.1:6379 or set FUNC_TEST_REDIS_URL.',
    );
  } finally {
    redis.disconnect();
  }
}

/** A prefix no other test run uses. */
export function uniquePrefix(label: string): string {
  return `functest:${label}:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

/** Delete every key under `prefix`. */
export async function deleteKeys(prefix: string, url: string = TEST_REDIS_URL): Promise<number> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  let deleted = 0;
  try {
    let cursor = '0';
    const match = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
      if (keys.length > 0) deleted += await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}
