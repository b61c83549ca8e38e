/**
 * DataFlux Func's access-key signature: hex HMAC-SHA1(secret,
 * `METHOD&path?query&timestamp&nonce&md5hex(body)`), where body is re-serialised exactly as
 * Python's `json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(',', ':'))`.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Python's json.dumps(sort_keys=True, ensure_ascii=False, separators=(',', ':')). */
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
    const keys = Object.keys(obj).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((k) => `${JSON.stringify(k)}:${pythonJsonDumps(obj[k])}`).join(',')}}`;
  }
  return 'null';
}

export function bodyMd5(body: unknown): string {
  const text = body === undefined || body === null || body === '' ? '{}' : pythonJsonDumps(body);
  return createHash('md5').update(text, 'utf8').digest('hex');
}

export interface SignInput {
  method: string;
  /** Path including the query string, as sent. */
  path: string;
  timestamp: string;
  nonce: string;
  body: unknown;
}

export function accessKeySign(secret: string, input: SignInput): string {
  const text = `${input.method.toUpperCase()}&${input.path}&${input.timestamp}&${input.nonce}&${bodyMd5(input.body)}`;
  return createHmac('sha1', secret).update(text, 'utf8').digest('hex');
}

export function signMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given.toLowerCase());
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Accepted clock skew of X-Dff-Ak-Timestamp. */
export const AK_TIMESTAMP_WINDOW_S = 900;
