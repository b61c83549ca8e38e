/**
 * The HTTP request a call came with, as its task record keeps it for replay: every value
 * that may be a credential is masked (authorization, cookies, tokens, keys, secrets, passwords,
 * in headers, query and body fields nested up to MASK_DEPTH, and the fields the API's own auth names), the rest
 * kept as the function saw it.
 */
import type { JsonObject } from '../ports/store.js';
import type { RequestSecretField, TaskHttpRequest, TaskMessage } from './task.js';

export const MASKED = '***';
const CREDENTIAL = /auth|cookie|token|secret|passw|pwd|signature|sign$|(^|[-_])(ak|api)?[-_]?key$|x-dff-/i;

/** Whether a field is masked: its name looks like a credential's, or the API's auth names it. */
type IsSecret = (name: string) => boolean;

/** Nested fields are looked at this deep (bracket keys nest 6 levels at most; a JSON body may go deeper, kept as it is below). */
const MASK_DEPTH = 6;

/** `value` with every field whose name is secret masked, at any depth up to MASK_DEPTH (`user[password]=…` nests it). */
function maskFields(value: unknown, isSecret: IsSecret, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth >= MASK_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => maskFields(v, isSecret, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, isSecret(k) ? MASKED : maskFields(v, isSecret, depth + 1)]));
}

/** A URL with the values of its credential-like query parameters masked. */
function maskedUrl(url: string, isSecret: IsSecret): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const k of [...params.keys()]) if (isSecret(k)) params.set(k, MASKED);
  return `${url.slice(0, q)}?${params.toString()}`;
}

/**
 * The request with its credentials masked. `secrets`: the fields the API's auth names (fixedField):
 * a header by its name in any case; a query or body field by its name in the query, the body and
 * the URLs (wherever the caller put it).
 */
export function recordedRequest(req: TaskHttpRequest | undefined, secrets: readonly RequestSecretField[] = []): JsonObject | null {
  if (!req) return null;
  const headerNames = new Set(secrets.filter((f) => f.location === 'header').map((f) => f.name.toLowerCase()));
  const fieldNames = new Set(secrets.filter((f) => f.location !== 'header').map((f) => f.name));
  const isHeader: IsSecret = (k) => CREDENTIAL.test(k) || headerNames.has(k.toLowerCase());
  const isField: IsSecret = (k) => CREDENTIAL.test(k) || fieldNames.has(k);
  const { headers, query, body, url, originalUrl, ...rest } = req;
  return {
    ...rest,
    url: maskedUrl(url, isField),
    ...(originalUrl !== undefined ? { originalUrl: maskedUrl(originalUrl, isField) } : {}),
    headers: maskFields(headers, isHeader) as JsonObject,
    query: maskFields(query, isField) as JsonObject,
    body: maskFields(body, isField) as JsonObject,
  };
}

/**
 * A task's kwargs as the store keeps them: an API auth function's `req` kwarg (Func's own, given
 * to a function declaring it) is the caller's request, its credentials masked as the recorded
 * request's; any other task's kwargs are its own.
 */
export function recordedKwargs(task: TaskMessage): JsonObject {
  const req = task.origin === 'apiAuth' ? task.kwargs.req : undefined;
  if (req === null || typeof req !== 'object' || Array.isArray(req)) return task.kwargs;
  const masked = recordedRequest(req as unknown as TaskHttpRequest);
  return { ...task.kwargs, req: masked };
}

/** A task message as the store keeps it (a record's `messageJSON`, to run it again after a restart): its HTTP request masked as the record's (`request`, when the caller has it already). */
export function storedMessage(task: TaskMessage, request: JsonObject | null = recordedRequest(task.httpRequest, task.httpRequestSecrets)): JsonObject {
  const kwargs = recordedKwargs(task);
  if (!task.httpRequest && kwargs === task.kwargs) return task as unknown as JsonObject;
  return { ...task, kwargs, ...(task.httpRequest ? { httpRequest: request } : {}) };
}
