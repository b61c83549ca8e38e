/**
 * Debugging runs: replay a recorded task with its exact kwargs (and, for API calls, the request
 * the function saw, credentials masked) against the draft or a published version, and compare
 * two runs of a function.
 */
import { z } from 'zod';
import { operation } from '../operation.js';
import { anyJson, taskIdField, taskIdParams } from '../common.js';
import { draftRunResult, liveKey } from './calls.js';

export const replayTask = operation('replayTask', 'POST /api/v1/tasks/:id/do/replay', 'general_w', {
  summary: 'Run a recorded task again on the debug queue with its kwargs (and HTTP request), against the draft or a published version; a new record linked to the original',
  params: taskIdParams,
  body: z
    .object({
      /** `draft` (default) or a published version number of the function's script. */
      against: z.union([z.literal('draft'), z.number().int().min(1)]).optional(),
      /** Watch the replay's lines live under this key (as callFuncDraft's). */
      liveKey: liveKey.optional(),
    })
    .optional(),
  output: draftRunResult.extend({
    replayOf: z.string(),
    against: z.union([z.literal('draft'), z.number()]),
    funcId: z.string(),
    kwargs: z.record(z.string(), anyJson),
  }),
});

const runSide = z.object({
  id: z.string(),
  funcId: z.string(),
  status: z.string(),
  origin: z.string(),
  replayOf: z.string().nullable(),
  triggerTimeMs: z.number(),
  durationMs: z.number().nullable(),
  peakMemoryMb: z.number().nullable(),
  returnValue: anyJson,
  printLogs: z.array(z.string()),
  exceptionType: z.string().nullable(),
  exceptionTEXT: z.string().nullable(),
});

export const jsonChange = z.object({
  path: z.string(),
  kind: z.enum(['added', 'removed', 'changed']),
  a: anyJson.optional(),
  b: anyJson.optional(),
});

export const diffTaskRecords = operation('diffTaskRecords', 'GET /api/v1/task-records/do/diff', 'general_r', {
  summary: 'Two runs side by side: the structural diff of their return values and kwargs, their print logs, durations and peak memory',
  query: z.object({ a: taskIdField, b: taskIdField }),
  output: z.object({
    a: runSide,
    b: runSide,
    sameFunc: z.boolean(),
    returnValueChanges: z.array(jsonChange),
    kwargsChanges: z.array(jsonChange),
    durationDeltaMs: z.number().nullable(),
    peakMemoryDeltaMb: z.number().nullable(),
  }),
});

export const streamTaskLogs = operation('streamTaskLogs', 'GET /api/v1/tasks/:id/logs/stream', 'general_r', {
  raw: true,
  summary:
    "Server-sent events of a running task's print / DFF.LOG lines as they are written (`:id` a task id, or the liveKey a debug run was started with): `lines` {seq, lines}, then `end` {status} once its record is stored (at once for a task already ended); auth as /api/v1/events (the token or an access-key signature may be in the query)",
  params: z.object({ id: z.string().regex(/^[a-zA-Z0-9_-]{1,70}$/, 'invalid task id or live key') }),
  output: z.string(),
});
