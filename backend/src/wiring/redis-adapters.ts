/** Production adapters on one Redis: broker, func cache, presence (heartbeats). */
import { RedisBroker } from '../adapters/broker/redis/redis-broker.js';
import { RedisFuncCache } from '../adapters/broker/redis/redis-cache.js';
import { RedisLeaderLease } from '../adapters/broker/redis/redis-lease.js';
import { RedisPresence } from '../adapters/broker/redis/redis-presence.js';
import { RedisLiveLogs } from '../adapters/broker/redis/redis-live-logs.js';
import { RedisReport } from '../adapters/broker/redis/redis-report.js';
import type { RedisReporter } from '../domain/ports/redis-report.js';
import type { LiveLogs } from '../domain/ports/live-logs.js';
import type { Broker, FuncCache } from '../domain/ports/broker.js';
import type { LeaderLease } from '../domain/ports/lease.js';
import type { Presence } from '../domain/ports/presence.js';
import type { Core } from './core.js';
import { markDeadLetter } from './dead-letters.js';

export interface RedisAdapters {
  broker: Broker;
  cache: FuncCache;
  presence: Presence;
  liveLogs: LiveLogs;
  /** The reports' view of this Redis (a connection of its own per report). */
  report: RedisReporter;
  lease(name: string): LeaderLease;
  close(): Promise<void>;
}

export interface RedisAdapterOptions {
  /** Key prefix (tests use their own). */
  prefix?: string;
  visibilityTimeoutMs?: number;
  /** Servers: listen here for sync results sent straight by workers. */
  replyHost?: string | undefined;
  /** Servers: hand sync calls straight to worker units that offer themselves (with `replyHost`). */
  syncHandOff?: boolean;
}

export function openRedisAdapters(core: Core, url: string, options: RedisAdapterOptions = {}): RedisAdapters {
  const prefix = options.prefix ?? 'func:';
  const broker = new RedisBroker({
    url,
    prefix,
    now: core.now,
    onDeadLetter: markDeadLetter(core.store, core.now),
    ...(options.visibilityTimeoutMs === undefined ? {} : { visibilityTimeoutMs: options.visibilityTimeoutMs }),
    ...(options.replyHost === undefined ? {} : { replyHost: options.replyHost }),
    ...(options.syncHandOff === undefined ? {} : { syncHandOff: options.syncHandOff }),
  });
  const cache = new RedisFuncCache({ url, prefix });
  const presence = new RedisPresence({ url, prefix, now: core.now });
  const liveLogs = new RedisLiveLogs({ url, prefix });
  const leases: LeaderLease[] = [];
  return {
    broker,
    cache,
    presence,
    liveLogs,
    report: new RedisReport(url, prefix),
    lease: (name) => {
      const l = new RedisLeaderLease({ url, prefix, name });
      leases.push(l);
      return l;
    },
    close: async () => {
      await Promise.all(leases.map((l) => l.stop()));
      await Promise.all([broker.close(), cache.close(), presence.close(), liveLogs.close()]);
    },
  };
}
