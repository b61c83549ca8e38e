/** Calling functions: direct, draft (debug), sync and async APIs, cron jobs now; reading tasks. */
import { z } from 'zod';
import { defineOperation, operation } from '../operation.js';
import { anyJson, boolOrText, epochMsQuery, funcIdParams, idResult, intOrDigitsBetween, jsonObject, numberOrDigits, queryIntBetween, taskIdParams } from '../common.js';
import { ISO_TIME_FORMS, parseIsoTime } from '../iso-time.js';
import { hugeNumberMessage, hugeNumberPath, jsonNestsDeeperThan, tooDeepMessage } from '../json-depth.js';
import { pagingQuery } from './crud.js';

/** Where a task came from (its record's `origin`; a connector's subscription: `connector`, as DataFlux Func names it). */
export const TASK_ORIGINS = ['direct', 'syncAPI', 'asyncAPI', 'cronJob', 'debugger', 'connector', 'func', 'apiAuth'] as const;

/** A call's timeout bounds, seconds (DataFlux Func's `_FUNC_TASK_TIMEOUT_MIN` / `_MAX`). */
export const TIMEOUT_MIN_S = 1;
export const TIMEOUT_MAX_S = 3600;

/** `kwargs` and `options` may arrive as JSON text (DataFlux clients send both forms), nested no deeper than a body. */
const jsonText = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v, ctx) => {
    if (typeof v !== 'string') return v;
    if (jsonNestsDeeperThan(v)) {
      ctx.addIssue({ code: 'custom', message: tooDeepMessage() });
      return z.NEVER;
    }
    let value: unknown;
    try {
      value = JSON.parse(v) as unknown;
    } catch {
      return v;
    }
    const huge = hugeNumberPath(v, value, '');
    if (huge !== null) {
      ctx.addIssue({ code: 'custom', message: hugeNumberMessage, path: huge.split('.').slice(1) });
      return z.NEVER;
    }
    return value;
  }, schema);

/** Longest a call may be put off (`options.delay`, or `options.eta` ahead of now): 30 days. */
export const MAX_DELAY_S = 30 * 86400;

/**
 * An ISO 8601 date or date-time (`contract/iso-time.ts`; without an offset, UTC). A past eta runs
 * the task now; one further ahead than MAX_DELAY_S is refused.
 */
const etaOption = z.string().superRefine((v, ctx) => {
  const at = parseIsoTime(v);
  if (at === undefined) ctx.addIssue({ code: 'custom', message: ISO_TIME_FORMS });
  else if (at - Date.now() > MAX_DELAY_S * 1000) ctx.addIssue({ code: 'custom', message: `must be at most ${MAX_DELAY_S / 86400} days ahead` });
});

export const callOptions = z
  .object({
    // As a query string or form body gives them (`?options[unbox]=true`, `options[delay]=5`),
    // these two, delay, retry and retryBackoff may come as text too: "true"/"false"/"1"/"0", decimal digits.
    async: boolOrText.optional(),
    unbox: boolOrText.optional(),
    returnType: z.enum(['raw', 'jsonDumps']).optional(),
    // As DataFlux Func parseInt's them, these three may come as text of their digits too ("10").
    timeout: intOrDigitsBetween(TIMEOUT_MIN_S, TIMEOUT_MAX_S).optional(),
    expires: intOrDigitsBetween(1, 86400).optional(),
    queue: intOrDigitsBetween(1, 15).optional(),
    eta: etaOption.optional(),
    delay: numberOrDigits(z.number().min(0).max(MAX_DELAY_S)).optional(),
    /** Retries after a failure or timeout, each after a back-off (seconds, doubled each time, with jitter). */
    retry: intOrDigitsBetween(0, 10).optional(),
    retryBackoff: numberOrDigits(z.number().min(0.1).max(3600)).optional(),
  })
  .loose();
export type CallOptions = z.output<typeof callOptions>;

export const callFunc = operation('callFunc', 'POST /api/v1/func/:funcId', 'general_w', {
  raw: true,
  summary: 'Call a published function: data.result, or data.id with options.async',
  params: funcIdParams,
  body: z.object({ kwargs: jsonText(jsonObject).optional(), options: jsonText(callOptions).optional() }).loose(),
  output: z.union([
    z.object({ result: anyJson }),
    /** An async call: the task's id, where it stands in its queue (1 = next) and when it should start (epoch ms); null when not known. */
    z.object({ id: z.string(), queuePosition: z.number().nullable().optional(), predictedStartMs: z.number().nullable().optional() }),
  ]),
});

export const draftRunResult = z.object({
  status: z.string(),
  result: anyJson,
  printLogs: z.array(z.string()),
  printLogsTEXT: z.string(),
  exceptionType: z.string().nullable(),
  exception: z.string().nullable(),
  traceback: z.string().nullable(),
  errorLine: z.number().nullable(),
  reason: z.string().nullable(),
  cost: z.number(),
  peakMemoryMb: z.number().nullable(),
  taskId: z.string(),
  /** A failure: the innermost frame in a user script and its locals (repr, at most 300 characters each; at most 40, `more` left out). */
  locals: z
    .object({
      scriptId: z.string(),
      funcName: z.string(),
      line: z.number(),
      vars: z.array(z.object({ name: z.string(), type: z.string(), repr: z.string() })),
      more: z.number(),
    })
    .nullable(),
});

/** A key the console picks for a debug run, to watch its lines live (GET /api/v1/tasks/:key/logs/stream) before it knows the task id. */
export const liveKey = z.string().regex(/^live-[A-Za-z0-9_-]{16,64}$/, 'liveKey must be live- and 16 to 64 letters, digits, _ or -');

