/**
 * Redis connections for the broker, cache, lease and presence: one place that decides how a
 * connection behaves when Redis goes away.
 *
 * - Reconnect forever, backing off 100, 200, 400, 800 ms then every second (`retryStrategy`).
 * - A command issued while Redis is down waits in ioredis' offline queue; after
 *   `maxRetriesPerRequest` reconnect attempts (default 10, about 7 s) it fails, and the callers
 *   here rethrow it as a `RedisUnavailableError` naming the operation and the address.
 * - Commands sent but unanswered when the connection dropped are sent again after reconnecting
 *   (`autoResendUnfulfilledCommands`); the scripts are written so that this is harmless.
 */
import { Redis, type ChainableCommander, type RedisOptions } from 'ioredis';
import { maskSecrets } from '../../../../../contract/redact.js';

export interface RedisConnectionOptions {
  /** `redis://[:password@]host:port[/db]`; default redis://127.0.0.1:6379. */
  url?: string;
  /** Reconnect attempts a command waits through before failing (default 10, about 7 s). */
  maxRetriesPerRequest?: number;
  /** Told about connection errors (ioredis reports each failed reconnect). */
  onError?: (err: Error) => void;
  /** Extra ioredis options. */
  redis?: RedisOptions;
}

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Backoff between reconnect attempts, in ms. */
export function reconnectDelay(times: number): number {
  return Math.min(50 * 2 ** times, 1000);
}

export function createRedisConnection(options: RedisConnectionOptions = {}): Redis {
  const redis = new Redis(options.url ?? DEFAULT_REDIS_URL, {
    retryStrategy: reconnectDelay,
    maxRetriesPerRequest: options.maxRetriesPerRequest ?? 10,
    enableOfflineQueue: true,
    autoResendUnfulfilledCommands: true,
    connectionName: 'func',
    ...options.redis,
  });
  // Without a listener ioredis prints every failed reconnect as an unhandled error event.
  redis.on('error', (err: Error) => options.onError?.(err));
  return redis;
}

/** A Redis command failed because Redis did not answer (down, restarting, unreachable). */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
  readonly code = 'ERedisUnavailable';
}

/** Where a connection points, for error messages. */
export function describeRedis(redis: Redis): string {
  const o = redis.options;
  return `${o.host ?? '127.0.0.1'}:${o.port ?? 6379}`;
}

/** Rethrow connection-level failures of `op` with the operation and the Redis address named. */
export async function redisCall<T>(redis: Redis, op: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    if (e.name === 'ReplyError') throw e;
    throw new RedisUnavailableError(`Redis at ${describeRedis(redis)} did not answer ${op}: ${maskSecrets(e.message)}`, { cause: e });
  }
}

const corked = new WeakSet<object>();

/**
 * Commands issued from now until the current tick's microtasks are done leave in one socket write
 * (the stream corked, uncorked on the next tick): the enqueues of the tasks whose records one
 * group commit stored wake Redis once, not once each. Nothing waits: a lone command is written a
 * tick later. Without a ready connection ioredis queues the commands itself.
 */
export function corkForTick(redis: Redis): void {
  if (redis.status !== 'ready') return;
  const stream = redis.stream;
  if (corked.has(stream)) return;
  corked.add(stream);
  stream.cork();
  process.nextTick(() => {
    corked.delete(stream);
    stream.uncork();
  });
}

/** Run a pipeline; the replies in order, or the first failure (connection failures as in `redisCall`). */
export async function execPipeline(redis: Redis, op: string, pipeline: ChainableCommander): Promise<unknown[]> {
  return redisCall(redis, op, async () => {
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([err, reply]) => {
      if (err) throw err;
      return reply;
    });
  });
}

/** Close a connection politely (QUIT), or drop it when Redis is not there to answer. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  await redis.quit().catch(() => redis.disconnect());
}
