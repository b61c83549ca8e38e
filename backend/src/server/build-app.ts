/** The Fastify app, without listen(): tests use inject(), the CLI listens. */
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance, type FastifyReply } from 'fastify';
import { ApiError, badField } from '../../../contract/errors.js';
import { hugeNumberMessage, hugeNumberPath, jsonNestsDeeperThan, MAX_JSON_DEPTH, tooDeepMessage } from '../../../contract/json-depth.js';
import { callAsyncApi, callSyncApi } from '../../../contract/operations/calls.js';
import { uploadResource } from '../../../contract/operations/resources.js';
import { importScriptSet } from '../../../contract/operations/script-set-bundle.js';
import type { AppContext } from './app-context.js';
import { decodedBody } from './content-encoding.js';
import { registerCors } from './cors.js';
import { errorEnvelope, toApiError } from './errors.js';
import { loggerOptions, REQUEST_LOG_LEVELS } from './logging.js';
import { isMultipartType, parseMultipart } from './multipart.js';
import { createHandlers } from './routes/index.js';
import { registerOperations } from './register-operations.js';
import { noteFailure, registerRequestRecords } from './request-records.js';
import { registerRequestTiming } from './request-timing.js';
import { formFields } from './form-body.js';
import { parseQueryString } from './query-string.js';
import { registerStaticConsole } from './static-console.js';
import { keepSignedJsonText } from './signed-json-text.js';
import { registerEventStreams } from './event-streams.js';

export interface BuildAppOptions {
  /** Log requests and errors (pino); false in tests and benchmarks. */
  logger?: boolean;
}

/** Longer than any request line Node takes (its headers, request line included, stop at 16 KB): no parameter is refused by the router. */
const MAX_PARAM_LENGTH = 65_536;

/** The routes a multipart/form-data body may go to. */
const UPLOAD_ROUTES = new Set<string>([...uploadResource.paths, ...callSyncApi.paths, ...callAsyncApi.paths, ...importScriptSet.paths]);

/** Where valid JSON text has a key Fastify's parser refuses (`__proto__`, `constructor.prototype`), as `body.a.b`; null when none or not JSON. */
function poisonedKeyPath(text: string): string | null {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return null;
  }
  const walk = (v: unknown, path: string): string | null => {
    if (v === null || typeof v !== 'object') return null;
    for (const key of Object.keys(v)) {
      const child = (v as Record<string, unknown>)[key];
      if (key === '__proto__' || (key === 'constructor' && child !== null && typeof child === 'object' && Object.hasOwn(child, 'prototype'))) return `${path}.${key}`;
      const found = walk(child, `${path}.${key}`);
      if (found) return found;
    }
    return null;
  };
  return walk(root, 'body');
}

/**
 * JSON bodies: bytes that are not UTF-8 refused, then a non-recursive scan that refuses nesting
 * deeper than MAX_JSON_DEPTH, then Fastify's own parser (invalid bodies and prototype poisoning
 * refused; an empty one is no input), then numbers no double holds refused. Form bodies, like
 * query strings (query-string.ts), nest bracket keys as DataFlux Func's Express does (`a[b]=1` is
 * `{a: {b: "1"}}`, form-body.ts).
 */
function registerBodyParsers(app: FastifyInstance, uploadLimitBytes: number): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    // JSON is UTF-8: bytes that are not (a Latin-1 é, a stray \xff) would be read as U+FFFD and stored so.
    if (typeof body !== 'string' && !isUtf8(body)) {
      done(badField('body', 'not valid UTF-8 (JSON bodies are read as UTF-8, whatever their charset says)'), undefined);
      return;
    }
    const text = typeof body === 'string' ? body : body.toString('utf8');
    // No body at all is no input (`{}` to the operation), as DataFlux Func's body-parser reads it:
    // its SDK posts `body={}` as Content-Type: application/json with nothing after the headers.
    if (text.length === 0) {
      done(null, undefined);
      return;
    }
    if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
      done(badField('body', tooDeepMessage(MAX_JSON_DEPTH)), undefined);
      return;
    }
    keepSignedJsonText(req, text);
    void parseJson(req, text, (err, value) => {
      // Valid JSON refused all the same: a prototype-poisoning key. Say which, not "not JSON".
      const poisoned = err ? poisonedKeyPath(text) : null;
      // A number past what a double holds (1e400) parses as Infinity and would go on as null.
      const huge = err ? null : hugeNumberPath(text, value, 'body');
      done(
        poisoned ? badField(poisoned, 'a key named __proto__, or constructor holding prototype, is refused in JSON bodies') : huge ? badField(huge, hugeNumberMessage) : err,
        value,
      );
    });
  });
  app.addContentTypeParser(['text/plain', 'text/html', 'text/csv', 'text/xml', 'application/xml'], { parseAs: 'string' }, (_req, body, done) => {
    done(null, { text: body });
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, formFields(typeof body === 'string' ? body : body.toString('utf8')));
  });
  // Uploads (the resources folder, and files sent to a sync or async API as DataFlux Func takes
  // them): their own, larger limit (FUNC_UPLOAD_LIMIT_MB). Any other route refuses a multipart
  // body before reading it, so its own limit holds. Compressed bodies (gzip, deflate) are decoded
  // before any parser reads them. One hook for both: it runs for every request.
  const maxDecodedBytes = Math.max(app.initialConfig.bodyLimit ?? 0, uploadLimitBytes);
  app.addHook('preParsing', (req, _reply, payload, done) => {
    const route = req.routeOptions.url; // undefined: no such route, which answers 404 as it is
    if (route !== undefined && isMultipartType(req.headers['content-type']) && !UPLOAD_ROUTES.has(route)) {
      done(badField('Content-Type', 'multipart/form-data is taken only by uploads (resources upload, sync and async API calls, script-set archive import); send JSON'));
      return;
    }
    let body: typeof payload;
    try {
      body = decodedBody(req.headers, payload, maxDecodedBytes);
    } catch (err) {
      done(err as Error);
      return;
    }
    done(null, body);
  });
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: uploadLimitBytes }, (req, body, done) => {
    try {
      done(null, parseMultipart(Buffer.isBuffer(body) ? body : Buffer.from(body), req.headers['content-type'] ?? ''));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => {
    done(null, { base64: Buffer.isBuffer(body) ? body.toString('base64') : Buffer.from(body).toString('base64') });
  });
}

