/**
 * Presence on Redis: one hash (`<prefix>presence`), a field per service instance
 * (kind|name|host|pid) holding `{ service, expiresAt }`. `list` drops expired fields as it reads
 * them, so dead services vanish after their TTL (a single key keeps `list` to one HGETALL).
 */
import type { Redis } from 'ioredis';
import { presenceId, sortServices, type Presence } from '../../../domain/ports/presence.js';
import type { ServiceStatus } from '../../../domain/topology/topology-status.js';
import { closeRedis, createRedisConnection, redisCall, type RedisConnectionOptions } from './redis-connection.js';

export interface RedisPresenceOptions extends RedisConnectionOptions {
  prefix?: string;
  /** Share this connection (not closed by `close`). */
  connection?: Redis;
  now?: () => number;
}

export class RedisPresence implements Presence {
  private readonly redis: Redis;
  private readonly owns: boolean;
  private readonly key: string;
  private readonly now: () => number;

  constructor(options: RedisPresenceOptions = {}) {
    this.owns = options.connection === undefined;
    this.redis = options.connection ?? createRedisConnection(options);
    this.key = `${options.prefix ?? 'func:'}presence`;
    this.now = options.now ?? Date.now;
  }

  async beat(service: ServiceStatus, ttlMs: number): Promise<void> {
    const value = JSON.stringify({ service, expiresAt: this.now() + ttlMs });
    await redisCall(this.redis, 'presence beat', () => this.redis.hset(this.key, presenceId(service), value));
  }

  async leave(service: ServiceStatus): Promise<void> {
    await redisCall(this.redis, 'presence leave', () => this.redis.hdel(this.key, presenceId(service)));
  }

  async list(): Promise<ServiceStatus[]> {
    const all = await redisCall(this.redis, 'presence list', () => this.redis.hgetall(this.key));
    const now = this.now();
    const alive: ServiceStatus[] = [];
    const expired: string[] = [];
    for (const [id, raw] of Object.entries(all)) {
      const entry = JSON.parse(raw) as { service: ServiceStatus; expiresAt: number };
      if (entry.expiresAt <= now) expired.push(id);
      else alive.push(entry.service);
    }
    // Only fields still holding what we read are removed: a service that beat meanwhile stays (HDEL is per field, so re-check).
    if (expired.length > 0) await this.dropExpired(expired, now);
    return sortServices(alive);
  }

  private async dropExpired(ids: string[], now: number): Promise<void> {
    const current = await this.redis.hmget(this.key, ...ids);
    const gone = ids.filter((_, i) => {
      const raw = current[i];
      return raw == null || (JSON.parse(raw) as { expiresAt: number }).expiresAt <= now;
    });
    if (gone.length > 0) await this.redis.hdel(this.key, ...gone);
  }

  async close(): Promise<void> {
    if (this.owns) await closeRedis(this.redis);
  }
}
