/**
 * Who is calling: a sign-in token (`X-Dff-Auth-Token`, or `xDFFAuthToken` in the query) or an
 * access-key signature (`X-Dff-Ak-*` headers, or for GET only the same four as query parameters
 * `xDffAkId`… with the URL signed without them; nonce single use through the cache).
 */
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../../../contract/errors.js';
import { AK_QUERY_PARAMS, byCodePoint, pythonJsonDumpsOfText, withoutSignatureParams } from '../../../contract/signing.js';
import { accessKeySign, AK_TIMESTAMP_WINDOW_S, signMatches } from '../domain/auth/access-key-sign.js';
import { AUTH_STATE_CACHE_MS, AuthMarks, issuedBeforeCutoff, nonceMark, type TokenClaims } from '../domain/auth/auth-token.js';
import { SignInGuard } from '../domain/auth/sign-in-guard.js';
import type { UserRow } from '../domain/ports/store.js';
import { perContext, type AppContext } from './app-context.js';
import { bodyWithoutFiles } from './multipart.js';
import { signedJsonTextOf } from './signed-json-text.js';

export interface Caller {
  user: UserRow;
  via: 'token' | 'accessKey';
  token?: string;
  /** What the token says (via token): sign-out revokes it. */
  claims?: TokenClaims;
}

/** The per-server sign-in state: revocation marks in the store, failure counters in the cache. */
interface AuthState {
  marks: AuthMarks;
  guard: SignInGuard;
}
export const authState = perContext((ctx): AuthState => ({ marks: new AuthMarks(ctx.store.authState, ctx.now), guard: new SignInGuard(ctx.cache) }));

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Users read for authentication are reused this long: disabling a user, or a change that revokes
 * its tokens (tokensValidAfter), takes effect within it on other servers; on this one at once
 * (forgetCachedUser).
 */
export const USER_CACHE_MS = AUTH_STATE_CACHE_MS;
const userCache = perContext(() => new Map<string, { user: UserRow | undefined; at: number }>());

async function loadUser(ctx: AppContext, userId: string): Promise<UserRow | undefined> {
  const cache = userCache(ctx);
  const hit = cache.get(userId);
  const now = Date.now();
  if (hit && now - hit.at < USER_CACHE_MS) return hit.user;
  const user = await ctx.store.entity('users').get(userId);
  if (cache.size > 10_000) cache.clear();
  cache.set(userId, { user, at: now });
  return user;
}

/** After a change of a user: the next request reads it again. */
export function forgetCachedUser(ctx: AppContext, userId: string): void {
  userCache(ctx).delete(userId);
}

async function activeUser(ctx: AppContext, userId: string): Promise<UserRow> {
  const user = await loadUser(ctx, userId);
  if (!user) throw new ApiError('EUserAuth', 'The user of this token or access key does not exist any more');
  if (user.isDisabled) throw new ApiError('EUserDisabled');
  return user;
}

/** The signature of a request, from headers or (GET only) from the query. */
interface AkCredentials {
  id: string;
  timestamp: string | undefined;
  nonce: string | undefined;
  sign: string | undefined;
  /** The URL path and query that was signed. */
  path: string;
  /** Names the fields in messages: headers or query parameters. */
  names: { timestamp: string; nonce: string; sign: string; id: string };
}

const HEADER_NAMES = { id: 'X-Dff-Ak-Id', timestamp: 'X-Dff-Ak-Timestamp', nonce: 'X-Dff-Ak-Nonce', sign: 'X-Dff-Ak-Sign' };

function akCredentials(req: FastifyRequest, query: Record<string, unknown> | undefined): AkCredentials | null {
  const id = header(req, 'x-dff-ak-id');
  if (id) return { id, timestamp: header(req, 'x-dff-ak-timestamp'), nonce: header(req, 'x-dff-ak-nonce'), sign: header(req, 'x-dff-ak-sign'), path: req.url, names: HEADER_NAMES };
  const q = (name: string): string | undefined => (typeof query?.[name] === 'string' ? query[name] : undefined);
  const qid = q(AK_QUERY_PARAMS.id);
  if (!qid || req.method !== 'GET') return null;
  return {
    id: qid,
    timestamp: q(AK_QUERY_PARAMS.timestamp),
    nonce: q(AK_QUERY_PARAMS.nonce),
    sign: q(AK_QUERY_PARAMS.sign),
    path: withoutSignatureParams(req.url),
    names: AK_QUERY_PARAMS,
  };
}

