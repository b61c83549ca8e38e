/**
 * Where DFF.CACHE keeps a script's keys in the func cache: `func:cache:<scope>:<key>`. The runner
 * host writes them, the func-caches routes browse them.
 */
export const FUNC_CACHE_PREFIX = 'func:cache:';

export function funcCacheKey(scope: string, key: string): string {
  return `${FUNC_CACHE_PREFIX}${scope}:${key}`;
}

/** Scope and key of a full cache key (the scope ends at the first `:`); null for another key. */
export function parseFuncCacheKey(full: string): { scope: string; key: string } | null {
  if (!full.startsWith(FUNC_CACHE_PREFIX)) return null;
  const rest = full.slice(FUNC_CACHE_PREFIX.length);
  const i = rest.indexOf(':');
  if (i <= 0) return null;
  return { scope: rest.slice(0, i), key: rest.slice(i + 1) };
}
