/**
 * The stack on Docker swarm: what is deployed, and changes to it (scale, limits, split, merge,
 * move a queue). A change is planned first (validated, explained, the steps listed), then
 * applied in the background with its progress readable until the swarm has converged.
 */
import { z } from 'zod';
import { operation } from '../operation.js';
import { queryIntBetween } from '../common.js';

/** A worker unit's name. */
export const UNIT_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const unitName = z.string().regex(UNIT_NAME, 'must be lowercase letters, digits and dashes (at most 63)');
const queue = z.number().int().min(0).max(15);
const queueList = z.array(queue).min(1, 'give at least one queue');

/** `null` clears the value; a missing field leaves it as it is. */
const resourcesPatch = z
  .object({
    cpus: z.number().positive().max(256).nullable().optional(),
    memoryMb: z.number().int().min(64).max(1_048_576, 'at most 1048576 MiB (1 TiB)').nullable().optional(),
  })
  .strict();

export const stackChange = z.discriminatedUnion('op', [
  z.object({ op: z.literal('scale'), unit: z.string(), replicas: z.number().int().min(0).max(100) }).strict(),
  z.object({ op: z.literal('processes'), unit: z.string(), processes: z.number().int().min(1).max(64) }).strict(),
  z.object({ op: z.literal('limit'), unit: z.string(), limits: resourcesPatch.optional(), reservations: resourcesPatch.optional() }).strict(),
  /** Move `queues` out of `unit` into a new unit (named after its queues unless `newUnit` is given). */
  z.object({ op: z.literal('split'), unit: z.string(), queues: queueList, newUnit: unitName.optional() }).strict(),
  /** Merge the units into one listening to all their queues (named after its queues unless `into` is given). */
  z.object({ op: z.literal('merge'), units: z.array(z.string()).min(2, 'merge needs at least two units'), into: unitName.optional() }).strict(),
  /** Move one queue from a unit to another, or to a new unit of its own when `to` is absent. */
  z.object({ op: z.literal('moveQueue'), queue, from: z.string(), to: z.string().optional() }).strict(),
]);
export type StackChange = z.output<typeof stackChange>;

const resources = z.object({ cpus: z.number().optional(), memoryMb: z.number().optional() });

export const stackUnit = z.object({
  name: z.string(),
  queues: z.array(z.number()),
  processes: z.number(),
  replicas: z.number(),
  limits: resources.optional(),
  reservations: resources.optional(),
});

export const stackTopology = z.object({
  name: z.string(),
  queueMap: z.record(z.string(), z.number()),
  units: z.array(stackUnit),
});

export const planStep = z.object({
  kind: z.enum(['create', 'wait', 'update', 'remove']),
  service: z.string(),
  description: z.string(),
  /** An intermediate update: listen to these queues (old and new together) until a later step narrows them. */
  queues: z.array(z.number()).optional(),
});
export type PlanStep = z.output<typeof planStep>;

export const stackPlan = z.object({
  change: stackChange,
  /** One sentence saying what the change does. */
  summary: z.string(),
  before: stackTopology,
  after: stackTopology,
  steps: z.array(planStep),
});
export type StackPlan = z.output<typeof stackPlan>;

export const stackService = z.object({
  /** Swarm service name (`<stack>_<service>`). */
  name: z.string(),
  service: z.string(),
  role: z.enum(['server', 'worker', 'beat', 'redis', 'mysql']),
  unit: z.string().optional(),
  queues: z.array(z.number()).optional(),
  processes: z.number().optional(),
  image: z.string(),
  desired: z.number(),
  running: z.number(),
  limits: resources.optional(),
  reservations: resources.optional(),
  /** Last problem reported by a task of the service (e.g. "no suitable node"), if any. */
  problem: z.string().optional(),
});
export type StackServiceStatus = z.output<typeof stackService>;

