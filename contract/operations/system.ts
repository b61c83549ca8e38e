/** Liveness, health, metrics, the API description. */
import { z } from 'zod';
import { operation } from '../operation.js';
import { anyJson, empty, jsonObject } from '../common.js';

export const ping = operation('ping', 'GET /api/v1/do/ping', 'none', {
  summary: 'Liveness',
  body: empty,
  output: z.literal('pong'),
});

export const echo = operation('echo', 'POST /api/v1/do/echo', 'none', {
  summary: 'Answers the body it got',
  body: anyJson,
  output: anyJson,
});

export const healthz = operation('healthz', 'GET /healthz', 'none', {
  summary: 'Health for orchestrators',
  raw: true,
  body: empty,
  output: z.object({ status: z.enum(['ok', 'degraded']), checks: z.record(z.string(), z.boolean()) }),
});

export const metrics = operation('metrics', 'GET /metrics', 'none', {
  summary: 'Prometheus metrics (text exposition format); with FUNC_METRICS_TOKEN set, only for `Authorization: Bearer <token>` (checked by the handler)',
  raw: true,
  body: empty,
  output: z.string(),
});

export const openapi = operation('openapi', 'GET /api/v1/openapi.json', 'none', {
  summary: 'This API, described (OpenAPI 3.1); for signed-in users with general_r unless FUNC_OPENAPI_PUBLIC=true (checked by the handler: the rule depends on the configuration)',
  raw: true,
  body: empty,
  output: jsonObject,
});
