/**
 * DFF.CACHE in memory (embedded mode): a small Redis-like command set on plain keys. Scoping
 * is done by the caller (keys arrive already prefixed). Expired keys vanish on access.
 */
import type { FuncCache } from '../../../domain/ports/broker.js';

type Value = string | Map<string, string> | string[];
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
const globToRegExp = (glob: string): RegExp =>
  new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

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
    const key = str(a[0]);
    switch (name) {
      case 'get':
        return this.getString(key);
      case 'set': {
        const [, value, expires, notExists] = a;
        if (notExists === true && this.entry(key)) return false;
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
      case 'ttl': {
        const e = this.entry(key);
        if (!e) return -2;
        return e.expireAt === null ? -1 : Math.ceil((e.expireAt - this.now()) / 1000);
      }
      case 'keys': {
        const re = globToRegExp(a[0] == null ? '*' : key);
        return [...this.data.keys()].filter((k) => re.test(k) && this.entry(k) !== undefined);
      }
      case 'hget':
        return this.entry(key) ? (this.hash(key).get(str(a[1])) ?? null) : null;
      case 'hset': {
        const h = this.hash(key);
        if (a[3] === true && h.has(str(a[1]))) return false;
        h.set(str(a[1]), str(a[2]));
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
      case 'lpush': {
        const l = this.list(key);
        l.unshift(str(a[1]));
        return l.length;
      }
      case 'rpush': {
        const l = this.list(key);
        l.push(str(a[1]));
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
      default:
        throw new Error(`CACHE.${name} is not a supported command`);
    }
  }

  close(): Promise<void> {
    this.data.clear();
    return Promise.resolve();
  }
}
