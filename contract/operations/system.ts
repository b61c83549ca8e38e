/** Liveness, health, metrics, the API description. */
import { z } from 'zod';
import { defineOperation } from '../operation.js';
import { anyJson, empty } from '../common.js';

export const ping = defineOperation({
  id: 'ping',
  methods: ['GET'],
  paths: ['/api/v1/do/ping'],
  auth: 'none',
  permission: null,
  summary: 'Liveness',
  params: empty,
  query: empty,
  body: empty,
  output: z.literal('pong'),
});

export const echo = defineOperation({
  id: 'echo',
  methods: ['POST'],
  paths: ['/api/v1/do/echo'],
  auth: 'none',
  permission: null,
  summary: 'Answers the body it got',
  params: empty,
  query: empty,
  body: anyJson,
  output: anyJson,
});

export const healthz = defineOperation({
  id: 'healthz',
  methods: ['GET'],
  paths: ['/healthz'],
  auth: 'none',
  permission: null,
  summary: 'Health for orchestrators',
  raw: true,
  params: empty,
  query: empty,
  body: empty,
  output: z.object({ status: z.enum(['ok', 'degraded']), checks: z.record(z.string(), z.boolean()) }),
});

export const metrics = defineOperation({
  id: 'metrics',
  methods: ['GET'],
  paths: ['/metrics'],
  auth: 'none',
  permission: null,
  summary: 'Prometheus metrics (text exposition format); with FUNC_METRICS_TOKEN set, only for `Authorization: Bearer <token>` (checked by the handler)',
  raw: true,
  params: empty,
  query: empty,
  body: empty,
  output: z.string(),
});

export const openapi = defineOperation({
  id: 'openapi',
  methods: ['GET'],
  paths: ['/api/v1/openapi.json'],
  auth: 'none',
  permission: null,
  summary: 'This API, described (OpenAPI 3.1); for signed-in users with general_r unless FUNC_OPENAPI_PUBLIC=true (checked by the handler: the rule depends on the configuration)',
  raw: true,
  params: empty,
  query: empty,
  body: empty,
  output: z.record(z.string(), z.unknown()),
});
