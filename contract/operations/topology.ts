/** What is running: services, queues with their numbers, worker units; live over SSE. */
import { z } from 'zod';
import { operation } from '../operation.js';

export const serviceStatus = z.object({
  kind: z.enum(['server', 'worker', 'beat']),
  name: z.string(),
  host: z.string(),
  pid: z.number(),
  version: z.string(),
  uptimeS: z.number(),
  queues: z.array(z.number()).optional(),
  processes: z.number().optional(),
  busy: z.number().optional(),
  tasksDone: z.number().optional(),
  /** The port of this worker's or beat's own `GET /metrics` (FUNC_METRICS_PORT), when it serves one. */
  metricsPort: z.number().optional(),
  /** A server: true while it is the stack's subscription maintainer (holds the `subscriptions` lease). */
  subscriptions: z.boolean().optional(),
  lastSeen: z.number(),
});

export const queueStatus = z.object({
  queue: z.number(),
  length: z.number(),
  delayed: z.number(),
  inFlight: z.number(),
  done: z.number(),
  /** Worker units listening to this queue. */
  listeners: z.array(z.string()),
  /** Queue-map roles served by this queue (direct, syncAPI, cronJob…). */
  roles: z.array(z.string()),
});

export const topologyStatus = z.object({
  mode: z.enum(['embedded', 'production']),
  time: z.number(),
  topology: z.object({
    name: z.string(),
    queueMap: z.record(z.string(), z.number()),
    units: z.array(z.object({ name: z.string(), queues: z.array(z.number()), processes: z.number(), replicas: z.number() })),
  }),
  services: z.array(serviceStatus),
  queues: z.array(queueStatus),
});
export type TopologyStatus = z.output<typeof topologyStatus>;

export const getTopology = operation('getTopology', 'GET /api/v1/topology', 'general_r', {
  summary: 'Live services, queues (length, delayed, in flight, done) and worker units',
  output: topologyStatus,
});

export const events = operation('events', 'GET /api/v1/events', 'general_r', {
  raw: true,
  summary:
    'Server-sent events: `topology` (the /api/v1/topology body) every second, `alert` ({active} on connect, then {fired, resolved} as alerts change; /api/v1/alerts); auth by X-Dff-Auth-Token, ?xDFFAuthToken= or an access-key signature in the query (xDffAkId, xDffAkTimestamp, xDffAkNonce, xDffAkSign)',
  output: z.string(),
});
