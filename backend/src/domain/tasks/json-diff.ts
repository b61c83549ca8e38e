/** A structural diff of two JSON values: each path where they differ, with both sides. */

export interface JsonChange {
  /** JSON-pointer-like path: `$`, `$.a`, `$.list[2]`. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  /** The first run's value (absent when added). */
  a?: unknown;
  /** The second run's value (absent when removed). */
  b?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const key = (path: string, k: string): string => (/^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`);

/** At most `limit` changes, in document order (objects by the first value's keys, then the second's). */
export function jsonDiff(a: unknown, b: unknown, limit = 1000): JsonChange[] {
  const out: JsonChange[] = [];
  const walk = (x: unknown, y: unknown, path: string): void => {
    if (out.length >= limit) return;
    if (isObject(x) && isObject(y)) {
      for (const k of Object.keys(x)) {
        if (!(k in y)) out.push({ path: key(path, k), kind: 'removed', a: x[k] });
        else walk(x[k], y[k], key(path, k));
      }
      for (const k of Object.keys(y)) if (!(k in x)) out.push({ path: key(path, k), kind: 'added', b: y[k] });
      return;
    }
    if (Array.isArray(x) && Array.isArray(y)) {
      const n = Math.max(x.length, y.length);
      for (let i = 0; i < n; i++) {
        if (i >= y.length) out.push({ path: `${path}[${i}]`, kind: 'removed', a: x[i] });
        else if (i >= x.length) out.push({ path: `${path}[${i}]`, kind: 'added', b: y[i] });
        else walk(x[i], y[i], `${path}[${i}]`);
      }
      return;
    }
    if (!Object.is(x, y)) out.push({ path, kind: 'changed', a: x, b: y });
  };
  walk(a, b, '$');
  return out.slice(0, limit);
}
