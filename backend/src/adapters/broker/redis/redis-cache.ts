/**
 * DFF.CACHE on Redis: the command set of the embedded cache (same names, argument order and
 * answers), on keys under `<prefix>cache:`. Values are stored as strings (non-strings as JSON).
 * Scoping is done by the caller (keys arrive already scoped); `keys` answers without the prefix.
 */
import type { Redis } from 'ioredis';
import type { FuncCache } from '../../../domain/ports/broker.js';
import { closeRedis, createRedisConnection, redisCall, type RedisConnectionOptions } from './redis-connection.js';

export interface RedisCacheOptions extends RedisConnectionOptions {
  /** Prefix of the broker's keys (default `func:`); cache keys live under `<prefix>cache:`. */
  prefix?: string;
  connection?: Redis;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
const num = (v: unknown, name: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number`);
  return n;
};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : [v]);
/** Escape Redis glob specials other than * and ? (the embedded cache knows only those two). */
const escapeGlob = (s: string, keepWildcards: boolean): string => s.replace(keepWildcards ? /[[\]\\]/g : /[*?[\]\\]/g, '\\$&');
/** [member, score, member, score…] as [[member, score]…]. */
const pairsOf = (flat: string[]): [string, number][] => {
  const out: [string, number][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, Number(flat[i + 1])]);
  return out;
};
/** A score bound as Redis reads it (`-inf`, `+inf`, `(1.5`, `2`), checked. */
const bound = (v: unknown, dflt: string): string => {
  if (v == null) return dflt;
  const t = (typeof v === 'number' ? String(v) : str(v)).trim();
  const body = t.startsWith('(') ? t.slice(1) : t;
  if (!/^[-+]?inf$/.test(body) && Number.isNaN(Number(body))) throw new Error(`score bound ${t} is not a number`);
  return t;
};
const ms = (seconds: unknown): number => Math.max(1, Math.round(num(seconds, 'expires') * 1000));

export class RedisFuncCache implements FuncCache {
  private readonly redis: Redis;
  private readonly owns: boolean;
  readonly prefix: string;

  constructor(options: RedisCacheOptions = {}) {
    this.owns = options.connection === undefined;
    this.redis = options.connection ?? createRedisConnection(options);
    this.prefix = `${options.prefix ?? 'func:'}cache:`;
  }

  async command(name: string, args: readonly unknown[]): Promise<unknown> {
    const op = name.toLowerCase();
    return redisCall(this.redis, `CACHE.${op}`, () => this.run(op, [...args]));
  }

  private k(key: unknown): string {
    return this.prefix + str(key);
  }

  private async run(name: string, a: unknown[]): Promise<unknown> {
    const r = this.redis;
    const key = this.k(a[0]);
    /** A command over the members listed in a[1]; with none, 0 (Redis refuses an empty list). */
    const ofMembers = (op: (...members: string[]) => Promise<number>): number | Promise<number> => {
      const members = list(a[1]).map(str);
      return members.length === 0 ? 0 : op(...members);
    };
    switch (name) {
      case 'get':
        return r.get(key);
      case 'set': {
        const [, value, expires, notExists, exists] = a;
        const v = str(value);
        const nx = notExists === true;
        if (exists === true) return (expires == null ? await r.set(key, v, 'XX') : await r.set(key, v, 'PX', ms(expires), 'XX')) === 'OK';
        const res =
          expires == null ? (nx ? await r.set(key, v, 'NX') : await r.set(key, v)) : nx ? await r.set(key, v, 'PX', ms(expires), 'NX') : await r.set(key, v, 'PX', ms(expires));
        return res === 'OK';
      }
      case 'getset':
        return r.getset(key, str(a[1]));
      case 'delete':
      case 'del': {
        const keys = list(a[0]).map((x) => this.k(x));
        return keys.length === 0 ? 0 : r.del(...keys);
      }
      case 'exists':
        return r.exists(key);
      case 'incr':
      case 'incrby':
        return this.incr(key, a[1] == null ? 1 : num(a[1], 'step'));
      case 'expire':
        return (await r.pexpire(key, ms(a[1]))) === 1;
      case 'ttl': {
        const pttl = await r.pttl(key);
        return pttl < 0 ? pttl : Math.ceil(pttl / 1000);
      }
      case 'pttl':
        return r.pttl(key);
      case 'expireat':
        return (await r.pexpireat(key, Math.round(num(a[1], 'timestamp') * 1000))) === 1;
      case 'type':
        return r.type(key);
      case 'memoryusage':
        return r.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
      case 'mget': {
        const keys = list(a[0]).map((x) => this.k(x));
        return keys.length === 0 ? [] : r.mget(...keys);
      }
      case 'hincrby': {
        const step = a[2] == null ? 1 : num(a[2], 'step');
        return Number.isInteger(step) ? r.hincrby(key, str(a[1]), step) : Number(await r.hincrbyfloat(key, str(a[1]), step));
      }
      case 'ltrim':
        return (await r.ltrim(key, num(a[1], 'start'), num(a[2], 'stop'))) === 'OK';
      case 'rpoplpush':
        return r.rpoplpush(key, this.k(a[1]));
      case 'sadd':
        return ofMembers((...m) => r.sadd(key, ...m));
      case 'srem':
        return ofMembers((...m) => r.srem(key, ...m));
      case 'scard':
        return r.scard(key);
      case 'smembers':
        return (await r.smembers(key)).sort();
      case 'sismember':
        return r.sismember(key, str(a[1]));
      case 'zadd': {
        const pairs = Object.entries(a[1] as Record<string, unknown>).flatMap(([m, sc]) => [num(sc, 'score'), m]);
        return pairs.length === 0 ? 0 : r.zadd(key, ...pairs);
      }
      case 'zrem':
        return ofMembers((...m) => r.zrem(key, ...m));
      case 'zcard':
        return r.zcard(key);
      case 'zrange':
        return pairsOf(await r.zrange(key, a[1] == null ? 0 : num(a[1], 'start'), a[2] == null ? -1 : num(a[2], 'stop'), 'WITHSCORES'));
      case 'zrangebyscore':
        return pairsOf(await r.zrangebyscore(key, bound(a[1], '-inf'), bound(a[2], '+inf'), 'WITHSCORES'));
      case 'publish':
        return r.publish(key, str(a[1]));
      case 'keys':
        return this.keys(a[0] == null ? '*' : str(a[0]));
      case 'hget':
        return r.hget(key, str(a[1]));
      case 'hset':
        // HSET answers the number of fields added (1 new, 0 changed), as redis-py's; HSETNX whether it set it.
        return a[3] === true ? (await r.hsetnx(key, str(a[1]), str(a[2]))) === 1 : r.hset(key, str(a[1]), str(a[2]));
      case 'hmset': {
        const pairs = Object.entries(a[1] as Record<string, unknown>).flatMap(([f, v]) => [f, str(v)]);
        return pairs.length === 0 ? true : (await r.hset(key, ...pairs)) >= 0;
      }
      case 'hmget': {
        const fields = (a[1] as unknown[]).map(str);
        return fields.length === 0 ? [] : r.hmget(key, ...fields);
      }
      case 'hgetall':
        return r.hgetall(key);
      case 'hdel': {
        const fields = list(a[1]).map(str);
        return fields.length === 0 ? 0 : r.hdel(key, ...fields);
      }
      // [key, value, value…]: each pushed in turn (LPUSH's order), as one command.
      case 'lpush':
        return r.lpush(key, ...a.slice(1).map(str));
      case 'rpush':
        return r.rpush(key, ...a.slice(1).map(str));
      case 'lpop':
        return r.lpop(key);
      case 'rpop':
        return r.rpop(key);
      case 'llen':
        return r.llen(key);
      case 'lrange':
        return r.lrange(key, a[1] == null ? 0 : num(a[1], 'start'), a[2] == null ? -1 : num(a[2], 'stop'));
      default:
        throw new Error(`CACHE.${name} is not a supported command`);
    }
  }

  /** INCRBY for integers (keeps the TTL like Redis does); INCRBYFLOAT when either side is fractional. */
  private async incr(key: string, step: number): Promise<number> {
    if (Number.isInteger(step)) {
      try {
        return await this.redis.incrby(key, step);
      } catch (err) {
        if (!(err instanceof Error) || !/not an integer/.test(err.message)) throw err;
      }
    }
    return Number(await this.redis.incrbyfloat(key, step));
  }

  /** SCAN, never KEYS: the keyspace is shared with the broker. */
  private async keys(pattern: string): Promise<string[]> {
    const match = escapeGlob(this.prefix, false) + escapeGlob(pattern, true);
    const out = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
      for (const k of batch) out.add(k.slice(this.prefix.length));
      cursor = next;
    } while (cursor !== '0');
    return [...out];
  }

  async close(): Promise<void> {
    if (this.owns) await closeRedis(this.redis);
  }
}
