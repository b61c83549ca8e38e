/**
 * Wildcard patterns (tag filters, func store and cache key patterns): `*` matches any run of
 * characters, `?` one character where the caller asks for it (Redis KEYS), everything else itself,
 * case-sensitively. Matched without regular expressions: a pattern such as `*a*a*a…b` built into a
 * RegExp backtracks for seconds to minutes on a modest string (a read-only user's tag filter froze
 * the server); this walk is at worst length × pattern length.
 */
export interface GlobOptions {
  /** `?` matches one character (Redis); otherwise it is literal. */
  single?: boolean;
}

export function globMatch(pattern: string, text: string, options: GlobOptions = {}): boolean {
  const single = options.single === true;
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    const c = pattern[p];
    if (c === '*') {
      star = p++;
      mark = t;
    } else if (c !== undefined && (c === text[t] || (single && c === '?'))) {
      p++;
      t++;
    } else if (star >= 0) {
      // Let the last star take one more character and try the rest again.
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** A matcher for one pattern. */
export const globMatcher =
  (pattern: string, options: GlobOptions = {}): ((text: string) => boolean) =>
  (text) =>
    globMatch(pattern, text, options);
