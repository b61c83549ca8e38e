/**
 * A leader lease on Redis: `<prefix>lease:<name>` holds the leader's random token with a TTL.
 * Acquire is SET NX PX; renew and release are Lua scripts that act only when the token is ours.
 * The campaign timer renews every `renewEveryMs` (default 1 s) a lease of `ttlMs` (default 5 s);
 * a standby tries to acquire on the same timer, so it takes over within ttl + renewEvery after
 * the leader stops renewing (at once when the leader releases on a clean stop).
 *
 * No two leaders: validity is counted from when the successful command was *sent*, and ends
 * `safetyMarginMs` before the TTL would expire in Redis; past it `isLeader()` is false and the
 * change listeners hear `false`, even when Redis cannot be reached to say so.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { LeaderLease } from '../../../domain/ports/lease.js';
import { closeRedis, createRedisConnection, redisCall, type RedisConnectionOptions } from './redis-connection.js';
import { defineScripts, runScript } from './redis-scripts.js';

export interface RedisLeaseOptions extends RedisConnectionOptions {
  name?: string;
  prefix?: string;
  connection?: Redis;
  ttlMs?: number;
  renewEveryMs?: number;
  /** Stop calling ourselves leader this long before the lease could expire (default ttl/5). */
  safetyMarginMs?: number;
}

export class RedisLeaderLease implements LeaderLease {
  readonly name: string;
  readonly token = randomUUID();
  private readonly redis: Redis;
  private readonly owns: boolean;
  private readonly key: string;
  private readonly ttlMs: number;
  private readonly renewEveryMs: number;
  private readonly marginMs: number;
  private readonly listeners = new Set<(leader: boolean) => void>();
  private validUntil = 0;
  private leader = false;
  private campaign: NodeJS.Timeout | undefined;
  private expiry: NodeJS.Timeout | undefined;
  private ticking = false;

  constructor(private readonly options: RedisLeaseOptions = {}) {
    this.name = options.name ?? 'beat';
    this.owns = options.connection === undefined;
    this.redis = options.connection ?? createRedisConnection(options);
    defineScripts(this.redis);
    this.key = `${options.prefix ?? 'func:'}lease:${this.name}`;
    this.ttlMs = options.ttlMs ?? 5000;
    this.renewEveryMs = options.renewEveryMs ?? 1000;
    this.marginMs = options.safetyMarginMs ?? Math.floor(this.ttlMs / 5);
  }

  private setLeader(leader: boolean): void {
    if (leader === this.leader) return;
    this.leader = leader;
    for (const l of this.listeners) {
      try {
        l(leader);
      } catch (err) {
        this.options.onError?.(err instanceof Error ? err : new Error(String(err)));
      }
    }
  }

  /** Held until `sentAt + ttl - margin`; schedule the local loss of leadership at that time. */
  private held(sentAt: number): void {
    this.validUntil = sentAt + this.ttlMs - this.marginMs;
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = setTimeout(
      () => {
        if (Date.now() >= this.validUntil) this.setLeader(false);
      },
      Math.max(0, this.validUntil - Date.now()) + 1,
    );
    this.expiry.unref();
    this.setLeader(true);
  }

  private lost(): void {
    this.validUntil = 0;
    if (this.expiry) clearTimeout(this.expiry);
    this.setLeader(false);
  }

  async acquire(): Promise<boolean> {
    const sentAt = Date.now();
    const ok = await redisCall(this.redis, 'lease acquire', () => this.redis.set(this.key, this.token, 'PX', this.ttlMs, 'NX'));
    if (ok === 'OK') {
      this.held(sentAt);
      return true;
    }
    // Our own lease (e.g. a renew reply was lost): renew it instead.
    if ((await this.redis.get(this.key)) === this.token) return this.renew();
    return false;
  }

  async renew(): Promise<boolean> {
    const sentAt = Date.now();
    const ok = (await redisCall(this.redis, 'lease renew', () => runScript(this.redis, 'leaseRenew', this.key, this.token, this.ttlMs))) === 1;
    if (ok) this.held(sentAt);
    else this.lost();
    return ok;
  }

  async release(): Promise<void> {
    this.lost();
    await redisCall(this.redis, 'lease release', () => runScript(this.redis, 'leaseRelease', this.key, this.token));
  }

  isLeader(): boolean {
    if (this.leader && Date.now() >= this.validUntil) this.setLeader(false);
    return this.leader;
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      if (this.isLeader()) await this.renew();
      else await this.acquire();
    } catch (err) {
      // Redis unreachable: leadership lapses by itself at validUntil.
      this.options.onError?.(err instanceof Error ? err : new Error(String(err)));
    } finally {
      this.ticking = false;
    }
  }

  async start(): Promise<void> {
    if (this.campaign) return;
    this.campaign = setInterval(() => void this.tick(), this.renewEveryMs);
    await this.tick();
  }

  async stop(): Promise<void> {
    if (this.campaign) clearInterval(this.campaign);
    this.campaign = undefined;
    try {
      if (this.leader) await this.release();
    } finally {
      this.lost();
      if (this.owns) await closeRedis(this.redis);
    }
  }

  onChange(listener: (leader: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
