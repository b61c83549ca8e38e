/**
 * DataFlux Func's access-key signature: hex HMAC-SHA1(secret,
 * `METHOD&path?query&timestamp&nonce&md5hex(body)`), where body is re-serialised exactly as
 * Python's `json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(',', ':'))`.
 * The string to sign and the re-serialisation live in `contract/signing.ts` (shared with clients).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { accessKeyStringToSign, signedBodyText } from '../../../../contract/signing.js';

const nodeMd5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

export function bodyMd5(body: unknown): string {
  return nodeMd5(signedBodyText(body));
}

export interface SignInput {
  method: string;
  /** Path including the query string, as sent. */
  path: string;
  timestamp: string;
  nonce: string;
  body: unknown;
  /** The exact text hashed instead of `body` re-serialised (`pythonJsonDumpsOfText` of the JSON sent). */
  bodyText?: string;
}

export function accessKeySign(secret: string, input: SignInput): string {
  const bodyText = input.bodyText ?? signedBodyText(input.body);
  const text = accessKeyStringToSign({ method: input.method, path: input.path, timestamp: input.timestamp, nonce: input.nonce, bodyText }, nodeMd5);
  return createHmac('sha1', secret).update(text, 'utf8').digest('hex');
}

export function signMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given.toLowerCase());
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Accepted clock skew of X-Dff-Ak-Timestamp. */
export const AK_TIMESTAMP_WINDOW_S = 900;
