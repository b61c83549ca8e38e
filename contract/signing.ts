/**
 * DataFlux Func's access-key signature, the parts both sides share: the body re-serialised as
 * Python writes it, a pure-TS MD5 and the string to sign. HMAC-SHA1 over that string is done by
 * the caller (node:crypto on the server, WebCrypto in the browser). No Node or DOM imports.
 */

/**
 * Keys sorted by UTF-16 unit, as DataFlux Func's server and JS SDK sort them. Python's `sort_keys`
 * sorts by code point: the same, except where a key's astral character (an emoji) meets one at
 * U+E000 or above (fullwidth forms, U+FFxx) — see `pythonJsonDumpsOfText`'s `byCodePoint`.
 */
const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Keys sorted by code point, as Python's `json.dumps(sort_keys=True)` sorts them. */
export function byCodePoint(a: string, b: string): number {
  // Equal code points take the same number of units in both: one index walks both strings.
  let i = 0;
  while (i < a.length && i < b.length) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

/** Python's json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(',', ':')). */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return JSON.stringify(value);
  }
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(',')}]`;
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).sort(byKey);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${pythonJsonDumps(obj[k])}`).join(',')}}`;
  }
  return 'null';
}

const NUMBER_OR_LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
// eslint-disable-next-line no-control-regex -- JSON strings may not hold raw control characters
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/**
 * `pythonJsonDumps` of JSON text, each number kept as the text writes it. A Python client signs
 * `1.0`, `1e+20` or `12345678901234567890` as Python writes them, which a parsed JavaScript value
 * gives back as `1`, `100000000000000000000` or a rounded integer; from the text they survive.
 * Strings are decoded and written again (`"\u00e9"` sent by `json.dumps`' default `ensure_ascii`
 * is signed as `é`), keys sorted, a repeated key's last value kept (as a parser keeps it).
 * Undefined when the text is not one JSON value or nests deeper than `maxDepth`.
 */
export function pythonJsonDumpsOfText(text: string, maxDepth = 64, order: (a: string, b: string) => number = byKey): string | undefined {
  let i = 0;
  const fail = (): never => {
    throw new SyntaxError('not JSON');
  };
  const space = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i += 1;
  };
  const token = (re: RegExp): string => {
    re.lastIndex = i;
    const m = re.exec(text) ?? fail();
    i = re.lastIndex;
    return m[0];
  };
  const expect = (ch: string): void => {
    space();
    if (text[i] !== ch) fail();
    i += 1;
  };
  /** The items of an object or array up to `close`, each read by `item`. */
  const items = (close: string, item: () => void): void => {
    space();
    if (text[i] === close) {
      i += 1;
      return;
    }
    for (;;) {
      item();
      space();
      const next = text[i++];
      if (next === close) return;
      if (next !== ',') fail();
    }
  };
  const value = (depth: number): string => {
    space();
    const c = text[i];
    if ((c === '{' || c === '[') && depth > maxDepth) fail();
    if (c === '{') {
      i += 1;
      const entries = new Map<string, string>();
      items('}', () => {
        space();
        const key = JSON.parse(token(STRING)) as string;
        expect(':');
        entries.set(key, value(depth + 1));
      });
      return `{${[...entries.keys()]
        .sort(order)
        .map((k) => `${JSON.stringify(k)}:${entries.get(k)!}`)
        .join(',')}}`;
    }
    if (c === '[') {
      i += 1;
      const out: string[] = [];
      items(']', () => out.push(value(depth + 1)));
      return `[${out.join(',')}]`;
    }
    if (c === '"') return JSON.stringify(JSON.parse(token(STRING)) as string);
    return token(NUMBER_OR_LITERAL);
  };
  try {
    const out = value(1);
    space();
    return i === text.length ? out : undefined;
  } catch {
    return undefined;
  }
}

/** The text whose MD5 is signed: `{}` without a body, else the body as Python re-serialises it. */
export function signedBodyText(body: unknown): string {
  return body === undefined || body === null || body === '' ? '{}' : pythonJsonDumps(body);
}

function utf8(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    let c = ch.codePointAt(0) ?? 0;
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate, as TextEncoder writes it
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

const S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const K = Array.from({ length: 64 }, (_v, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0);

/** MD5 of the UTF-8 bytes of `text`, as 32 lowercase hex digits (RFC 1321). */
export function md5Hex(text: string): string {
  const bytes = utf8(text);
  const bitLength = bytes.length * 8;
  bytes.push(0x80);
  while (bytes.length % 64 !== 56) bytes.push(0);
  for (let i = 0; i < 8; i++) bytes.push(i < 4 ? (bitLength >>> (8 * i)) & 255 : Math.floor(bitLength / 2 ** (8 * i)) & 255);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  const m = new Array<number>(16);
  for (let off = 0; off < bytes.length; off += 64) {
    for (let j = 0; j < 16; j++) {
      const p = off + j * 4;
      m[j] = (bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24)) >>> 0;
    }
    let [a, b, c, d] = h as [number, number, number, number];
    for (let i = 0; i < 64; i++) {
      const round = i >> 4;
      let f: number;
      let g: number;
      if (round === 0) [f, g] = [(b & c) | (~b & d), i];
      else if (round === 1) [f, g] = [(d & b) | (~d & c), (5 * i + 1) % 16];
      else if (round === 2) [f, g] = [b ^ c ^ d, (3 * i + 5) % 16];
      else [f, g] = [c ^ (b | ~d), (7 * i) % 16];
      const sum = (a + f + K[i]! + m[g]!) >>> 0;
      const s = S[round * 4 + (i % 4)]!;
      [a, d, c] = [d, c, b];
      b = (b + ((sum << s) | (sum >>> (32 - s)))) >>> 0;
    }
    h[0] = (h[0]! + a) >>> 0;
    h[1] = (h[1]! + b) >>> 0;
    h[2] = (h[2]! + c) >>> 0;
    h[3] = (h[3]! + d) >>> 0;
  }
  return h.map((word) => [0, 8, 16, 24].map((shift) => ((word >>> shift) & 255).toString(16).padStart(2, '0')).join('')).join('');
}

export interface StringToSignInput {
  method: string;
  /** Path including the query string, exactly as sent. */
  path: string;
  /** Unix seconds. */
  timestamp: string;
  nonce: string;
  /** The exact body text hashed (see `signedBodyText`); `{}` when there is none. */
  bodyText: string;
}

/** `METHOD&path?query&timestamp&nonce&md5hex(body)`. `md5` may be a faster one with the same result. */
export function accessKeyStringToSign(input: StringToSignInput, md5: (text: string) => string = md5Hex): string {
  return `${input.method.toUpperCase()}&${input.path}&${input.timestamp}&${input.nonce}&${md5(input.bodyText)}`;
}

/** The four query parameters carrying an access-key signature where headers cannot be sent (SSE). */
export const AK_QUERY_PARAMS = { id: 'xDffAkId', timestamp: 'xDffAkTimestamp', nonce: 'xDffAkNonce', sign: 'xDffAkSign' } as const;

const AK_QUERY_NAMES: readonly string[] = Object.values(AK_QUERY_PARAMS);

/** The URL path and query without the four signature parameters: what a query-signed request signs. */
export function withoutSignatureParams(pathWithQuery: string): string {
  const at = pathWithQuery.indexOf('?');
  if (at < 0) return pathWithQuery;
  const kept = pathWithQuery
    .slice(at + 1)
    .split('&')
    .filter((part) => !AK_QUERY_NAMES.includes(part.split('=')[0] ?? ''));
  return kept.length ? `${pathWithQuery.slice(0, at)}?${kept.join('&')}` : pathWithQuery.slice(0, at);
}
