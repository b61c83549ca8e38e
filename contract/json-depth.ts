/**
 * A bound on how deeply JSON received from callers may nest. Deep nesting costs nothing to send
 * and breaks recursive code downstream (encoders, signature checks, the Python decoder), so every
 * JSON text a caller gives is measured before it is parsed: request bodies at the HTTP edge, and
 * the JSON text some fields carry (`kwargs`/`options` as text).
 */

/** Deepest nesting of arrays and objects accepted from callers (`[[1]]` is 2 levels). */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether `text` nests arrays/objects deeper than `max`: one pass over the raw text (no
 * recursion, so it cannot overflow), counting `[` and `{` outside strings. Malformed text is not
 * judged here: the parser refuses it afterwards.
 */
export function jsonNestsDeeperThan(text: string, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

export const tooDeepMessage = (max: number = MAX_JSON_DEPTH): string => `nested deeper than ${max} levels`;

/** JSON text that may hold a number no double holds: an exponent of 3+ digits, or 309+ digits in a row. */
const MAYBE_HUGE_NUMBER = /[eE]\+?\d{3}|\d{309}/;

/**
 * Where `value`, parsed from `text`, holds a number too large for a double (`1e400` parses as
 * Infinity, then goes on as null), as `root.a.0`; null when nowhere. The value is walked only when
 * the text may hold one.
 */
export function hugeNumberPath(text: string, value: unknown, root: string): string | null {
  if (!MAYBE_HUGE_NUMBER.test(text)) return null;
  const todo: [unknown, string][] = [[value, root]];
  for (let next = todo.pop(); next !== undefined; next = todo.pop()) {
    const [v, path] = next;
    if (typeof v === 'number' && !Number.isFinite(v)) return path;
    if (v !== null && typeof v === 'object') for (const [k, child] of Object.entries(v)) todo.push([child, `${path}.${k}`]);
  }
  return null;
}

export const hugeNumberMessage = 'a number too large for JSON (over 1.8e308); send it as text';
