/** Registers every contract operation as Fastify routes: validate, authenticate, handle, envelope. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { operations, type OperationId } from '../../../contract/index.js';
import { okEnvelope, type PageInfo } from '../../../contract/envelope.js';
import type { Operation } from '../../../contract/operation.js';
import { AK_QUERY_PARAMS } from '../../../contract/signing.js';
import type { AppContext } from './app-context.js';
import { authenticate, type Caller } from './auth.js';
import { authorize } from './authorize.js';
import { fieldSelectionOf, selectFields } from './field-selection.js';
import { markForRecord } from './request-records.js';
import { refusedQuery } from './query-string.js';
import { badField, parseInput, safeParseReporting, zodToApiError } from '../../../contract/errors.js';
import type { Handler, Handlers } from './handler.js';

function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  return parseInput(schema, value ?? {}, where);
}

/**
 * Operations that take a form or text body as input too, as DataFlux Func's clients send them:
 * the sync and async API calls (their simplified format) and a function's call (`kwargs` and
 * `options` as form fields of JSON text). Every other body is JSON.
 */
const NON_JSON_BODIES = new Set<string>([operations.callSyncApi.id, operations.callAsyncApi.id, operations.callFunc.id, operations.callFuncDraft.id]);

/** A JSON operation's body: one its schema refuses that came as another type (curl's form default, text, none) names the Content-Type, not `body.data`. */
function parseBody(op: Operation, req: FastifyRequest): unknown {
  // As parseInput: a field left out reads "required".
  const r = safeParseReporting(op.body, req.body ?? {});
  if (r.success) return r.data;
  const type = req.headers['content-type'];
  const mediaType = (type ?? '').split(';')[0]!.trim().toLowerCase();
  // multipart/form-data reaches only the upload routes (build-app.ts), which read it.
  if (!NON_JSON_BODIES.has(op.id) && mediaType !== 'application/json' && mediaType !== 'multipart/form-data') {
    throw badField('Content-Type', `${type === undefined || type === '' ? 'none sent' : type}: this operation reads a JSON body; send it with Content-Type: application/json`);
  }
  throw zodToApiError('body', r.error);
}

/** Credentials carried in the query are not inputs of the operation (nor list filters). */
const AUTH_QUERY_PARAMS = new Set<string>(['xDFFAuthToken', ...Object.values(AK_QUERY_PARAMS)]);

function withoutAuthParams(query: unknown): unknown {
  if (typeof query !== 'object' || query === null) return query;
  return Object.fromEntries(Object.entries(query).filter(([k]) => !AUTH_QUERY_PARAMS.has(k)));
}

/** DataFlux Func's `pageInfo` beside a page of a list, when the caller asked for a page size. */
function pageInfoOf(query: unknown, data: unknown): PageInfo | undefined {
  const { pageSize, pageNumber } = (query ?? {}) as { pageSize?: unknown; pageNumber?: unknown };
  if (typeof pageSize !== 'number' || !Array.isArray(data)) return undefined;
  const page = typeof pageNumber === 'number' ? pageNumber : 1;
  return { pagingStyle: 'normal', pageSize, pageNumber: page, count: data.length, isFirstPage: page <= 1 };
}

export function traceIdOf(req: FastifyRequest): string {
  return req.id;
}

function route(app: FastifyInstance, ctx: AppContext, op: Operation, handler: Handler<Operation>): void {
  // A list with paging (its query takes pageSize): its answers say where the page is.
  const paged = (op.query.safeParse({ pageSize: '1' }).data as { pageSize?: unknown } | undefined)?.pageSize === 1;
  const handle = async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const traceId = traceIdOf(req);
    reply.header('X-Trace-Id', traceId);
    let caller: Caller | undefined;
    if (op.auth === 'signedIn') {
      caller = await authenticate(ctx, req);
      markForRecord(req, op, caller);
      authorize(caller, op);
    }
    // A query string the router's parser refused (a `__proto__` key, too deep): 400 as any bad input, after authentication.
    const refused = refusedQuery(req.query);
    if (refused) throw refused;
    const input = {
      params: parse(op.params, req.params, 'params'),
      query: parse(op.query, withoutAuthParams(req.query), 'query'),
      body: parseBody(op, req),
    };
    const selection = op.fieldSelecting ? fieldSelectionOf(req.query) : undefined;
    const data = await handler(input, { ctx, req, reply, caller, traceId });
    if (op.raw) return reply;
    const answer = selection ? selectFields(data, selection) : data;
    return reply.send(okEnvelope(answer, traceId, paged ? pageInfoOf(input.query, data) : undefined));
  };
  for (const url of op.paths) app.route({ method: [...op.methods], url, handler: handle });
}

export function registerOperations(app: FastifyInstance, ctx: AppContext, handlers: Handlers): void {
  for (const id of Object.keys(operations) as OperationId[]) {
    route(app, ctx, operations[id], handlers[id]);
  }
}
