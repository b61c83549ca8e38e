/** Calls of sync and async APIs (normal and simplified formats, INPUT_BY_CALLER). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, badField } from '../../../../contract/errors.js';
import { hugeNumberMessage, hugeNumberPath, jsonNestsDeeperThan, tooDeepMessage } from '../../../../contract/json-depth.js';
import { callOptions, type CallOptions } from '../../../../contract/operations/calls.js';
import type { AsyncApiRow, FuncRow, SyncApiRow } from '../../domain/ports/store.js';
import { refuseLateSyncStart } from '../../domain/tasks/dispatcher.js';
import { buildTask, isPlaceholder, kwargsProblem, mergeApiKwargs } from '../../domain/tasks/build-task.js';
import type { TaskMessage, TaskUpload, UploadedFileInfo } from '../../domain/tasks/task.js';
import type { AppContext } from '../app-context.js';
import { parseInput } from '../../../../contract/errors.js';
import type { Handlers } from '../handler.js';
import { confineFunctionResponse, sendOutcome } from '../send-outcome.js';
import { checkApiAuth, checkThrottling } from './api-guard.js';
import { requireFunc } from './lookups.js';
import { opaqueQuery } from '../request-records.js';
import { taskHttpRequest, withoutCredentialFields } from '../task-http-request.js';
import { bodyWithoutFiles, isMultipartType, type MultipartBody, type MultipartFile } from '../multipart.js';

const asObject = (v: unknown, field: string): Record<string, unknown> => {
  let value = v;
  if (typeof value === 'string') {
    if (jsonNestsDeeperThan(value)) throw badField(field, tooDeepMessage());
    const text = value;
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      // DataFlux Func's words for kwargs; the body or options sent as text that is no JSON object say so.
      throw new ApiError('EClientBadRequest', field === 'kwargs' ? `${field}: Invalid kwargs, bad JSON format` : `${field}: must be a JSON object`, { field });
    }
    const huge = hugeNumberPath(text, value, field);
    if (huge) throw badField(huge, hugeNumberMessage);
  }
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ApiError('EClientBadRequest', `${field}: must be a JSON object`, { field });
  return value as Record<string, unknown>;
};

interface CallerInput {
  kwargs: Record<string, unknown>;
  /** All of them reach the task but `async` (ignored, as by DataFlux Func: a sync API waits, an async API does not), `unbox` and `returnType` (the answer's). */
  options: CallOptions;
}

/** An API call's formats, as DataFlux Func's route.yaml lists them (`s` is short for simplified). */
const API_FORMATS = ['normal', 's', 'simplified'] as const;

function callerInput(format: string | undefined, method: string, query: Record<string, unknown>, body: unknown): CallerInput {
  const input = method === 'GET' ? query : body;
  if (format === undefined || format === 'normal') {
    const obj = asObject(input, method === 'GET' ? 'query' : 'body');
    return { kwargs: asObject(obj.kwargs, 'kwargs'), options: parseInput(callOptions, asObject(obj.options, 'options'), 'options') };
  }
  if (format === 'simplified' || format === 's') return { kwargs: asObject(input, method === 'GET' ? 'query' : 'body'), options: {} };
  throw new ApiError('EClientBadRequest', `format: "${format}" is not one of ${API_FORMATS.join(', ')}`, { field: 'format' });
}

/** The files of a multipart/form-data body (server/multipart.ts), or none. */
function uploadedFiles(req: FastifyRequest): MultipartFile[] {
  if (!isMultipartType(req.headers['content-type'])) return [];
  const body = req.body as MultipartBody | undefined;
  return Array.isArray(body?.files) ? body.files : [];
}

/**
 * Uploaded files as DataFlux Func hands them to the function (`kwargs.files`, multer's fields
 * but `filePath`, which the worker adds where it writes them), and their bytes for the task.
 */
function uploads(files: MultipartFile[]): { info: UploadedFileInfo[]; bytes: TaskUpload[] } {
  return {
    info: files.map((f) => ({ originalname: f.filename, encoding: f.encoding, mimetype: f.contentType, size: f.data.byteLength })),
    bytes: files.map((f) => ({ base64: Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength).toString('base64') })),
  };
}

/**
 * The merged kwargs fit the function. A problem with an argument the API itself fixes (its
 * function was published again with other arguments since) is the API's, not the caller's: 403
 * naming the API and its `funcCallKwargsJSON` field.
 */