export const callFuncDraft = operation('callFuncDraft', 'POST /api/v1/func-draft/:funcId', 'general_w', {
  summary: 'Run the draft code of a function on the debug queue: result, print logs, traceback, cost, peak memory',
  params: funcIdParams,
  body: z.object({ kwargs: jsonText(jsonObject).optional(), options: jsonText(callOptions).optional(), liveKey: liveKey.optional() }).loose(),
  output: draftRunResult,
});

const apiParams = z.object({ id: z.string().min(1).max(64), format: z.string().optional() });

export const callSyncApi = defineOperation('callSyncApi', {
  methods: ['GET', 'POST'],
  auth: 'api',
  raw: true,
  // `…/:format/*`: DataFlux Func's clients may add a path after the format; the function sees the whole URL.
  paths: ['/api/v1/sync/:id', '/api/v1/sync/:id/:format', '/api/v1/sync/:id/:format/*', '/api/v1/al/:id', '/api/v1/al/:id/:format', '/api/v1/al/:id/:format/*'],
  summary: 'Call a sync API (normal format: {kwargs, options}; simplified: the query or body are the kwargs); answers the raw result',
  params: apiParams,
  query: jsonObject,
  body: anyJson,
  output: anyJson,
});

export const callAsyncApi = defineOperation('callAsyncApi', {
  methods: ['GET', 'POST'],
  auth: 'api',
  paths: ['/api/v1/async/:id', '/api/v1/async/:id/:format', '/api/v1/async/:id/:format/*', '/api/v1/bat/:id', '/api/v1/bat/:id/:format', '/api/v1/bat/:id/:format/*'],
  summary: 'Enqueue a call of an async API; answers data.id, queryable at once at /api/v1/tasks/:id',
  params: apiParams,
  query: jsonObject,
  body: anyJson,
  output: idResult,
});

export const runCronJob = operation('runCronJob', 'POST /api/v1/cron/:id', 'general_w', {
  summary: 'Run a cron job now',
  params: z.object({ id: z.string().min(1).max(64) }),
  body: anyJson,
  output: idResult,
});

export const taskInfo = z
  .object({
    id: z.string(),
    funcId: z.string(),
    origin: z.string(),
    originId: z.string(),
    queue: z.number(),
    status: z.string(),
    triggerTimeMs: z.number(),
    startTimeMs: z.number().nullable(),
    endTimeMs: z.number().nullable(),
    funcCallKwargsJSON: jsonObject,
    returnValueJSON: anyJson,
    printLogsTEXT: z.string().nullable(),
    exceptionType: z.string().nullable(),
    exceptionTEXT: z.string().nullable(),
    tracebackTEXT: z.string().nullable(),
    reason: z.string().nullable(),
    /** While it waits: 1 = the next task a worker takes on its queue; null when not waiting (or not known). */
    queuePosition: z.number().nullable().optional(),
    /** While it waits: when it should start (epoch ms), from the queue's measured task duration and processes; null when unknown. */
    predictedStartMs: z.number().nullable().optional(),
    /** The HTTP request an API call came with, credentials masked (null for other origins). */
    httpRequest: z.record(z.string(), anyJson).nullable().optional(),
    /** The task this one re-ran (a replay or a requeue). */
    replayOf: z.string().nullable().optional(),
    /**
     * How many times the broker delivered the attempt shown to a worker (at-least-once): 0 while it
     * waits, 1 once a worker took it, 2 or more when a worker died holding it (or stopped past its
     * grace) and another ran it again. Not which attempt it is: that is `attempts.length + 1`.
     */
    attempt: z.number().optional(),
    /** Earlier failed attempts of a retried task, oldest first; the record shows the one after the last of them. */
    attempts: z
      .array(
        z.object({
          /** Which attempt it was: 1 = the first run, 2 = the first retry… (not a delivery count). */
          attempt: z.number(),
          status: z.string(),
          startTimeMs: z.number().nullable(),
          endTimeMs: z.number().nullable(),
          exceptionType: z.string().nullable(),
          exceptionTEXT: z.string().nullable(),
          reason: z.string().nullable(),
          retryAtMs: z.number(),
        }),
      )
      .optional(),
  })
  .loose();

export const getTask = operation('getTask', 'GET /api/v1/tasks/:id', 'general_r', {
  summary: "One task's status, result and logs (available the moment its id is returned)",
  params: taskIdParams,
  output: taskInfo,
});

export const cancelTask = operation('cancelTask', 'POST /api/v1/tasks/:id/do/cancel', 'general_w', {
  summary: 'Cancel a task that waits (queued or delayed, not taken by a worker yet): removed from its queue, its record final as `cancelled`',
  params: taskIdParams,
  output: taskInfo,
});

export const listTaskRecords = defineOperation('listTaskRecords', {
  paths: ['/api/v1/task-records/func/do/list', '/api/v1/task-records/do/list'],
  permission: 'general_r',
  summary: 'Task records, newest first',
  fieldSelecting: true,
  query: z
    .object({
      id: z.string().optional(),
      funcId: z.string().optional(),
      origin: z.string().optional(),
      originId: z.string().optional(),
      rootTaskId: z.string().optional(),
      scriptSetId: z.string().optional(),
      scriptId: z.string().optional(),
      queue: queryIntBetween(0, 15).optional(),
      status: z.string().optional(),
      since: epochMsQuery.optional(),
      until: epochMsQuery.optional(),
      /** DataFlux Func's fuzzy search (server/routes/fuzzy-search.ts says which fields). */
      _fuzzySearch: z.string().max(1000).optional(),
      ...pagingQuery(1000),
    })
    .loose(),
  output: z.array(taskInfo),
});
