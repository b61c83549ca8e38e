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

/** Redis answers but refuses the connection's first commands: a wrong password, no database of the number the URL names. */
export class RedisRefusedError extends Error {
  override readonly name = 'RedisRefusedError';
}

/** The database number a `redis://host:port/N` URL names (0 without one). */
export function redisDatabaseOf(url: string): number {
  const path = new URL(url).pathname.slice(1);
  return path === '' ? 0 : Number(path);
}

export interface WaitForRedisOptions {
  /** Told while Redis does not answer: at once, then every `repeatMs`. */
  onWait?: (message: string) => void;
  /** Default 10 s. */
  repeatMs?: number;
}

/**
 * Waits until Redis at `url` answers, saying so through `onWait` while it does not (a role
 * started before its Redis waits for it rather than failing or hanging silently), then checks
 * that it takes commands (a wrong password) and that the database the URL names exists: ioredis
 * reports a refused `AUTH` or `SELECT` as an error event and goes on, in database 0 for the
 * latter, which would put every key where nobody looks for it.
 */
export async function waitForRedis(url: string, options: WaitForRedisOptions = {}): Promise<void> {
  const repeatMs = options.repeatMs ?? 10_000;
  const db = redisDatabaseOf(url);
  const startedAt = Date.now();
  let saidAt: number | undefined;
  // Without the database in its URL this connection selects nothing itself: the database is
  // checked below, where a refusal has an answer.
  const bare = new URL(url);
  bare.pathname = '';
  const redis = createRedisConnection({
    url: bare.href,
    onError: (err) => {
      const now = Date.now();
      if (saidAt !== undefined && now - saidAt < repeatMs) return;
      const where = describeRedis(redis);
      const reason = maskSecrets(err.message);
      options.onWait?.(
        saidAt === undefined
          ? `Redis at ${where} does not answer (${reason}); waiting for it`
          : `still waiting for Redis at ${where} after ${Math.round((now - startedAt) / 1000)} s (${reason})`,
      );
      saidAt = now;
    },
  });
  try {
    if (redis.status !== 'ready') await new Promise<void>((resolve) => redis.once('ready', () => resolve()));
    const refused = (what: string) => (err: unknown) => {
      throw new RedisRefusedError(`Redis at ${describeRedis(redis)} ${what} (${maskSecrets(err instanceof Error ? err.message : String(err))})`, { cause: err });
    };
    await redis.ping().catch(refused('refuses commands'));
    if (db !== 0) await redis.select(db).catch(refused(`has no database ${db}`));
  } finally {
    await closeRedis(redis);
  }
}