function checkApiKwargs(func: FuncRow, kwargs: Record<string, unknown>, api: SyncApiRow | AsyncApiRow, label: string): void {
  const problem = kwargsProblem(func, kwargs);
  if (!problem) return;
  const fixed = api.funcCallKwargsJSON[problem.name];
  if (Object.hasOwn(api.funcCallKwargsJSON, problem.name) && !(typeof fixed === 'string' && isPlaceholder(fixed))) {
    throw new ApiError('EBizCondition', `${label} ${api.id} no longer fits its function: ${problem.message}; modify the ${label}`, {
      field: `funcCallKwargsJSON.${problem.name}`,
      id: api.id,
      funcId: func.id,
    });
  }
  throw new ApiError('EClientBadRequest', problem.message, { field: `kwargs.${problem.name}`, funcId: func.id });
}

async function prepare(
  ctx: AppContext,
  kind: 'syncAPI' | 'asyncAPI',
  id: string,
  req: FastifyRequest,
  reply: FastifyReply,
  format: string | undefined,
): Promise<{ task: TaskMessage; input: CallerInput }> {
  const label = kind === 'syncAPI' ? 'Sync API' : 'Async API';
  // Before the API's auth: a refused call's query may hold a credential too.
  opaqueQuery(req);
  confineFunctionResponse(reply);
  const api: SyncApiRow | AsyncApiRow | undefined = await ctx.store.entity(kind === 'syncAPI' ? 'syncApis' : 'asyncApis').get(id);
  if (!api) throw new ApiError('EClientNotFound', `No such ${label}: ${id}`, { field: 'id', id });
  // As DataFlux Func: the API's own auth first, so a caller without credentials learns nothing of its state.
  const secretFields = await checkApiAuth(ctx, api, req, reply, kind);
  const credentialFields = secretFields.filter((f) => f.location !== 'header').map((f) => f.name);
  const sub = kind === 'syncAPI' ? 'SyncAPI' : 'AsyncAPI';
  if (api.isDisabled) throw new ApiError('EBizCondition', `${label} ${id} is disabled`, { id }, `${sub}Disabled`);
  if (api.expireTime !== null && api.expireTime < ctx.now()) throw new ApiError('EBizCondition', `${label} ${id} has expired`, { id }, `${sub}Expired`);
  await checkThrottling(ctx, api);
  const files = uploadedFiles(req);
  // A multipart body's files go to `kwargs.files` (their bytes in the task), its text fields are the input.
  const body = bodyWithoutFiles(req.headers['content-type'], req.body);
  const input = callerInput(format, req.method, req.query as Record<string, unknown>, body);
  for (const field of credentialFields) Reflect.deleteProperty(input.kwargs, field);
  const func = await requireFunc(ctx, api.funcId);
  const kwargs = mergeApiKwargs(api.funcCallKwargsJSON, input.kwargs, func.id);
  // Uploaded files: `files` of the kwargs, whatever the format, as DataFlux Func adds them after the caller's kwargs.
  const uploaded = files.length > 0 ? uploads(files) : undefined;
  if (uploaded) kwargs.files = uploaded.info;
  checkApiKwargs(func, kwargs, api, label);
  const now = ctx.now();
  const task = buildTask({
    func,
    kwargs,
    origin: kind,
    originId: api.id,
    // As DataFlux Func: the caller's eta, delay and expires too (a sync API's put off by 10 s at most, below).
    options: input.options,
    topology: ctx.topology,
    now,
    httpRequest: withoutCredentialFields(taskHttpRequest(req, body), secretFields),
  });
  if (kind === 'syncAPI') refuseLateSyncStart(task, now, 'options', input.options.eta !== undefined);
  if (secretFields.length > 0) task.httpRequestSecrets = secretFields;
  if (uploaded) task.uploads = uploaded.bytes;
  ctx.metrics.countTask(kind);
  return { task, input };
}

export const apiHandlers: Pick<Handlers, 'callSyncApi' | 'callAsyncApi'> = {
  callSyncApi: async ({ params }, { ctx, req, reply, traceId }) => {
    const { task, input } = await prepare(ctx, 'syncAPI', params.id, req, reply, params.format);
    const outcome = await ctx.dispatcher.call(task);
    await sendOutcome(reply, outcome, {
      unbox: input.options.unbox ?? true,
      returnType: input.options.returnType,
      traceId,
      showTraceback: false,
      cached: outcome?.cached === true,
    });
    return outcome?.result;
  },
  callAsyncApi: async ({ params }, { ctx, req, reply }) => {
    const { task } = await prepare(ctx, 'asyncAPI', params.id, req, reply, params.format);
    await ctx.dispatcher.submit(task);
    return { id: task.id };
  },
};
