/**
 * Autoscaling policies of the stack's worker units: min and max replicas, a target (the p95
 * wait of the unit's queues, or the load against capacity), a cool-down and a hysteresis band;
 * one leader server evaluates them and applies changes through the stack-change path
 * (`by: autoscaler`). The autoscaler's last decisions and a series of replicas against queue
 * depth come with each policy.
 */
import { z } from 'zod';
import { operation } from '../operation.js';
import { UNIT_NAME } from './stack.js';

const unitParam = z.object({ unit: z.string().regex(UNIT_NAME, 'must be a unit name (lowercase letters, digits and dashes)') });

export const autoscaleTarget = z.discriminatedUnion('kind', [
  /** Keep the predicted p95 wait of the unit's waiting tasks at most `waitMs`. */
  z.object({ kind: z.literal('wait'), waitMs: z.number().int().min(100, 'at least 100 ms').max(3_600_000, 'at most 1 hour') }).strict(),
  /** Keep the load M at most `utilization` of the capacity A (0.8 = 80 %). */
  z.object({ kind: z.literal('load'), utilization: z.number().gt(0, 'more than 0').max(1, 'at most 1 (100 %)') }).strict(),
]);

export const autoscaleSpec = z
  .object({
    minReplicas: z.number().int().min(0).max(100),
    maxReplicas: z.number().int().min(1).max(100),
    target: autoscaleTarget,
    cooldownMs: z.number().int().min(0).max(86_400_000).default(60_000),
    hysteresis: z.number().min(0).max(0.95).default(0.3),
  })
  .strict()
  .refine((s) => s.minReplicas <= s.maxReplicas, { error: 'must not be more than maxReplicas', path: ['minReplicas'] });

const decision = z.object({
  time: z.number(),
  from: z.number(),
  to: z.number(),
  reason: z.string(),
  changeId: z.string().optional(),
  state: z.enum(['applied', 'failed', 'paused']),
  error: z.string().optional(),
});

export const autoscalePolicy = z.object({
  stack: z.string(),
  unit: z.string(),
  spec: z.object({ minReplicas: z.number(), maxReplicas: z.number(), target: autoscaleTarget, cooldownMs: z.number(), hysteresis: z.number() }),
  paused: z.boolean(),
  /** Why the autoscaler paused it (an engine error, the unit gone); cleared by setting or resuming it. */
  error: z.string().nullable(),
  state: z.object({
    lastChangeAt: z.number().nullable(),
    lowSince: z.number().nullable(),
    lastEvaluatedAt: z.number().nullable(),
    lastReason: z.string().nullable(),
    /** Newest last. */
    decisions: z.array(decision),
    /** One per evaluation, newest last: the replicas and the waiting tasks on the unit's queues. */
    samples: z.array(z.object({ time: z.number(), replicas: z.number(), backlog: z.number().nullable() })),
  }),
  updateTime: z.number(),
});
export type AutoscalePolicy = z.output<typeof autoscalePolicy>;

export const listAutoscalePolicies = operation('listAutoscalePolicies', 'GET /api/v1/stack/autoscale', 'stack_r', {
  summary: "The autoscaling policies of the stack's units with the autoscaler's last decisions and samples",
  output: z.array(autoscalePolicy),
});

export const setAutoscalePolicy = operation('setAutoscalePolicy', 'POST /api/v1/stack/autoscale/:unit/do/set', 'stack_w', {
  summary: 'Create or replace the autoscaling policy of a deployed worker unit (clears a pause and its error unless paused is given)',
  params: unitParam,
  body: z.object({ spec: autoscaleSpec, paused: z.boolean().default(false) }).strict(),
  output: autoscalePolicy,
});

export const pauseAutoscalePolicy = operation('pauseAutoscalePolicy', 'POST /api/v1/stack/autoscale/:unit/do/pause', 'stack_w', {
  summary: 'Pause (paused: true) or resume (false, clearing the error) the autoscaling of a unit',
  params: unitParam,
  body: z.object({ paused: z.boolean() }).strict(),
  output: autoscalePolicy,
});

export const deleteAutoscalePolicy = operation('deleteAutoscalePolicy', 'POST /api/v1/stack/autoscale/:unit/do/delete', 'stack_w', {
  summary: 'Remove the autoscaling policy of a unit (its replicas stay as they are)',
  params: unitParam,
  output: z.object({ unit: z.string(), deleted: z.boolean() }),
});
