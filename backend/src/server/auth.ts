/**
 * Who is calling: a sign-in token (`X-Dff-Auth-Token`, or `xDFFAuthToken` in the query) or an
 * access-key signature (`X-Dff-Ak-*`, nonce single use through the cache).
 */
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../../../contract/errors.js';
import { accessKeySign, AK_TIMESTAMP_WINDOW_S, signMatches } from '../domain/auth/access-key-sign.js';
import type { UserRow } from '../domain/ports/store.js';
import type { AppContext } from './app-context.js';

export interface Caller {
  user: UserRow;
  via: 'token' | 'accessKey';
  token?: string;
}

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

async function activeUser(ctx: AppContext, userId: string): Promise<UserRow> {
  const user = await ctx.store.entity('users').get(userId);
  if (!user) throw new ApiError('EUserAuth', 'The user of this token or access key does not exist any more');
  if (user.isDisabled) throw new ApiError('EUserDisabled');
  return user;
}

async function byAccessKey(ctx: AppContext, req: FastifyRequest, akId: string): Promise<Caller> {
  const timestamp = header(req, 'x-dff-ak-timestamp');
  const nonce = header(req, 'x-dff-ak-nonce');
  const sign = header(req, 'x-dff-ak-sign');
  if (!timestamp || !nonce || !sign) throw new ApiError('EUserAuth', 'Access key headers X-Dff-Ak-Timestamp, X-Dff-Ak-Nonce and X-Dff-Ak-Sign are all required', { field: 'headers' });
  const ts = Number(timestamp);
  if (!Number.isFinite(ts) || Math.abs(ctx.now() / 1000 - ts) > AK_TIMESTAMP_WINDOW_S) {
    throw new ApiError('EUserAuth', `X-Dff-Ak-Timestamp is outside the accepted window of ±${AK_TIMESTAMP_WINDOW_S} s`, { field: 'X-Dff-Ak-Timestamp' });
  }
  const ak = await ctx.store.entity('accessKeys').get(akId);
  if (!ak || ak.isDisabled) throw new ApiError('EUserAuth', 'Unknown or disabled access key', { field: 'X-Dff-Ak-Id' });
  const expected = accessKeySign(ctx.secrets.decrypt(ak.secretCipher), { method: req.method, path: req.url, timestamp, nonce, body: req.body });
  if (!signMatches(expected, sign)) throw new ApiError('EUserAuth', 'X-Dff-Ak-Sign does not match the request', { field: 'X-Dff-Ak-Sign' });
  const fresh = await ctx.cache.command('set', [`func:ak-nonce:${akId}:${nonce}`, '1', AK_TIMESTAMP_WINDOW_S * 2, true]);
  if (fresh !== true) throw new ApiError('EUserAuth', 'X-Dff-Ak-Nonce was used already', { field: 'X-Dff-Ak-Nonce' });
  return { user: await activeUser(ctx, ak.userId), via: 'accessKey' };
}

export async function authenticate(ctx: AppContext, req: FastifyRequest): Promise<Caller> {
  const akId = header(req, 'x-dff-ak-id');
  if (akId) return byAccessKey(ctx, req, akId);
  const query = req.query as Record<string, unknown> | undefined;
  const token = header(req, 'x-dff-auth-token') ?? (typeof query?.xDFFAuthToken === 'string' ? query.xDFFAuthToken : undefined);
  if (!token) throw new ApiError('EUserAuth', 'Sign in and send X-Dff-Auth-Token, or sign the request with an access key');
  const userId = ctx.tokens.verify(token);
  if (!userId) throw new ApiError('EUserAuth', 'The auth token is invalid or expired', { field: 'X-Dff-Auth-Token' });
  return { user: await activeUser(ctx, userId), via: 'token', token };
}
