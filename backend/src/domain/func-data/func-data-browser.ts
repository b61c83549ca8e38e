/**
 * What DFF.CACHE and DFF.STORE hold, as the func-caches / func-stores routes show it (DataFlux
 * Func's "DFF.CACHE / STORE" management): list, read one, delete one. Through the ports only:
 * the func cache (embedded or Redis) and the store (SQLite or MySQL).
 */
import { ApiError } from '../../../../contract/errors.js';
import type { FuncCache } from '../ports/broker.js';
import type { FuncStoreEntry, FuncStoreFilter, FuncStoreOps } from '../ports/store.js';
import { FUNC_CACHE_PREFIX, funcCacheKey, parseFuncCacheKey } from './func-cache-keys.js';

/** At most this many cache keys a list answers (DataFlux's bound too). */
export const FUNC_CACHE_LIST_LIMIT = 50;

export interface FuncCacheInfo {
  fullKey: string;
  scope: string;
  key: string;
  /** string, list, hash, set, zset. */
  type: string;
  /** Seconds left; -1 without expiry. */
  ttl: number;
  /** Bytes the cache reports for the key (null when it cannot tell). */
  memoryUsage: number | null;
}

/** A glob matching `text` anywhere, its own * ? [ ] \ taken literally where the cache allows. */
const anywhere = (text: string | undefined): string => (text ? `*${text.replace(/[*?[\]\\]/g, '?')}*` : '*');

export async function listFuncCaches(cache: FuncCache, filter: FuncStoreFilter, limit = FUNC_CACHE_LIST_LIMIT): Promise<FuncCacheInfo[]> {
  const patterns = filter.search
    ? [`${FUNC_CACHE_PREFIX}${anywhere(filter.search)}:*`, `${FUNC_CACHE_PREFIX}*:${anywhere(filter.search)}`]
    : [`${FUNC_CACHE_PREFIX}${anywhere(filter.scope)}:${anywhere(filter.key)}`];
  const found = new Set<string>();
  for (const p of patterns) for (const k of (await cache.command('keys', [p])) as string[]) found.add(k);
  const has = (s: string, sub: string | undefined): boolean => !sub || s.includes(sub);
  const parsed = [...found]
    .sort()
    .map((full) => ({ full, p: parseFuncCacheKey(full) }))
    .filter(({ p }) => p !== null && (filter.search ? has(p.scope, filter.search) || has(p.key, filter.search) : has(p.scope, filter.scope) && has(p.key, filter.key)))
    .slice(0, limit);
  const out: FuncCacheInfo[] = [];
  for (const { full, p } of parsed) {
    const [type, ttl, memoryUsage] = await Promise.all([cache.command('type', [full]), cache.command('ttl', [full]), cache.command('memoryusage', [full]).catch(() => null)]);
    if (type === 'none') continue; // expired meanwhile
    out.push({ fullKey: full, scope: p!.scope, key: p!.key, type: String(type), ttl: Number(ttl), memoryUsage: memoryUsage === null ? null : Number(memoryUsage) });
  }
  return out;
}

const maybeJSON = (v: unknown, preferJSON: boolean): unknown => {
  if (!preferJSON || typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
};

/** The value of one cache key as its type reads it; `preferJSON`: strings that are JSON parsed. */
export async function getFuncCache(cache: FuncCache, scope: string, key: string, preferJSON: boolean): Promise<unknown> {
  const full = funcCacheKey(scope, key);
  const type = await cache.command('type', [full]);
  const j = (v: unknown): unknown => maybeJSON(v, preferJSON);
  switch (type) {
    case 'string':
      return j(await cache.command('get', [full]));
    case 'list':
      return ((await cache.command('lrange', [full, 0, -1])) as unknown[]).map(j);
    case 'set':
      return ((await cache.command('smembers', [full])) as unknown[]).map(j);
    case 'hash':
      return Object.fromEntries(Object.entries((await cache.command('hgetall', [full])) as Record<string, unknown>).map(([f, v]) => [f, j(v)]));
    case 'zset':
      return ((await cache.command('zrange', [full, 0, -1])) as [string, number][]).map(([value, score]) => ({ score, value: j(value) }));
    case 'none':
      throw new ApiError('EClientNotFound', `No such func cache: scope ${scope}, key ${key}`, { field: 'key', scope, key });
    default:
      throw new ApiError('EBizCondition', `Reading a func cache of type ${String(type)} is not supported`, { scope, key });
  }
}

export async function deleteFuncCache(cache: FuncCache, scope: string, key: string): Promise<boolean> {
  return Number(await cache.command('delete', [funcCacheKey(scope, key)])) > 0;
}

// -- DFF.STORE --------------------------------------------------------------------------

/** An entry's id in the API: its scope and key, reversible (DataFlux's are hashes: `fnst-<md5>`). */
export function funcStoreId(scope: string, key: string): string {
  return `fnst-${Buffer.from(JSON.stringify([scope, key])).toString('base64url')}`;
}

export function parseFuncStoreId(id: string): { scope: string; key: string } | null {
  if (!id.startsWith('fnst-')) return null;
  try {
    const v = JSON.parse(Buffer.from(id.slice(5), 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return { scope: v[0], key: v[1] };
  } catch {
    // not one of ours
  }
  return null;
}

export type FuncStoreInfo = FuncStoreEntry & { id: string };

const withId = (e: FuncStoreEntry): FuncStoreInfo => ({ id: funcStoreId(e.scope, e.key), ...e });

export async function listFuncStores(
  store: FuncStoreOps,
  filter: FuncStoreFilter & { ids?: string[] | undefined },
  page: { limit: number; offset: number },
): Promise<FuncStoreInfo[]> {
  if (filter.ids) {
    const entries: FuncStoreInfo[] = [];
    for (const id of filter.ids) {
      const p = parseFuncStoreId(id);
      const e = p ? await store.entry(p.scope, p.key) : undefined;
      if (e) {
        const { value: _value, ...info } = e;
        entries.push(withId(info));
      }
    }
    return entries.slice(page.offset, page.offset + page.limit);
  }
  return (await store.browse(filter, page)).map(withId);
}

function requireId(id: string): { scope: string; key: string } {
  const p = parseFuncStoreId(id);
  if (!p) throw new ApiError('EClientNotFound', `No such func store: ${id}`, { field: 'id', id });
  return p;
}

export async function getFuncStore(store: FuncStoreOps, id: string): Promise<FuncStoreInfo & { valueJSON: unknown }> {
  const p = requireId(id);
  const e = await store.entry(p.scope, p.key);
  if (!e) throw new ApiError('EClientNotFound', `No such func store: ${id}`, { field: 'id', id });
  const { value, ...info } = e;
  return { ...withId(info), valueJSON: value };
}

export async function deleteFuncStore(store: FuncStoreOps, id: string): Promise<{ id: string }> {
  const p = requireId(id);
  if (!(await store.delete(p.scope, p.key))) throw new ApiError('EClientNotFound', `No such func store: ${id}`, { field: 'id', id });
  return { id };
}
