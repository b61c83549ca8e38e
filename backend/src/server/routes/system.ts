/** ping, echo, healthz, metrics, openapi. */
import { ApiError } from '../../../../contract/errors.js';
import { authenticate } from '../auth.js';
import { requirePermission } from '../authorize.js';
import type { Handlers } from '../handler.js';
import { bearerMatches } from '../metrics.js';
import { buildOpenApi } from '../openapi.js';

let openApiDoc: Record<string, unknown> | undefined;

export const systemHandlers: Pick<Handlers, 'ping' | 'echo' | 'healthz' | 'metrics' | 'openapi'> = {
  ping: () => 'pong' as const,
  echo: ({ body }) => body,
  healthz: async (_input, { ctx, reply }) => {
    const checks: Record<string, boolean> = {};
    try {
      await ctx.store.entity('users').list({}, { limit: 1 });
      checks.store = true;
    } catch {
      checks.store = false;
    }
    try {
      await ctx.broker.stats();
      checks.broker = true;
    } catch {
      checks.broker = false;
    }
    const ok = Object.values(checks).every(Boolean);
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
  // contract declares it `none` because the check depends on the configuration: it is made here.
  openapi: async (_input, { ctx, req, reply }) => {
    if (!ctx.config.openApiPublic) requirePermission(await authenticate(ctx, req), 'general_r');
    openApiDoc ??= buildOpenApi(ctx.version);
    await reply.send(openApiDoc);
    return openApiDoc;
  },
};
