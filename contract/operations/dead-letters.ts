/**
 * Dead letters: tasks delivered the maximum number of times (5) without an outcome — a task
 * that kept killing its worker — moved out of their queue for good. Their task records end
 * `failure` / `EWorkerNoResponse`; this lists the broker's side: when, how often and to whom
 * each was delivered.
 */
import { z } from 'zod';
import { operation } from '../operation.js';
import { jsonObject, queryIntBetween, taskIdField } from '../common.js';

export const DEAD_LETTER_LIMIT_MAX = 500;

export const deadLetter = z.object({
  taskId: z.string(),
  funcId: z.string(),
  queue: z.number(),
  /**
   * Deliveries its last attempt had (5 for one dead-lettered for its deliveries); not its
   * attempts: a task whose retries were used up says how many in `reason`, and its record lists
   * them (`attempts`).
   */
  attempts: z.number(),
  /** Epoch ms when it was dead-lettered. */
  at: z.number(),
  /** Every delivery of its last attempt, oldest first: its number (`attempt`), the consumer (`unit@host:pid#process`) that reserved it and when. */
  history: z.array(z.object({ attempt: z.number(), consumer: z.string(), at: z.number() })),
  /** Why it was moved, when not for its deliveries: `retries used up: N attempts, the last failure` (N = runs, the first one included). */
  reason: z.string().optional(),
  /** The task message as it was queued (`httpRequest.headers` left out: they may carry credentials). */
  task: z
    .object({
      id: z.string(),
      funcId: z.string(),
      kwargs: jsonObject,
      origin: z.string(),
      originId: z.string(),
      queue: z.number(),
      timeoutMs: z.number(),
      expiresAt: z.number(),
      triggerTime: z.number(),
    })
    .loose(),
});
export type DeadLetter = z.output<typeof deadLetter>;

export const listDeadLetters = operation('listDeadLetters', 'GET /api/v1/dead-letters', 'general_r', {
  summary: 'Dead letters, newest first: tasks delivered 5 times without an outcome (each delivery with its consumer and time)',
  query: z.object({
    limit: queryIntBetween(1, DEAD_LETTER_LIMIT_MAX).default(100),
  }),
  output: z.array(deadLetter),
});

export const MAX_REQUEUE = 100;

export const requeueDeadLetters = operation('requeueDeadLetters', 'POST /api/v1/dead-letters/do/requeue', 'general_w', {
  summary: 'Run dead letters again: each taken out of the dead letters and queued as a new task linked to the original (replayOf)',
  body: z.object({
    taskIds: z.array(taskIdField).min(1).max(MAX_REQUEUE),
  }),
  output: z.object({
    requeued: z.array(z.object({ taskId: z.string(), newTaskId: z.string(), queue: z.number() })),
    /** Ids that were not (or no longer) dead letters. */
    notFound: z.array(z.string()),
  }),
});
