/**
 * Signing requests with an access key: fresh nonce and timestamp per request, the signature over
 * exactly the body text sent. HMAC-SHA1 is injected (WebCrypto in a browser, node:crypto in Node).
 */
import { AK_QUERY_PARAMS, accessKeyStringToSign } from '../signing.js';

export interface AccessKeyAuth {
  id: string;
  secret: string;
  /** Hex HMAC-SHA1 of `text` keyed by `secret`. */
  hmacSha1Hex: (secret: string, text: string) => Promise<string>;
  /** Random bytes for the nonce; defaults to `globalThis.crypto.getRandomValues`. */
  randomBytes?: (length: number) => Uint8Array;
  /** Clock in ms; defaults to `Date.now`. */
  now?: () => number;
}

interface CryptoLike {
  getRandomValues(array: Uint8Array): Uint8Array;
}

function defaultRandomBytes(length: number): Uint8Array {
  const c = (globalThis as { crypto?: CryptoLike }).crypto;
  if (!c) throw new Error('no crypto.getRandomValues: pass randomBytes to the client');
  return c.getRandomValues(new Uint8Array(length));
}

export interface Signature {
  id: string;
  timestamp: string;
  nonce: string;
  sign: string;
}

/** Signs `METHOD&path&timestamp&nonce&md5(bodyText)`; `path` includes the query string as sent. */
export async function signRequest(auth: AccessKeyAuth, method: string, path: string, bodyText: string): Promise<Signature> {
  const bytes = (auth.randomBytes ?? defaultRandomBytes)(16);
  const nonce = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  const timestamp = String(Math.floor((auth.now ?? Date.now)() / 1000));
  const sign = await auth.hmacSha1Hex(auth.secret, accessKeyStringToSign({ method, path, timestamp, nonce, bodyText }));
  return { id: auth.id, timestamp, nonce, sign };
}

export function signatureHeaders(s: Signature): Record<string, string> {
  return { 'x-dff-ak-id': s.id, 'x-dff-ak-timestamp': s.timestamp, 'x-dff-ak-nonce': s.nonce, 'x-dff-ak-sign': s.sign };
}

/** The signed URL for a GET that cannot send headers (EventSource): the signature as query parameters. */
export function withSignatureQuery(url: string, s: Signature): string {
  const q = AK_QUERY_PARAMS;
  const params = `${q.id}=${encodeURIComponent(s.id)}&${q.timestamp}=${s.timestamp}&${q.nonce}=${s.nonce}&${q.sign}=${s.sign}`;
  return `${url}${url.includes('?') ? '&' : '?'}${params}`;
}

/** The path and query of `url`: what the server sees as the request URL (a proxy must not rewrite it). */
export function pathOf(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(.*)$/i.exec(url);
  const path = m ? (m[1] ?? '') : url;
  return path === '' ? '/' : path.startsWith('?') ? `/${path}` : path;
}
