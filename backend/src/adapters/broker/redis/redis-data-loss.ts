/**
 * Noticing that Redis lost its data (restarted without persistence, flushed, failed over to an
 * empty replica), so that the tasks the store still records as queued can be enqueued again.
 *
 * The stack keeps a marker key (`<prefix>alive`). Every role sets it with `SET NX` when its
 * connection becomes ready (at start and after each reconnect) and every `checkEveryMs`: finding
 * it missing means Redis was emptied since the marker was set. Of the roles that notice, the one
 * whose `SET NX` succeeded (exactly one) is told (`onLoss`); the others find the key set. A first
 * start finds no marker too: then the store records no queued task, or (an upgrade from a version
 * without the marker) only tasks whose bodies are still in Redis, which a second enqueue leaves
 * alone (`enqueue-8` is idempotent per task id).
 */
import type { Redis } from 'ioredis';
import { brokerKeys } from './redis-keys.js';
import { closeRedis, createRedisConnection, execPipeline, redisCall, type RedisConnectionOptions } from './redis-connection.js';

/** The marker's value while its setter recovers (then the detection time alone). */
const RECOVERING = 'recovering:';
export const RECOVERING_TTL_MS = 60_000;

export interface RedisDataLossOptions extends RedisConnectionOptions {
  prefix?: string;
  now?: () => number;
  /** How often the marker is checked besides each (re)connect (a FLUSHALL keeps connections up). Default 10 s; 0: only on connect. */
  checkEveryMs?: number;
  /**
   * This role set the marker: Redis had lost its data (or never had any) when it was noticed at
   * `detectedAt`. A rejection gives the marker up again, so the next check (any role's) recovers.
   * `stillRecovering` renews the claim; call it at least every RECOVERING_TTL_MS.
   */
  onLoss: (detectedAt: number, stillRecovering: () => Promise<void>) => Promise<void>;
}

/** What Redis keeps on disk (`CONFIG GET`), when it lets us ask. */
export interface RedisPersistence {
  appendonly: boolean;
  /** The RDB snapshot schedule (`save`); empty: no snapshots. */
  save: string;
}

export class RedisDataLossWatch {
  private readonly redis: Redis;
  private readonly marker: string;
  private readonly msgKey: string;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  /** The check running now: one at a time (a reconnect during a recovery waits for it). */
  private checking: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: RedisDataLossOptions) {
    const prefix = options.prefix ?? 'func:';
    this.redis = createRedisConnection({ ...options, redis: { connectionName: 'func-data-loss', ...options.redis } });
    this.marker = `${prefix}alive`;
    this.msgKey = brokerKeys(prefix).msg;
    this.now = options.now ?? Date.now;
  }

  /** Checks at once (resolves when that check and any recovery it started are done), then on every reconnect and periodically. */
  async start(): Promise<void> {
    if (this.redis.status !== 'ready') await new Promise((resolve) => this.redis.once('ready', resolve));
    this.redis.on('ready', () => void this.check());
    const every = this.options.checkEveryMs ?? 10_000;
    if (every > 0) {
      this.timer = setInterval(() => void this.check(), every);
      this.timer.unref();
    }
    await this.check();
  }

  /** Sets the marker if missing; its setter recovers. Errors (Redis down) wait for the next check. */
  check(): Promise<void> {
    this.checking = this.checking.then(() => this.checkOnce());
    return this.checking;
  }

  private async checkOnce(): Promise<void> {
    if (this.closed || this.redis.status !== 'ready') return;
    const detectedAt = this.now();
    // While recovering the marker says so and expires unless renewed: a role that dies
    // recovering leaves it to expire, and the next check (any role's) starts over.
    const recovering = `${RECOVERING}${detectedAt}`;
    try {
      if ((await this.redis.set(this.marker, recovering, 'PX', RECOVERING_TTL_MS, 'NX')) !== 'OK') return;
      await this.options.onLoss(detectedAt, () => this.ifMarkerIs(recovering, 'PEXPIRE', String(RECOVERING_TTL_MS)));
      await this.redis.set(this.marker, String(detectedAt));
    } catch (err) {
      this.options.onError?.(err instanceof Error ? err : new Error(String(err)));
      // Not recovered: give the marker up (if still ours), so the next check tries again.
      await this.ifMarkerIs(recovering, 'DEL').catch(() => undefined);
    }
  }

  private async ifMarkerIs(value: string, command: 'PEXPIRE' | 'DEL', ...args: string[]): Promise<void> {
    await this.redis.eval(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call(ARGV[2], KEYS[1], unpack(ARGV, 3)) end return 0",
      1,
      this.marker,
      value,
      command,
      ...args,
    );
  }

  /** The marker is set and no recovery runs: the broker holds every task it was given since. */
  async settled(): Promise<boolean> {
    const value = await redisCall(this.redis, 'data-loss marker', () => this.redis.get(this.marker));
    return value !== null && !value.startsWith(RECOVERING);
  }

  /** Which of `taskIds` Redis holds a body for (waiting, delayed, in flight or being retried). */
  async knownTasks(taskIds: readonly string[]): Promise<Set<string>> {
    if (taskIds.length === 0) return new Set();
    // HEXISTS each (one round trip), not HMGET: the bodies can be large (files sent with a call).
    const pipeline = this.redis.pipeline();
    for (const id of taskIds) pipeline.hexists(this.msgKey, id);
    const known = await execPipeline(this.redis, 'known tasks', pipeline);
    return new Set(taskIds.filter((_, i) => known[i] === 1));
  }

  /**
   * One caller per `ttlMs` across the stack gets true (`SET NX PX`): periodic work done by one
   * role of many.
   */
  async claim(name: string, ttlMs: number): Promise<boolean> {
    const key = `${this.marker}:claim:${name}`;
    return (await redisCall(this.redis, `claim ${name}`, () => this.redis.set(key, String(this.now()), 'PX', ttlMs, 'NX'))) === 'OK';
  }

  /** Whether Redis keeps its data on disk; undefined when `CONFIG` is not allowed (ACL, managed Redis). */
  async persistence(): Promise<RedisPersistence | undefined> {
    try {
      const reply = (await this.redis.config('GET', 'appendonly')) as string[];
      const save = (await this.redis.config('GET', 'save')) as string[];
      return { appendonly: reply[1] === 'yes', save: save[1] ?? '' };
    } catch {
      return undefined;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.checking;
    await closeRedis(this.redis);
  }
}
