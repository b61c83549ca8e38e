/**
 * DFF.CACHE in memory (embedded mode): a small Redis-like command set on plain keys. Scoping
 * is done by the caller (keys arrive already prefixed). Expired keys vanish on access.
 */
import { globMatcher } from '../../../domain/glob.js';
import type { FuncCache } from '../../../domain/ports/broker.js';

/** A string, a hash, a list, a set or a sorted set (member → score). */
type Value = string | Map<string, string> | string[] | Set<string> | ZSet;
class ZSet extends Map<string, number> {}
interface Entry {
  value: Value;
  expireAt: number | null;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
const num = (v: unknown, name: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number`);
  return n;
};

/** A Redis score bound: `-inf`, `+inf`, `(1.5` (exclusive) or a number. */
export function scoreBound(v: unknown, dflt: number): { v: number; open: boolean } {
  if (v == null) return { v: dflt, open: false };
  const t = (typeof v === 'number' ? String(v) : str(v)).trim();
  const open = t.startsWith('(');
  const body = open ? t.slice(1) : t;
  const n = body === '-inf' ? -Infinity : body === '+inf' || body === 'inf' ? Infinity : Number(body);
  if (Number.isNaN(n)) throw new Error(`score bound ${t} is not a number`);
  return { v: n, open };
}

export class EmbeddedCache implements FuncCache {
  private readonly data = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  private entry(key: string): Entry | undefined {
    const e = this.data.get(key);
    if (e && e.expireAt !== null && e.expireAt <= this.now()) {
      this.data.delete(key);
      return undefined;
    }
    return e;
  }

  private typed<T extends Value>(key: string, check: (v: Value) => v is T, make: () => T): T {
    const e = this.entry(key);
    if (!e) {
      const value = make();
      this.data.set(key, { value, expireAt: null });
      return value;
    }
    if (!check(e.value)) throw new Error(`WRONGTYPE key ${key} holds another kind of value`);
    return e.value;
  }

  private hash(key: string): Map<string, string> {
    return this.typed(
      key,
      (v): v is Map<string, string> => v instanceof Map,
      () => new Map<string, string>(),
    );
  }

  private list(key: string): string[] {
    return this.typed(
      key,
      (v): v is string[] => Array.isArray(v),
      () => [],
    );
  }

  private set_(key: string): Set<string> {
    return this.typed(
      key,
      (v): v is Set<string> => v instanceof Set,
      () => new Set<string>(),
    );
  }

  private zset(key: string): ZSet {
    return this.typed(
      key,
      (v): v is ZSet => v instanceof ZSet,
      () => new ZSet(),
    );
  }

  /** Sorted members of a sorted set: by score, then member. */
  private zsorted(key: string): [string, number][] {
    if (!this.entry(key)) return [];
    return [...this.zset(key).entries()].sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  }

  /** As Redis: a list, hash, set or sorted set left empty is no key any more. */
  private dropIfEmpty<T>(key: string, answer: T): T {
    const e = this.data.get(key);
    if (e && typeof e.value !== 'string' && (Array.isArray(e.value) ? e.value.length : e.value.size) === 0) this.data.delete(key);
    return answer;
  }

  private getString(key: string): string | null {
    const e = this.entry(key);
    if (!e) return null;
    if (typeof e.value !== 'string') throw new Error(`WRONGTYPE key ${key} holds another kind of value`);
    return e.value;
  }

  command(name: string, args: readonly unknown[]): Promise<unknown> {
    try {
      return Promise.resolve(
        this.run(
          name.toLowerCase(),
          args.map((a) => a),
        ),
      );
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private run(name: string, a: unknown[]): unknown {
    const out = this.exec(name, a);
    return ['lpop', 'rpop', 'hdel', 'srem', 'zrem', 'ltrim', 'rpoplpush'].includes(name) ? this.dropIfEmpty(str(a[0]), out) : out;
  }

  private exec(name: string, a: unknown[]): unknown {
    const key = str(a[0]);
    switch (name) {
      case 'get':
        return this.getString(key);
      case 'set': {
        const [, value, expires, notExists, exists] = a;
        if (notExists === true && this.entry(key)) return false;
        if (exists === true && !this.entry(key)) return false;
        this.data.set(key, { value: str(value), expireAt: expires == null ? null : this.now() + num(expires, 'expires') * 1000 });
        return true;
      }
      case 'getset': {
        const old = this.getString(key);
        this.data.set(key, { value: str(a[1]), expireAt: null });
        return old;
      }
      case 'delete':
      case 'del': {
        const keys = Array.isArray(a[0]) ? (a[0] as unknown[]).map(str) : [key];
        return keys.filter((k) => this.entry(k) !== undefined && this.data.delete(k)).length;
      }
      case 'exists':
        return this.entry(key) ? 1 : 0;
      case 'incr':
      case 'incrby': {
        const next = Number(this.getString(key) ?? '0') + (a[1] == null ? 1 : num(a[1], 'step'));
        if (!Number.isFinite(next)) throw new Error(`value of ${key} is not a number`);
        const e = this.entry(key);
        this.data.set(key, { value: String(next), expireAt: e?.expireAt ?? null });
        return next;
      }
      case 'expire': {
        const e = this.entry(key);
        if (!e) return false;
        e.expireAt = this.now() + num(a[1], 'expires') * 1000;
        return true;
      }
      case 'ttl':
      case 'pttl': {
        const e = this.entry(key);
        if (!e) return -2;
        if (e.expireAt === null) return -1;
        return name === 'pttl' ? e.expireAt - this.now() : Math.ceil((e.expireAt - this.now()) / 1000);
      }
      case 'expireat': {
        const e = this.entry(key);
        if (!e) return false;
        e.expireAt = num(a[1], 'timestamp') * 1000;
        this.entry(key);
        return true;
      }
      case 'type': {
        const e = this.entry(key);
        if (!e) return 'none';
        const v = e.value;
        return typeof v === 'string' ? 'string' : Array.isArray(v) ? 'list' : v instanceof ZSet ? 'zset' : v instanceof Set ? 'set' : 'hash';
      }
      case 'memoryusage': {
        const e = this.entry(key);
        if (!e) return null;
        const v = e.value;
        const parts: string[] = typeof v === 'string' ? [v] : Array.isArray(v) ? v : v instanceof Set ? [...v] : [...v].map(([f, x]) => `${f}${String(x)}`);
        return key.length + parts.reduce((n, p) => n + Buffer.byteLength(p) + 8, 16);
      }
      case 'mget':
        return (Array.isArray(a[0]) ? (a[0] as unknown[]) : [a[0]]).map((k) => {
          const e = this.entry(str(k));
          return e && typeof e.value === 'string' ? e.value : null;
        });
      case 'keys': {
        const matches = globMatcher(a[0] == null ? '*' : key, { single: true });
        return [...this.data.keys()].filter((k) => matches(k) && this.entry(k) !== undefined);
      }
      case 'hget':
        return this.entry(key) ? (this.hash(key).get(str(a[1])) ?? null) : null;
      case 'hset': {
        const h = this.hash(key);
        const had = h.has(str(a[1]));
        if (a[3] === true) {
          if (had) return false;
          h.set(str(a[1]), str(a[2]));
          return true;
        }
        // HSET's answer: the number of fields added (1 new, 0 changed); HSETNX's: whether it set it.
        h.set(str(a[1]), str(a[2]));
        return had ? 0 : 1;
      }
      case 'hincrby': {
        const h = this.hash(key);
        const next = Number(h.get(str(a[1])) ?? '0') + (a[2] == null ? 1 : num(a[2], 'step'));
        if (!Number.isFinite(next)) throw new Error(`field ${str(a[1])} of ${key} is not a number`);
        h.set(str(a[1]), String(next));
        return next;
      }
      case 'hmset': {
        const h = this.hash(key);
        for (const [f, v] of Object.entries(a[1] as Record<string, unknown>)) h.set(f, str(v));
        return true;
      }
      case 'hmget':
        return this.entry(key) ? (a[1] as unknown[]).map((f) => this.hash(key).get(str(f)) ?? null) : (a[1] as unknown[]).map(() => null);
      case 'hgetall':
        return this.entry(key) ? Object.fromEntries(this.hash(key)) : {};
      case 'hdel': {
        if (!this.entry(key)) return 0;
        const fields = Array.isArray(a[1]) ? (a[1] as unknown[]) : [a[1]];
        return fields.filter((f) => this.hash(key).delete(str(f))).length;
      }
      // [key, value, value…]: each pushed in turn, as Redis's LPUSH/RPUSH of several values.
      case 'lpush': {
        const l = this.list(key);
        l.unshift(...a.slice(1).map(str).reverse());
        return l.length;
      }
      case 'rpush': {
        const l = this.list(key);
        l.push(...a.slice(1).map(str));
        return l.length;
      }
      case 'lpop':
        return this.entry(key) ? (this.list(key).shift() ?? null) : null;
      case 'rpop':
        return this.entry(key) ? (this.list(key).pop() ?? null) : null;
      case 'llen':
        return this.entry(key) ? this.list(key).length : 0;
      case 'lrange': {
        if (!this.entry(key)) return [];
        const l = this.list(key);
        const start = a[1] == null ? 0 : num(a[1], 'start');
        const stop = a[2] == null ? -1 : num(a[2], 'stop');
        return l.slice(start < 0 ? l.length + start : start, stop < 0 ? l.length + stop + 1 : stop + 1);
      }
      case 'ltrim': {
        if (!this.entry(key)) return true;
        const l = this.list(key);
        const start = num(a[1], 'start');
        const stop = num(a[2], 'stop');
        const kept = l.slice(start < 0 ? Math.max(0, l.length + start) : start, stop < 0 ? l.length + stop + 1 : stop + 1);
        l.splice(0, l.length, ...kept);
        return true;
      }
      case 'rpoplpush': {
        if (!this.entry(key)) return null;
        const v = this.list(key).pop();
        if (v === undefined) return null;
        this.list(str(a[1])).unshift(v);
        return v;
      }
      case 'sadd': {
        const set = this.set_(key);
        return (a[1] as unknown[]).map(str).filter((m) => !set.has(m) && set.add(m)).length;
      }
      case 'srem':
        return this.entry(key) ? (a[1] as unknown[]).map(str).filter((m) => this.set_(key).delete(m)).length : 0;
      case 'scard':
        return this.entry(key) ? this.set_(key).size : 0;
      case 'smembers':
        return this.entry(key) ? [...this.set_(key)].sort() : [];
      case 'sismember':
        return this.entry(key) && this.set_(key).has(str(a[1])) ? 1 : 0;
      case 'zadd': {
        const z = this.zset(key);
        let added = 0;
        for (const [m, sc] of Object.entries(a[1] as Record<string, unknown>)) {
          if (!z.has(m)) added += 1;
          z.set(m, num(sc, 'score'));
        }
        return added;
      }
      case 'zrem':
        return this.entry(key) ? (a[1] as unknown[]).map(str).filter((m) => this.zset(key).delete(m)).length : 0;
      case 'zcard':
        return this.entry(key) ? this.zset(key).size : 0;
      case 'zrange': {
        const z = this.zsorted(key);
        const start = a[1] == null ? 0 : num(a[1], 'start');
        const stop = a[2] == null ? -1 : num(a[2], 'stop');
        return z.slice(start < 0 ? Math.max(0, z.length + start) : start, stop < 0 ? z.length + stop + 1 : stop + 1);
      }
      case 'zrangebyscore': {
        const lo = scoreBound(a[1], -Infinity);
        const hi = scoreBound(a[2], Infinity);
        return this.zsorted(key).filter(([, sc]) => (lo.open ? sc > lo.v : sc >= lo.v) && (hi.open ? sc < hi.v : sc <= hi.v));
      }
      case 'publish':
        return 0; // no subscribers in one process
      default:
        throw new Error(`CACHE.${name} is not a supported command`);
    }
  }

  close(): Promise<void> {
    this.data.clear();
    return Promise.resolve();
  }
}
