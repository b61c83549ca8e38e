/** ping, echo, healthz, metrics, openapi. */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../../../../contract/errors.js';
import type { AppContext } from '../app-context.js';
import { authenticate } from '../auth.js';
import { requirePermission } from '../authorize.js';
import type { Handlers } from '../handler.js';
import { buildOpenApi } from '../openapi.js';

async function queueGauges(ctx: AppContext): Promise<string[]> {
  const stats = await ctx.broker.stats();
  const lines = ['# HELP func_queue_length Tasks waiting per queue.', '# TYPE func_queue_length gauge'];
  for (const s of stats) lines.push(`func_queue_length{queue="${s.queue}"} ${s.length}`);
  lines.push('# HELP func_queue_in_flight Tasks being run per queue.', '# TYPE func_queue_in_flight gauge');
  for (const s of stats) lines.push(`func_queue_in_flight{queue="${s.queue}"} ${s.inFlight}`);
  lines.push('# HELP func_queue_done_total Tasks finished per queue.', '# TYPE func_queue_done_total counter');
  for (const s of stats) lines.push(`func_queue_done_total{queue="${s.queue}"} ${s.done}`);
  return lines;
}

function bearerMatches(authorization: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!m) return false;
  const given = createHash('sha256').update(m[1]!).digest();
  return timingSafeEqual(given, createHash('sha256').update(token).digest());
}

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
    const text = ctx.metrics.render(await queueGauges(ctx));
    await reply.type('text/plain; version=0.0.4').send(text);
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
