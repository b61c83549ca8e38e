/** Mapping any thrown value to the error envelope; zod issues name their field. */
import { ApiError } from '../../../contract/errors.js';
import type { ErrorEnvelope } from '../../../contract/envelope.js';
import { entityLabel } from './entity-labels.js';
import { DuplicateIdError, DuplicateValueError, RowGoneError } from '../domain/ports/store.js';

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message: string;
}

/**
 * Errors raised by Fastify itself (body parsing, limits, content types). `bodyLimitBytes`: the
 * limit the refused body was read against (the server's, or the upload limit for multipart).
 */
function fromFastify(err: FastifyLikeError, bodyLimitBytes: number | undefined): ApiError | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('EClientPayloadTooLarge', bodyLimitBytes === undefined ? 'body: larger than the limit' : `body: larger than the limit of ${bodyLimitBytes} bytes`, {
        field: 'body',
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError('EClientUnsupported', err.message, { field: 'content-type' });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError('EClientBadRequest', 'body: the JSON body is empty', { field: 'body' });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError('EClientBadRequest', 'body: Invalid request body, not JSON', { field: 'body' });
    default:
      break;
  }
  if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message))) {
    return new ApiError('EClientBadRequest', `body: Invalid request body, not JSON (${err.message})`, { field: 'body' });
  }
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
    return new ApiError(err.statusCode === 413 ? 'EClientPayloadTooLarge' : 'EClientBadRequest', err.message);
  }
  return undefined;
}

/**
 * The broker or the database did not answer: a 503 that says which, not an internal error. Not
 * where it is: the answer may go to anyone calling an API; the server's log has the cause.
 * `storeUnreachable`: the store's own test of its driver's errors (`Store.isUnreachable`).
 */
function fromUnreachable(err: unknown, storeUnreachable: (err: unknown) => boolean): ApiError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  // RedisUnavailableError (adapters/broker/redis/redis-connection.ts): known by its code.
  if ((err as { code?: unknown }).code === 'ERedisUnavailable') {
    return new ApiError('ERedisUnavailable', 'The broker (Redis) cannot be reached; try again once it is back');
  }
  if (storeUnreachable(err)) {
    const code = (err as { code?: unknown }).code;
    return new ApiError('ESysDB', `The database cannot be reached (${typeof code === 'string' ? code : 'no answer'}); try again once it is back`);
  }
  return undefined;
}

/**
 * An error of the request itself, which Fastify marks with a 4xx `statusCode` (reading the body,
 * parsing it): never the database's, even with a connection code. A client that closes its
 * connection before its body arrived whole is Node's "aborted" with code ECONNRESET, which read
 * as the database's ECONNRESET was a 503 ESysDB logged as a failed request.
 */
function fromRequest(err: unknown, bodyLimitBytes: number | undefined): ApiError | undefined {
  if (typeof err !== 'object' || err === null || !('message' in err)) return undefined;
  const e = err as FastifyLikeError;
  if (typeof e.statusCode !== 'number' || e.statusCode < 400 || e.statusCode >= 500) return undefined;
  if (e.code === 'ECONNRESET') return new ApiError('EClientBadRequest', 'body: the connection closed before the body arrived whole', { field: 'body' });
  return fromFastify(e, bodyLimitBytes);
}

export function toApiError(err: unknown, storeUnreachable: (err: unknown) => boolean = () => false, bodyLimitBytes?: number): ApiError {
  if (err instanceof ApiError) return err;
  const request = fromRequest(err, bodyLimitBytes);
  if (request) return request;
  const unreachable = fromUnreachable(err, storeUnreachable);
  if (unreachable) return unreachable;
  if (err instanceof DuplicateIdError) return new ApiError('EClientDuplicated', `${entityLabel(err.entity)} "${err.id}" exists already`, { field: 'id', id: err.id });
  if (err instanceof DuplicateValueError) return new ApiError('EClientDuplicated', `${err.field} ${err.value} is taken`, { field: err.field });
  if (err instanceof RowGoneError) return new ApiError('EClientNotFound', `No such ${entityLabel(err.entity)}: ${err.id} (deleted meanwhile)`, { field: 'id', id: err.id });
  if (err && typeof err === 'object' && 'message' in err) {
    const known = fromFastify(err as FastifyLikeError, bodyLimitBytes);
    if (known) return known;
  }
  return new ApiError('ESys');
}

export function errorEnvelope(err: ApiError, traceId: string): ErrorEnvelope {
  return { ok: false, error: err.status, reason: err.reason, message: err.message, detail: err.detail, traceId };
}
