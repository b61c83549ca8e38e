/** The OpenAPI 3.1 document, generated from the contract's operations. */
import { z } from 'zod';
import { operations } from '../../../contract/index.js';

const toJson = (schema: z.ZodType): unknown => {
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  } catch {
    return {};
  }
};

/** What the configuration adds to the auth of the operations whose handlers check it themselves. */
export interface OpenApiAuth {
  /** FUNC_OPENAPI_PUBLIC: this document needs no sign-in. */
  openApiPublic: boolean;
  /** FUNC_METRICS_TOKEN is set: /metrics needs it as a bearer token. */
  metricsToken: boolean;
}

const SIGNED_IN = [{ authToken: [] }, { accessKey: [] }];

/** The security an operation's callers need here: its declaration, or its handler's rule under this configuration. */
function securityOf(op: { id: string; auth: string; tokenOnly?: boolean }, auth: OpenApiAuth): unknown[] {
  if (op.tokenOnly === true) return [{ authToken: [] }];
  if (op.auth === 'signedIn' || ((op.id === 'openapi' || op.id === 'describeApi') && !auth.openApiPublic)) return SIGNED_IN;
  if (op.id === 'metrics' && auth.metricsToken) return [{ metricsBearer: [] }];
  return [];
}

export function buildOpenApi(version: string, auth: OpenApiAuth): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of Object.values(operations)) {
    for (const path of op.paths) {
      const oaPath = path.replace(/:(\w+)/g, '{$1}');
      const params = [...path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
      for (const method of op.methods) {
        paths[oaPath] ??= {};
        paths[oaPath][method.toLowerCase()] = {
          operationId: op.paths.length > 1 || op.methods.length > 1 ? `${op.id}_${method}_${op.paths.indexOf(path)}` : op.id,
          summary: op.permission ? `${op.summary} (permission: ${op.permission})` : op.summary,
          ...(op.permission ? { 'x-func-permission': op.permission } : {}),
          parameters: params,
          security: securityOf(op, auth),
          ...(method === 'POST' ? { requestBody: { content: { 'application/json': { schema: toJson(op.body) } } } } : {}),
          responses: { 200: { description: 'OK', content: { 'application/json': { schema: toJson(op.output) } } } },
        };
      }
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Func API', version, description: 'DataFlux Func compatible HTTP API. Envelope: {ok, error, message, data, traceId, clientTime, reqTime, respTime, reqCost}.' },
    components: {
      securitySchemes: {
        authToken: { type: 'apiKey', in: 'header', name: 'X-Dff-Auth-Token' },
        accessKey: { type: 'apiKey', in: 'header', name: 'X-Dff-Ak-Id', description: 'With X-Dff-Ak-Timestamp, X-Dff-Ak-Nonce and X-Dff-Ak-Sign (HMAC-SHA1)' },
        metricsBearer: { type: 'http', scheme: 'bearer', description: 'FUNC_METRICS_TOKEN (GET /metrics, when it is set)' },
      },
    },
    paths,
  };
}
