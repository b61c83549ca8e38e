/**
 * Turning a call into a TaskMessage: queue, timeout and expiry by precedence
 * (call option > decorator > default by origin, as DataFlux Func).
 */
import { ApiError, badField } from '../../../../contract/errors.js';
import { ISO_TIME_FORMS, parseIsoTime } from '../../../../contract/iso-time.js';
import { MAX_DELAY_S } from '../../../../contract/operations/calls.js';
import type { FuncRow } from '../ports/store.js';
import type { QueueRole, Topology } from '../topology/topology.js';
import { newTaskId } from '../ids.js';
import type { CronJobExecMode, TaskHttpRequest, TaskMessage, TaskOrigin } from './task.js';
import { MAX_RETRIES } from './retry.js';

export const DEFAULT_TIMEOUT_S: Record<TaskOrigin, number> = {
  direct: 35,
  syncAPI: 35,
  asyncAPI: 3600,
  cronJob: 35,
  debugger: 60,
  connector: 35,
  func: 35,
  apiAuth: 10,
};
const ROLE_OF: Record<TaskOrigin, QueueRole> = {
  direct: 'direct',
  syncAPI: 'syncAPI',
  asyncAPI: 'asyncAPI',
  cronJob: 'cronJob',
  debugger: 'debugger',
  connector: 'subscription',
  func: 'asyncAPI',
  apiAuth: 'syncAPI',
};
export const MAX_CALL_CHAIN = 5;

export interface TaskOptionsInput {
  timeout?: number | undefined;
  expires?: number | undefined;
  queue?: number | undefined;
  /** ISO 8601 date or date-time (contract/iso-time.ts; without an offset, UTC) or epoch ms. */
  eta?: string | number | undefined;
  /** Seconds from now. */
  delay?: number | undefined;
  /** Retries after a failure or timeout (0-10; domain/tasks/retry.ts), and the first back-off in seconds. */
  retry?: number | undefined;
  retryBackoff?: number | undefined;
}

