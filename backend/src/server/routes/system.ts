/** ping, echo, healthz, metrics, openapi. */
import { ApiError } from '../../../../contract/errors.js';
import { authenticate } from '../auth.js';
import { requirePermission } from '../authorize.js';
import type { AppContext } from '../app-context.js';
import type { Handlers } from '../handler.js';
import { bearerMatches } from '../metrics.js';
import { buildOpenApi } from '../openapi.js';

/** The OpenAPI document per configuration of the auth it describes (built once each). */
const openApiDocs = new Map<string, Record<string, unknown>>();

/** The OpenAPI document for this server's configuration (also `GET /api`'s openapi and swagger formats). */
export function openApiDocument(ctx: AppContext): Record<string, unknown> {
  const auth = { openApiPublic: ctx.config.openApiPublic, metricsToken: ctx.config.metricsToken !== undefined };
  const key = `${ctx.version}|${String(auth.openApiPublic)}|${String(auth.metricsToken)}`;
  const doc = openApiDocs.get(key) ?? buildOpenApi(ctx.version, auth);
  openApiDocs.set(key, doc);
  return doc;
}

/** How long /healthz waits for the store and the broker each. */
const HEALTH_CHECK_MS = 1_500;

/** Whether `check` succeeds within HEALTH_CHECK_MS (a late answer is ignored). */
async function answersWithin(check: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), HEALTH_CHECK_MS)));
  try {
    return await Promise.race([
      check.then(
        () => true,
        () => false,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export const systemHandlers: Pick<Handlers, 'ping' | 'echo' | 'healthz' | 'metrics' | 'openapi'> = {
  ping: () => 'pong' as const,
  echo: ({ body }) => body,
  healthz: async (_input, { ctx, reply }) => {
    // Both checked at once, each given HEALTH_CHECK_MS: a Redis or database that does not answer
    // would otherwise hold the answer for as long as its client waits (~7 s for Redis).
    const [store, broker] = await Promise.all([answersWithin(ctx.store.entity('users').list({}, { limit: 1 })), answersWithin(ctx.broker.stats())]);
    const checks: Record<string, boolean> = { store, broker };
    const ok = store && broker;
    await reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', checks });
    return { status: ok ? 'ok' : 'degraded', checks };
  },
  metrics: async (_input, { ctx, req, reply }) => {
    if (ctx.config.metricsToken !== undefined && !bearerMatches(req.headers.authorization, ctx.config.metricsToken)) {
      reply.header('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new ApiError('EUserAuth', 'The metrics need Authorization: Bearer <FUNC_METRICS_TOKEN>', { field: 'Authorization' });
    }
    const text = await ctx.metrics.render();
    await reply.type(ctx.metrics.contentType).send(text);
    return text;
  },
  // Public only with FUNC_OPENAPI_PUBLIC; otherwise for signed-in users with general_r. The
  // contract declares it `none` because the check depends on the configuration: it is made here,
  // and the document says it (as /metrics' bearer token when FUNC_METRICS_TOKEN is set).
  openapi: async (_input, { ctx, req, reply }) => {
    if (!ctx.config.openApiPublic) requirePermission(await authenticate(ctx, req), 'general_r');
    const doc = openApiDocument(ctx);
    await reply.send(doc);
    return doc;
  },
};
