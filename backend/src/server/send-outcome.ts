/** Answering a call with a task's outcome: envelope, raw (unboxed) value, or the function's own response. */
import type { FastifyReply } from 'fastify';
import { ApiError, isErrorCode } from '../../../contract/errors.js';
import { okEnvelope } from '../../../contract/envelope.js';
import type { TaskOutcome } from '../domain/tasks/task.js';
import { attachment } from './content-disposition.js';
import { errorEnvelope } from './errors.js';
import { redirectLocation, responseContentType, responseHeaders, responseStatus } from './function-response.js';
import { sendWithEtag } from './not-modified.js';

export interface SendOptions {
  unbox: boolean;
  returnType?: 'raw' | 'jsonDumps' | undefined;
  traceId: string;
  /** Anonymous callers (sync APIs) never get a traceback. */
  showTraceback: boolean;
  cached?: boolean;
}

export function outcomeError(outcome: TaskOutcome | null, showTraceback: boolean): ApiError {
  if (!outcome) return new ApiError('EWorkerNoResponse', 'No worker finished the task in time; it may still run (its task record shows it once a worker has taken it)');
  const code = outcome.reason && isErrorCode(outcome.reason) ? outcome.reason : outcome.status === 'timeout' ? 'EFuncTimeout' : 'EFuncFailed';
  const detail: Record<string, unknown> = { exceptionType: outcome.exceptionType ?? null, exception: outcome.exception ?? null };
  if (showTraceback) detail.traceback = outcome.traceback ?? null;
  const message = outcome.exception ? `${outcome.exceptionType ? `${outcome.exceptionType}: ` : ''}${outcome.exception}` : undefined;
  return new ApiError(code, message, detail);
}

/** Sends a function's own body; with `allow_304`, with its ETag (or 304: not-modified.ts). */
function sendBody(reply: FastifyReply, body: string | Buffer, allow304: boolean | undefined): FastifyReply {
  return allow304 === true ? sendWithEtag(reply, body) : reply.send(body);
}

function sendRaw(reply: FastifyReply, value: unknown, allow304?: boolean): FastifyReply {
  if (typeof value === 'string') return sendBody(reply.type('text/plain; charset=utf-8'), value, allow304);
  const json = value === undefined || value === null ? 'null' : JSON.stringify(value);
  return sendBody(reply.type('application/json; charset=utf-8'), json, allow304);
}

/**
 * What a function answers is the function author's content, served on the console's origin: it
 * runs sandboxed (an opaque origin, no scripts, no forms) and is never sniffed into HTML. A CSP the
 * function sets itself is kept beside it (browsers enforce both).
 */
export const FUNCTION_CSP = 'sandbox';

export function confineFunctionResponse(reply: FastifyReply): void {
  const own = reply.getHeader('content-security-policy');
  const given = own === undefined ? [] : (Array.isArray(own) ? own : [own]).map(String).filter((v) => v !== FUNCTION_CSP);
  reply.header('Content-Security-Policy', given.length > 0 ? [...given, FUNCTION_CSP] : FUNCTION_CSP);
  reply.header('X-Content-Type-Options', 'nosniff');
}

export function sendOutcome(reply: FastifyReply, outcome: TaskOutcome | null, o: SendOptions): FastifyReply {
  reply.header('X-Trace-Id', o.traceId);
  if (o.cached) reply.header('X-Dff-Cache', 'Cached');
  confineFunctionResponse(reply);
  if (!outcome || outcome.status !== 'success') {
    const err = outcomeError(outcome, o.showTraceback);
    return reply.status(err.status).send(errorEnvelope(err, o.traceId));
  }
  const resp = outcome.response;
  if (resp) {
    const headers = responseHeaders(resp);
    const status = responseStatus(resp);
    const location = resp.kind === 'redirect' ? redirectLocation(resp.url ?? '/') : '';
    const contentType = responseContentType(resp);
    const unsendable = [headers, status, location, contentType].find((x) => x instanceof ApiError);
    if (unsendable) return reply.status(unsendable.status).send(errorEnvelope(unsendable, o.traceId));
    for (const [k, v] of headers as [string, string][]) reply.header(k, v);
    confineFunctionResponse(reply);
    if (resp.kind === 'redirect') return reply.redirect(location as string, status as number);
    reply.status(status as number);
    // DFF.RESP_LARGE_DATA: the body as the function serialised it, never parsed or wrapped here.
    if (resp.kind === 'largeData')
      return reply.type(resp.contentType ?? 'application/json; charset=utf-8').send(typeof resp.data === 'string' ? resp.data : JSON.stringify(resp.data ?? null));
    if (resp.kind === 'file' || (resp.kind === 'data' && resp.fileBase64 !== undefined)) {
      if (resp.downloadName) reply.header('Content-Disposition', attachment(resp.downloadName));
      return sendBody(reply.type(resp.contentType ?? 'application/octet-stream'), Buffer.from(resp.fileBase64 ?? '', 'base64'), resp.allow304);
    }
    if (resp.contentType) {
      const body = typeof resp.data === 'string' ? resp.data : JSON.stringify(resp.data ?? null);
      return sendBody(reply.type(resp.contentType), body, resp.allow304);
    }
    return sendRaw(reply, resp.data, resp.allow304);
  }
  const result = o.returnType === 'jsonDumps' ? JSON.stringify(outcome.result ?? null) : outcome.result;
  if (o.unbox) return sendRaw(reply, result);
  return reply.type('application/json; charset=utf-8').send(okEnvelope({ result: result ?? null }, o.traceId));
}
