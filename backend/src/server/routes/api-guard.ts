/** Before a sync/async API runs: its API auth (fixedField, httpBasic, httpDigest, func) and throttling. */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../../../contract/errors.js';
import { decryptApiAuthConfig, type FixedFieldConfig, type FuncAuthConfig, type UsersConfig } from '../../domain/auth/api-auth-config.js';
import { apiAuthRealm, digestChallenge, digestResponse, nonceValid, parseDigest } from '../../domain/auth/http-digest.js';
import type { AsyncApiRow, SyncApiRow } from '../../domain/ports/store.js';
import { buildTask, kwargsProblem } from '../../domain/tasks/build-task.js';
import type { RequestSecretField } from '../../domain/tasks/task.js';
import type { AppContext } from '../app-context.js';
import { bodyWithoutFiles } from '../multipart.js';
import { taskHttpRequest } from '../task-http-request.js';

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function fixedFieldOk(req: FastifyRequest, c: FixedFieldConfig): boolean {
  const query = req.query as Record<string, unknown>;
  const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
  return c.fields.some((f) => {
    const got = f.location === 'header' ? header(req, f.name) : f.location === 'query' ? query[f.name] : body[f.name];
    return typeof got === 'string' && same(got, f.value);
  });
}

function basicOk(req: FastifyRequest, c: UsersConfig): boolean {
  const m = /^Basic\s+(\S+)$/i.exec(header(req, 'authorization') ?? '');
  if (!m) return false;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const cut = text.indexOf(':');
  return cut > 0 && c.users.some((u) => same(u.username, text.slice(0, cut)) && same(u.password, text.slice(cut + 1)));
}

function digestOk(ctx: AppContext, req: FastifyRequest, c: UsersConfig, realm: string): boolean | 'stale' {
  const p = parseDigest(header(req, 'authorization') ?? '');
  if (!p || p.realm !== realm || p.uri !== req.url) return false;
  if (!nonceValid(p.nonce, ctx.now(), (s) => ctx.secrets.mac(s))) return 'stale';
  const user = c.users.find((u) => u.username === p.username);
  return user !== undefined && same(digestResponse(p, user.password, req.method), p.response.toLowerCase());
}

/**
 * The auth function reads the call's request from `_DFF_HTTP_REQUEST`, as DataFlux Func's own sample
 * (a function of no arguments) does; Func's `req` kwarg goes only to a function that takes it.
 */
async function funcOk(ctx: AppContext, req: FastifyRequest, c: FuncAuthConfig, apiId: string): Promise<boolean> {
  const func = await ctx.catalog.func(c.funcId);
  if (!func) throw new ApiError('EAPIAuth', `The API auth function ${c.funcId} is not published`);
  const httpRequest = taskHttpRequest(req, bodyWithoutFiles(req.headers['content-type'], req.body));
  const { method, originalUrl, headers, query, body } = httpRequest;
  const takesReq = kwargsProblem(func, { req: null }, false) === null;
  const kwargs = takesReq ? { req: { method, url: originalUrl ?? httpRequest.url, headers, query, body } } : {};
  const outcome = await ctx.dispatcher.call(buildTask({ func, kwargs, origin: 'apiAuth', originId: apiId, topology: ctx.topology, now: ctx.now(), httpRequest }));
  return outcome?.status === 'success' && Boolean(outcome.result);
}

/**
 * Answers the request fields the API's auth names (fixedField: header, query and body fields):
 * its query and body fields are not kwargs of the function, and each is masked wherever the
 * request is stored. `kind` names the API's realm for HTTP Basic and Digest (`apiAuthRealm`),
 * built only for an API with an auth (most calls have none).
 */
export async function checkApiAuth(
  ctx: AppContext,
  api: SyncApiRow | AsyncApiRow,
  req: FastifyRequest,
  reply: FastifyReply,
  kind: 'syncAPI' | 'asyncAPI',
): Promise<RequestSecretField[]> {
  if (!api.apiAuthId) return [];
  const realm = apiAuthRealm(kind, api.id);
  const auth = await ctx.store.entity('apiAuth').get(api.apiAuthId);
  if (!auth) throw new ApiError('EAPIAuth', `The API auth ${api.apiAuthId} of this API does not exist; refusing the call`);
  const config = decryptApiAuthConfig(auth.type, auth.configJSON, ctx.secrets);
  let ok: boolean | 'stale';
  switch (auth.type) {
    case 'fixedField':
      ok = fixedFieldOk(req, config as FixedFieldConfig);
      break;
    case 'httpBasic':
      ok = basicOk(req, config as UsersConfig);
      break;
    case 'httpDigest':
      ok = digestOk(ctx, req, config as UsersConfig, realm);
      break;
    case 'func':
      ok = await funcOk(ctx, req, config as FuncAuthConfig, api.id);
      break;
  }
  if (ok === true) return auth.type === 'fixedField' ? (config as FixedFieldConfig).fields.map((f) => ({ location: f.location, name: f.name })) : [];
  if (auth.type === 'httpBasic') reply.header('WWW-Authenticate', `Basic realm="${realm}", charset="UTF-8"`);
  if (auth.type === 'httpDigest')
    reply.header(
      'WWW-Authenticate',
      digestChallenge(realm, ctx.now(), (s) => ctx.secrets.mac(s), ok === 'stale'),
    );
  throw new ApiError('EAPIAuth', `The API auth (${auth.type}) failed`, { apiAuthType: auth.type });
}

const WINDOWS: [string, number][] = [
  ['bySecond', 1],
  ['byMinute', 60],
  ['byHour', 3600],
  ['byDay', 86400],
  ['byMonth', 30 * 86400],
  ['byYear', 365 * 86400],
];

/** Counts the call in each configured window; 429 with the wait when one is full. */
export async function checkThrottling(ctx: AppContext, api: SyncApiRow | AsyncApiRow): Promise<void> {
  const rules = api.throttlingJSON;
  if (!rules) return;
  const nowS = Math.floor(ctx.now() / 1000);
  for (const [rule, seconds] of WINDOWS) {
    const limit = rules[rule];
    if (typeof limit !== 'number') continue;
    const bucket = Math.floor(nowS / seconds);
    const key = `func:throttle:${api.id}:${rule}:${bucket}`;
    const count = Number(await ctx.cache.command('incr', [key]));
    if (count === 1) await ctx.cache.command('expire', [key, seconds + 1]);
    if (count > limit) {
      const waitSeconds = (bucket + 1) * seconds - nowS;
      throw new ApiError(
        'EClientRateLimit',
        `Throttled by ${rule} (limit ${limit}); retry in ${waitSeconds} s`,
        { rule, limit, currentCount: count, waitSeconds },
        'APIThrottling',
      );
    }
  }
}
