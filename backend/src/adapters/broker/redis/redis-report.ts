/**
 * The reports' view of Redis: INFO, and Func's keys under its prefix with their type, element
 * count and memory (SCAN, then TYPE / LLEN|HLEN|SCARD|ZCARD / MEMORY USAGE in pipelines of 100).
 * A connection is opened per report and closed after it: reports are rare.
 */
import type { RedisKeyFacts, RedisReporter } from '../../../domain/ports/redis-report.js';
import { closeRedis, createRedisConnection, DEFAULT_REDIS_URL } from './redis-connection.js';

const LENGTH_COMMANDS: Record<string, string> = { list: 'llen', hash: 'hlen', set: 'scard', zset: 'zcard' };
const BATCH = 100;

/** TYPE's answer for the `j`th key of a pipeline (`none`: gone, or the command failed). */
const typeAt = (answers: [Error | null, unknown][], j: number): string => {
  const v = answers[j]?.[1];
  return typeof v === 'string' ? v : 'none';
};

/** `prefix` as a SCAN pattern: glob specials escaped, then `*`. */
const scanPattern = (prefix: string): string => `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;

export class RedisReport implements RedisReporter {
  constructor(
    private readonly url: string,
    readonly prefix: string,
  ) {}

  config(): Record<string, string | number> {
    const u = new URL(this.url || DEFAULT_REDIS_URL);
    const db = Number(u.pathname.replace(/^\//, '') || '0');
    return { host: u.hostname, port: Number(u.port || 6379), db, prefix: this.prefix, ...(u.username ? { username: decodeURIComponent(u.username) } : {}) };
  }

  async info(): Promise<Record<string, string>> {
    const redis = createRedisConnection({ url: this.url });
    try {
      const out: Record<string, string> = {};
      for (const raw of (await redis.info()).split('\n')) {
        const line = raw.trim();
        if (!line || line.startsWith('#')) continue;
        const at = line.indexOf(':');
        out[at < 0 ? line : line.slice(0, at)] = at < 0 ? '' : line.slice(at + 1);
      }
      return out;
    } finally {
      await closeRedis(redis);
    }
  }

  async keys(limit: number): Promise<{ keys: RedisKeyFacts[]; truncated: boolean }> {
    const redis = createRedisConnection({ url: this.url });
    try {
      const names: string[] = [];
      let truncated = false;
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', scanPattern(this.prefix), 'COUNT', 1000);
        cursor = next;
        for (const k of batch) {
          if (names.length >= limit) truncated = true;
          else names.push(k);
        }
      } while (cursor !== '0' && !truncated);
      const facts: RedisKeyFacts[] = [];
      for (let i = 0; i < names.length; i += BATCH) {
        const batch = names.slice(i, i + BATCH);
        const types = (await redis.pipeline(batch.map((k) => ['type', k])).exec()) ?? [];
        const follow = redis.pipeline();
        batch.forEach((k, j) => {
          const type = typeAt(types, j);
          const length = LENGTH_COMMANDS[type];
          if (length) follow.call(length, k);
          follow.call('memory', 'usage', k, 'samples', '0');
        });
        const answers = (await follow.exec()) ?? [];
        let a = 0;
        batch.forEach((key, j) => {
          const type = typeAt(types, j);
          const elementCount = LENGTH_COMMANDS[type] ? Number(answers[a++]?.[1] ?? 0) : undefined;
          const memoryUsage = Number(answers[a++]?.[1] ?? 0) || 0;
          if (type === 'none') return; // expired between SCAN and TYPE
          facts.push({ key, type, memoryUsage, ...(elementCount === undefined ? {} : { elementCount }) });
        });
      }
      return { keys: facts, truncated };
    } finally {
      await closeRedis(redis);
    }
  }
}