async function byAccessKey(ctx: AppContext, req: FastifyRequest, c: AkCredentials): Promise<Caller> {
  const { timestamp, nonce, sign, names } = c;
  if (!timestamp || !nonce || !sign)
    throw new ApiError('EUserAuth', `Access key ${names.timestamp}, ${names.nonce} and ${names.sign} are all required`, {
      field: names.id === HEADER_NAMES.id ? 'headers' : 'query',
    });
  // Unix seconds in decimal digits, as DataFlux Func's SDKs send them (`str(int(time.time()))`): `abc`, `1e9` or `0x…` is
  // not a time. A fraction is taken, as DataFlux Func's parseInt takes `1700000000.5` (the text is what is signed).
  if (!/^\d+(\.\d+)?$/.test(timestamp)) throw new ApiError('EUserAuth', `${names.timestamp} must be unix seconds in decimal digits`, { field: names.timestamp });
  const ts = Number(timestamp);
  if (Math.abs(ctx.now() / 1000 - ts) > AK_TIMESTAMP_WINDOW_S) {
    throw new ApiError('EUserAuth', `${names.timestamp} is outside the accepted window of ±${AK_TIMESTAMP_WINDOW_S} s`, { field: names.timestamp });
  }
  const ak = await ctx.store.entity('accessKeys').get(c.id);
  if (!ak || ak.isDisabled) throw new ApiError('EUserAuth', 'Unknown or disabled access key', { field: names.id });
  const secret = ctx.secrets.decrypt(ak.secretCipher);
  const signed = { method: req.method, path: c.path, timestamp, nonce, body: bodyWithoutFiles(req.headers['content-type'], req.body) };
  if (!signMatches(accessKeySign(secret, signed), sign)) {
    // The body as sent, its numbers as the client wrote them: Python signs 1.0 and 1e+20, which
    // the parsed body would write back as 1 and 100000000000000000000.
    const text = signedJsonTextOf(req);
    const asSent = text === undefined ? undefined : pythonJsonDumpsOfText(text);
    // Python sorts keys by code point, DataFlux Func's server and JS SDK by UTF-16 unit: they differ
    // only where a key holds an astral character (a surrogate pair in the text or a \ud83d escape).
    const byPython = text !== undefined && /[\ud800-\udfff]|\\u[dD][89a-fA-F]/.test(text) ? pythonJsonDumpsOfText(text, undefined, byCodePoint) : undefined;
    const matches = (bodyText: string | undefined): boolean => bodyText !== undefined && signMatches(accessKeySign(secret, { ...signed, bodyText }), sign);
    if (!matches(asSent) && !matches(byPython)) throw new ApiError('EUserAuth', `${names.sign} does not match the request`, { field: names.sign });
  }
  // Single use for as long as the timestamp can be accepted. Production: Redis, shared by every
  // server. Embedded: the store (the in-memory cache would forget nonces on a restart).
  const fresh =
    ctx.mode === 'production'
      ? await ctx.cache.command('set', [`func:ak-nonce:${c.id}:${nonce}`, '1', AK_TIMESTAMP_WINDOW_S * 2, true])
      : await authState(ctx).marks.firstUse(nonceMark(c.id, nonce), ctx.now() + AK_TIMESTAMP_WINDOW_S * 2 * 1000);
  if (fresh !== true) throw new ApiError('EUserAuth', `${names.nonce} was used already`, { field: names.nonce });
  return { user: await activeUser(ctx, ak.userId), via: 'accessKey' };
}

export async function authenticate(ctx: AppContext, req: FastifyRequest): Promise<Caller> {
  const query = req.query as Record<string, unknown> | undefined;
  const ak = akCredentials(req, query);
  if (ak) return byAccessKey(ctx, req, ak);
  const token = header(req, 'x-dff-auth-token') ?? (typeof query?.xDFFAuthToken === 'string' ? query.xDFFAuthToken : undefined);
  if (!token) throw new ApiError('EUserAuth', 'Sign in and send X-Dff-Auth-Token, or sign the request with an access key');
  const claims = ctx.tokens.verify(token);
  if (!claims) throw new ApiError('EUserAuth', 'The auth token is invalid or expired', { field: 'X-Dff-Auth-Token' });
  const user = await activeUser(ctx, claims.userId);
  if (issuedBeforeCutoff(claims, user) || (await authState(ctx).marks.isRevoked(claims))) {
    throw new ApiError('EUserAuth', 'The auth token was revoked (signed out, or the password or roles changed): sign in again', { field: 'X-Dff-Auth-Token' });
  }
  return { user, via: 'token', token, claims };
}
