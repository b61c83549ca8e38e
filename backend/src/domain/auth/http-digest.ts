/** HTTP Digest authentication (RFC 7616 with MD5, qop=auth) with stateless, expiring nonces. */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The realm of an API's HTTP Basic and Digest auth, as DataFlux Func names it: `SyncAPI:<id>` or
 * `AsyncAPI:<id>`. A digest's HA1 (md5 of user:realm:password) depends on it, so a client that
 * keeps HA1 for DataFlux Func's realm keeps working.
 */
export function apiAuthRealm(kind: 'syncAPI' | 'asyncAPI', apiId: string): string {
  return `${kind === 'syncAPI' ? 'SyncAPI' : 'AsyncAPI'}:${apiId}`;
}
const NONCE_TTL_MS = 5 * 60_000;
const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');

export interface DigestParams {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  qop?: string;
  nc?: string;
  cnonce?: string;
}

export function parseDigest(header: string): DigestParams | undefined {
  if (!/^Digest\s/i.test(header)) return undefined;
  const out: Record<string, string> = {};
  for (const m of header.slice(7).matchAll(/(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g)) out[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
  const { username, realm, nonce, uri, response } = out;
  if (!username || !realm || !nonce || !uri || !response) return undefined;
  return { username, realm, nonce, uri, response, ...(out.qop ? { qop: out.qop } : {}), ...(out.nc ? { nc: out.nc } : {}), ...(out.cnonce ? { cnonce: out.cnonce } : {}) };
}

export function digestResponse(p: Omit<DigestParams, 'response'>, password: string, method: string): string {
  const ha1 = md5(`${p.username}:${p.realm}:${password}`);
  const ha2 = md5(`${method.toUpperCase()}:${p.uri}`);
  return p.qop ? md5(`${ha1}:${p.nonce}:${p.nc ?? ''}:${p.cnonce ?? ''}:${p.qop}:${ha2}`) : md5(`${ha1}:${p.nonce}:${ha2}`);
}

/** `<ms>.<mac>`: checkable without server state. */
export function makeNonce(now: number, mac: (s: string) => string): string {
  return `${now.toString(36)}.${mac(`digest-nonce:${now.toString(36)}`).slice(0, 32)}`;
}

export function nonceValid(nonce: string, now: number, mac: (s: string) => string): boolean {
  const [ts, sig] = nonce.split('.');
  if (!ts || !sig) return false;
  const expected = Buffer.from(mac(`digest-nonce:${ts}`).slice(0, 32));
  const given = Buffer.from(sig);
  return expected.length === given.length && timingSafeEqual(expected, given) && now - parseInt(ts, 36) < NONCE_TTL_MS;
}

export function digestChallenge(realm: string, now: number, mac: (s: string) => string, stale = false): string {
  return `Digest realm="${realm}", qop="auth", algorithm=MD5, nonce="${makeNonce(now, mac)}"${stale ? ', stale=true' : ''}`;
}