/** On every response: no MIME sniffing, and no Referer (URLs may carry tokens in the query). */
export const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
];

export async function buildApp(ctx: AppContext, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const requestTimeoutMs = ctx.config.requestTimeoutMs;
  const app = Fastify({
    bodyLimit: ctx.config.bodyLimitBytes,
    // A request not received whole in time (a body that stalls) is answered 408 by clientErrorHandler;
    // Node checks its connections every 30 s, sooner for a short timeout.
    requestTimeout: requestTimeoutMs,
    http: { headersTimeout: Math.min(60_000, requestTimeoutMs), connectionsCheckingInterval: Math.min(30_000, Math.max(250, requestTimeoutMs / 4)) },
    logController: new LogController({ disableRequestLogging: !REQUEST_LOG_LEVELS.has(ctx.config.logLevel) }),
    // Secrets kept out of every line: server/logging.ts.
    logger: options.logger ? loggerOptions(ctx.config.logLevel) : false,
    genReqId: (req) => {
      const given = req.headers['x-trace-id'];
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : `TRACE-${randomUUID().toUpperCase()}`;
    },
    // maxParamLength: never what refuses a parameter. The request line fits in Node's 16 KB of headers
    // (431 past it), so every parameter reaches its route, whose schema refuses one too long with a 400
    // naming it (`params.id: invalid id`), after authentication as any bad input; below this limit
    // find-my-way answered "No such route" (404) for a parameter over it (it was 2048).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH, querystringParser: parseQueryString },
    // Errors of Node's HTTP parser (headers over 16 KB, malformed requests), before Fastify sees a request.
    clientErrorHandler: (err: Error & { code?: string }, socket) => {
      if (err.code === 'ECONNRESET' || socket.destroyed) return;
      const [status, text, message] =
        err.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'Request Header Fields Too Large', 'headers: the request line and headers are larger than 16 KB']
          : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? [408, 'Request Timeout', 'request: not received in time']
            : [400, 'Bad Request', 'request: not a valid HTTP request'];
      const body = JSON.stringify({
        ok: false,
        error: status,
        reason: 'EClientBadRequest',
        message,
        detail: { field: status === 431 ? 'headers' : 'request' },
        traceId: `TRACE-${randomUUID().toUpperCase()}`,
      });
      const headers = SECURITY_HEADERS.map(([name, value]) => `${name}: ${value}\r\n`).join('');
      if (socket.writable)
        socket.write(`HTTP/1.1 ${status} ${text}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\n${headers}Connection: close\r\n\r\n${body}`);
      socket.destroy(err);
    },
    // Errors Fastify raises before routing (a URL that is not valid percent-encoding) get the envelope too.
    frameworkErrors: (err, req, rawReply) => {
      const reply = rawReply as unknown as FastifyReply;
      const apiError = new ApiError('EClientBadRequest', `url: ${err.message}`, { field: 'url' });
      for (const [name, value] of SECURITY_HEADERS) reply.header(name, value);
      void reply.status(400).header('X-Trace-Id', req.id).send(errorEnvelope(apiError, req.id));
    },
  });
  registerBodyParsers(app, ctx.config.uploadLimitBytes);
  registerEventStreams(app);
  // On the raw response, so hijacked replies (the SSE stream) and errors get them too.
  app.addHook('onRequest', (_req, reply, done) => {
    for (const [name, value] of SECURITY_HEADERS) reply.raw.setHeader(name, value);
    done();
  });
  registerCors(app, ctx.config.corsOrigins);

  app.setErrorHandler((err, req, reply) => {
    // The limit Fastify read the body against: the multipart parser's own (uploads), else the server's.
    const bodyLimit = isMultipartType(req.headers['content-type']) ? ctx.config.uploadLimitBytes : req.routeOptions.bodyLimit;
    const apiError = toApiError(err, (e) => ctx.store.isUnreachable?.(e) ?? false, bodyLimit);
    noteFailure(req, apiError.code);
    if (apiError.status >= 500 && apiError.status !== 599) req.log.error({ err, traceId: req.id }, 'request failed');
    if (apiError.code === 'EUserAuth' && apiError.detail.field === undefined) reply.header('WWW-Authenticate', 'X-Dff-Auth-Token');
    void reply.status(apiError.status).header('X-Trace-Id', req.id).send(errorEnvelope(apiError, req.id));
  });
  app.setNotFoundHandler((req, reply) => {
    const err = new ApiError('EClientNotFound', `No such route: ${req.method} ${req.url.split('?')[0] ?? ''}`, { field: 'url' });
    void reply.status(404).send(errorEnvelope(err, req.id));
  });
  app.addHook('onResponse', (req, reply, done) => {
    ctx.metrics.observeRequest(req.routeOptions.url ?? 'unmatched', req.method, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  registerRequestTiming(app);
  registerRequestRecords(app, ctx);
  registerOperations(app, ctx, createHandlers());
  registerStaticConsole(app);
  await app.ready();
  return app;
}