export interface BuildTaskInput {
  func: FuncRow;
  kwargs: Record<string, unknown>;
  origin: TaskOrigin;
  originId: string;
  options?: TaskOptionsInput;
  topology: Topology;
  now: number;
  draft?: boolean;
  waitResult?: boolean;
  httpRequest?: TaskHttpRequest;
  cronExpr?: string;
  cronJobId?: string;
  /** A cron job's task run by hand (default: by its schedule). */
  cronJobExecMode?: CronJobExecMode;
  parent?: TaskMessage;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * When the task may run, from `options.eta` (wins) or `options.delay`: undefined for now. An eta
 * already past runs the task now (its expiry counts from now, not from the eta); one more than
 * MAX_DELAY_S ahead, or not a time, is refused (400 naming the option) — whatever the caller
 * (HTTP checks the same bound in the contract; a function's DFF.FUNC call comes here directly).
 */
function etaOf(options: TaskOptionsInput, now: number): number | undefined {
  const maxMs = MAX_DELAY_S * 1000;
  if (options.eta !== undefined) {
    const eta = typeof options.eta === 'number' ? options.eta : parseIsoTime(options.eta);
    if (eta === undefined || !Number.isFinite(eta)) throw badField('options.eta', `${ISO_TIME_FORMS} (or epoch ms)`);
    if (eta - now > maxMs) throw badField('options.eta', `must be at most ${MAX_DELAY_S / 86400} days ahead`);
    return eta > now ? eta : undefined;
  }
  const delay = options.delay;
  if (delay === undefined) return undefined;
  if (typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0 || delay > MAX_DELAY_S) {
    throw badField('options.delay', `must be between 0 and ${MAX_DELAY_S} seconds (${MAX_DELAY_S / 86400} days)`);
  }
  return delay > 0 ? now + delay * 1000 : undefined;
}

/**
 * The queue of a call that names none and whose function's decorator names none: a DFF.FUNC
 * sub-task stays on its caller's queue (DataFlux Func's `_call_func`); others, a script's call of
 * an API or cron job too (DataFlux's entity helpers), go to the queue of their origin's role.
 */
function defaultQueue(input: BuildTaskInput): number {
  if (input.origin === 'func' && input.parent) return input.parent.queue;
  return input.topology.queueMap[ROLE_OF[input.origin]];
}

export function buildTask(input: BuildTaskInput): TaskMessage {
  const { func, options = {}, now } = input;
  const extra = func.extraConfigJSON;
  const timeoutS = options.timeout ?? num(extra.timeout) ?? DEFAULT_TIMEOUT_S[input.origin];
  const expiresS =
    options.expires ??
    num(extra.expires) ??
    (input.origin === 'syncAPI' || input.origin === 'asyncAPI' || input.origin === 'direct' || input.origin === 'apiAuth' ? timeoutS : 900);
  const queue = input.origin === 'debugger' ? input.topology.queueMap.debugger : (options.queue ?? num(extra.queue) ?? defaultQueue(input));
  const eta = etaOf(options, now);
  const callChain = input.parent ? [...(input.parent.callChain ?? []), input.parent.funcId] : [];
  if (callChain.length >= MAX_CALL_CHAIN)
    throw new ApiError('EClientBadRequest', `call chain longer than ${MAX_CALL_CHAIN}: ${[...callChain, func.id].join(' → ')}`, { field: 'funcId' });
  if (callChain.includes(func.id)) throw new ApiError('EClientBadRequest', `circular call: ${[...callChain, func.id].join(' → ')}`, { field: 'funcId' });
  const start = eta ?? now;
  const task: TaskMessage = {
    id: newTaskId(),
    funcId: func.id,
    scriptId: func.scriptId,
    funcName: func.name,
    kwargs: input.kwargs,
    origin: input.origin,
    originId: input.originId,
    queue,
    timeoutMs: timeoutS * 1000,
    expiresAt: start + expiresS * 1000,
    triggerTime: now,
  };
  if (eta !== undefined) task.eta = eta;
  if (options.eta !== undefined) task.askedEta = new Date(typeof options.eta === 'number' ? options.eta : parseIsoTime(options.eta)!).toISOString();
  else if (options.delay !== undefined && options.delay > 0) task.delay = options.delay;
  if (input.draft) task.draft = true;
  // A publish rewrites the script's function rows: their update time marks the published version.
  else task.publishedAt = func.updateTime;
  if (input.waitResult) task.waitResult = true;
  if (input.httpRequest) task.httpRequest = input.httpRequest;
  if (input.cronExpr) task.cronExpr = input.cronExpr;
  if (input.cronJobId) {
    task.cronJobId = input.cronJobId;
    task.cronJobExecMode = input.cronJobExecMode ?? 'cronJob';
  }
  if (input.parent) {
    task.rootTaskId = input.parent.rootTaskId ?? input.parent.id;
    task.callChain = callChain;
  }
  const retry = options.retry ?? num(extra.retry);
  if (retry !== undefined && (!Number.isInteger(retry) || retry < 0 || retry > MAX_RETRIES)) throw badField('options.retry', `must be an integer from 0 to ${MAX_RETRIES}`);
  const backoff = options.retryBackoff ?? num(extra.retryBackoff);
  if (backoff !== undefined && !(backoff >= 0.1 && backoff <= 3600)) throw badField('options.retryBackoff', 'must be between 0.1 and 3600 seconds');
  // Debug runs are never retried: their caller wants this run's outcome.
  if (retry && input.origin !== 'debugger') {
    task.retry = retry;
    if (backoff !== undefined) task.retryBackoffMs = Math.round(backoff * 1000);
  }
  // `cache_result` may be a float; as DataFlux Func's server, the whole seconds count (under 1: no cache).
  const cache = num(extra.cacheResult);
  if (cache !== undefined && Math.trunc(cache) > 0) {
    task.cacheResultSeconds = Math.trunc(cache);
  }
  return task;
}

/**
 * What is wrong with kwargs for a function: an argument it does not take, or (`complete`) one it
 * needs and is not given; nothing for a function with **kwargs.
 */
export function kwargsProblem(func: FuncRow, kwargs: Record<string, unknown>, complete = true): { name: string; message: string } | null {
  if (func.extraConfigJSON.varKwargs === true) return null;
  // `*args` / `**kwargs` are listed too (as DataFlux Func lists them), never names a caller gives.
  const known = new Set([...func.argsJSON, ...Object.keys(func.kwargsJSON)].filter((n) => !n.startsWith('*')));
  for (const key of Object.keys(kwargs)) {
    if (!known.has(key)) return { name: key, message: `${func.id} takes no argument "${key}" (it takes: ${[...known].join(', ') || 'none'})` };
  }
  if (!complete) return null;
  for (const [name, spec] of Object.entries(func.kwargsJSON)) {
    const s = spec as { hasDefault?: boolean } | null;
    if (s && s.hasDefault === false && !Object.hasOwn(kwargs, name) && func.argsJSON.includes(name)) return { name, message: `${func.id} needs the argument "${name}"` };
  }
  return null;
}

/** Refuse a call's kwargs the function does not take, or without one it needs (unless it has **kwargs). */
export function checkKwargs(func: FuncRow, kwargs: Record<string, unknown>): void {
  const problem = kwargsProblem(func, kwargs);
  if (problem) throw new ApiError('EClientBadRequest', problem.message, { field: `kwargs.${problem.name}`, funcId: func.id });
}

export const INPUT_BY_CALLER = 'INPUT_BY_CALLER';
/** Values of an API's kwargs left to its caller (DataFlux Func's `_FUNC_ARGUMENT_PLACEHOLDER_LIST`). */
export const ARGUMENT_PLACEHOLDERS: readonly string[] = [INPUT_BY_CALLER, 'FROM_PARAMETER'];
const PLACEHOLDERS = new Set(ARGUMENT_PLACEHOLDERS);

/** An API's kwarg left to its caller (`INPUT_BY_CALLER`, or DataFlux Func's older `FROM_PARAMETER`). */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDERS.has(value);
}

/**
 * Sync/async API kwargs: the API's fixed kwargs, with placeholders filled by the caller
 * (dropped when the caller leaves them out, so the Python default applies); a caller may not
 * override a fixed value; other keys from the caller are added.
 */
export function mergeApiKwargs(fixed: Record<string, unknown>, fromCaller: Record<string, unknown>, funcId: string): Record<string, unknown> {
  // Own keys only, and the result built with Object.fromEntries: a kwarg named constructor,
  // toString or __proto__ is a kwarg like any other, not a member of Object.prototype.
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(fixed)) {
    const placeholder = typeof v === 'string' && PLACEHOLDERS.has(v);
    if (!placeholder) out.push([k, v]);
    else if (Object.hasOwn(fromCaller, k)) out.push([k, fromCaller[k]]);
  }
  for (const [k, v] of Object.entries(fromCaller)) {
    if (Object.hasOwn(fixed, k)) {
      const f = fixed[k];
      if (!(typeof f === 'string' && PLACEHOLDERS.has(f))) {
        throw new ApiError('EClientBadRequest', `Cannot specify a fixed kwargs field: ${k}`, { field: `kwargs.${k}`, kwargsField: k, funcId });
      }
    } else out.push([k, v]);
  }
  return Object.fromEntries(out);
}
