/** ping, echo, healthz, metrics, openapi. */
import type { AppContext } from '../app-context.js';
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
  metrics: async (_input, { ctx, reply }) => {
    const text = ctx.metrics.render(await queueGauges(ctx));
    await reply.type('text/plain; version=0.0.4').send(text);
    return text;
  },
  openapi: async (_input, { ctx, reply }) => {
    openApiDoc ??= buildOpenApi(ctx.version);
    await reply.send(openApiDoc);
    return openApiDoc;
  },
};