export const stackStatus = z.object({
  /** False when this server has no Docker endpoint configured (FUNC_DOCKER_HOST). */
  configured: z.boolean(),
  endpoint: z.string().optional(),
  stack: z.string(),
  deployed: z.boolean(),
  topology: stackTopology.optional(),
  services: z.array(stackService),
  /** Why the engine could not be read, when it could not. */
  error: z.string().optional(),
});
export type StackStatus = z.output<typeof stackStatus>;

export const changeProgress = z.object({
  id: z.string(),
  state: z.enum(['running', 'done', 'failed']),
  plan: stackPlan,
  /** Index of the step in progress (steps before it are done). */
  step: z.number(),
  log: z.array(z.object({ time: z.number(), message: z.string() })),
  error: z.string().optional(),
  startedAt: z.number(),
  endedAt: z.number().optional(),
  /** Who asked for it: `autoscaler` for the autoscaler's changes (absent for an operator's). */
  by: z.string().optional(),
  /** Why, when the autoscaler made it. */
  reason: z.string().optional(),
});
export type ChangeProgress = z.output<typeof changeProgress>;

export const getStack = operation('getStack', 'GET /api/v1/stack', 'stack_r', {
  summary: 'The stack deployed on the configured Docker swarm: services, replicas desired/running, limits, and the topology read back from their labels',
  output: stackStatus,
});

export const planStackChange = operation('planStackChange', 'POST /api/v1/stack/do/plan', 'stack_w', {
  summary:
    'Validate a change (scale, processes, limit, split, merge, moveQueue) against the deployed stack and list the steps it would take; refused changes answer 403 EBizCondition with the reasons',
  body: z.object({ change: stackChange }),
  output: stackPlan,
});

export const applyStackChange = operation('applyStackChange', 'POST /api/v1/stack/do/apply', 'stack_w', {
  summary: 'Plan and start a change; it runs in the background (one at a time). Follow it at /api/v1/stack/changes/:id',
  body: z.object({ change: stackChange }),
  output: changeProgress,
});

export const getStackChange = operation('getStackChange', 'GET /api/v1/stack/changes/:id', 'stack_r', {
  summary: 'Progress of a change: the step in progress, a log, done or failed',
  params: z.object({ id: z.string().regex(/^[a-zA-Z0-9-]{1,64}$/, 'invalid id') }),
  output: changeProgress,
});

export const listStackChanges = operation('listStackChanges', 'GET /api/v1/stack/changes', 'stack_r', {
  summary: "The last changes this server applied (operators' and the autoscaler's, with who and why), newest first",
  output: z.array(changeProgress),
});

export const queueCapacity = z.object({
  queue: z.number(),
  roles: z.array(z.string()),
  /** Finished tasks of this queue in the window that had a start and an end. */
  samples: z.number(),
  /** Measured task duration (start to end) in ms; null without samples. */
  meanMs: z.number().nullable(),
  p90Ms: z.number().nullable(),
  /** Load the queue carries now: finished tasks per minute over the window. */
  tasksPerMinute: z.number(),
  /** Units listening to the queue, with processes per replica and replicas. */
  units: z.array(z.object({ name: z.string(), processes: z.number(), replicas: z.number() })),
  /** `processes × 60000 ÷ T` with T = the mean duration and the processes of the first listening unit; null when unknown. */
  capacityPerReplica: z.number().nullable(),
  /** `ceil(load ÷ capacity)`; null when unknown. */
  replicasNeeded: z.number().nullable(),
});
export type QueueCapacity = z.output<typeof queueCapacity>;

export const capacityReport = z.object({
  windowMinutes: z.number(),
  time: z.number(),
  queues: z.array(queueCapacity),
});
export type CapacityReport = z.output<typeof capacityReport>;

export const getCapacity = operation('getCapacity', 'GET /api/v1/stack/capacity', 'general_r', {
  summary:
    'Capacity planner: per queue the measured task duration (mean, p90) from task records, the load now, capacity per replica (processes × 60000 ÷ T) and replicas needed (ceil(M ÷ A))',
  query: z.object({ windowMinutes: queryIntBetween(1, 10080).default(60) }),
  output: capacityReport,
});
