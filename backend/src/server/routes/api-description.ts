/** GET /api (DataFlux Func's route list in its formats) and its deprecated GET /api/v1/metrics. */
import type { z } from 'zod';
import { okEnvelope } from '../../../../contract/envelope.js';
import type { rawRoute } from '../../../../contract/operations/api-description.js';
import { operations } from '../../../../contract/index.js';
import type { AppContext } from '../app-context.js';
import { authenticate } from '../auth.js';
import { requirePermission } from '../authorize.js';
import type { Handlers } from '../handler.js';
import { openApiDocument } from './system.js';

/** The contract's operations by id, as `format=raw` lists them (no modules: Func's table is flat). */
function rawRoutes(): Record<string, z.infer<typeof rawRoute>> {
  const out: Record<string, z.infer<typeof rawRoute>> = {};
  for (const op of Object.values(operations)) {
    out[op.id] = {
      name: op.summary,
      method: op.methods[0]!.toLowerCase(),
      methods: op.methods.map((m) => m.toLowerCase()),
      url: op.paths.length === 1 ? op.paths[0]! : [...op.paths],
      requireSignIn: op.auth === 'signedIn',
      privilege: op.permission,
      auth: op.auth,
    };
  }
  return out;
}

/** `virtualDir` as DataFlux Func reads it: a leading `/` added, trailing ones dropped. */
function virtualDirOf(given: string | null | undefined): string {
  if (!given) return '';
  const withSlash = given.startsWith('/') ? given : `/${given}`;
  return withSlash.replace(/\/+$/, '');
}

function underVirtualDir(doc: Record<string, unknown>, dir: string): Record<string, unknown> {
  if (!dir) return doc;
  const paths = doc.paths as Record<string, unknown>;
  return { ...doc, paths: Object.fromEntries(Object.entries(paths).map(([path, item]) => [`${dir}${path}`, item])) };
}

async function mayRead(ctx: AppContext, req: Parameters<typeof authenticate>[1]): Promise<void> {
  if (!ctx.config.openApiPublic) requirePermission(await authenticate(ctx, req), 'general_r');
}

export const apiDescriptionHandlers: Pick<Handlers, 'describeApi' | 'deprecatedMetrics'> = {
  // The same document as /api/v1/openapi.json, so the same rule for who may read it.
  describeApi: async ({ query }, { ctx, req, reply, traceId }) => {
    await mayRead(ctx, req);
    if (query.format === 'raw') {
      const answer = { ...okEnvelope(rawRoutes(), traceId) };
      await reply.send(answer);
      return answer;
    }
    const doc = underVirtualDir(openApiDocument(ctx), virtualDirOf(query.virtualDir));
    await reply.send(doc);
    return doc;
  },
  deprecatedMetrics: async (_input, { reply }) => {
    const text = '# This route is deprecated (as in DataFlux Func): Func serves its metrics at GET /metrics\n';
    await reply.type('application/openmetrics-text; version=1.0.0; charset=utf-8').send(text);
    return text;
  },
};
