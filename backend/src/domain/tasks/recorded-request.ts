/**
 * The HTTP request a call came with, as its task record keeps it for replay: every value
 * that may be a credential is masked (authorization, cookies, tokens, keys, secrets, passwords,
 * in headers, query and top-level body fields, and the fields the API's own auth names), the rest
 * kept as the function saw it.
 */
import type { JsonObject } from '../ports/store.js';
import type { RequestSecretField, TaskHttpRequest, TaskMessage } from './task.js';

export const MASKED = '***';
const CREDENTIAL = /auth|cookie|token|secret|passw|pwd|signature|sign$|(^|[-_])(ak|api)?[-_]?key$|x-dff-/i;

/** Whether a field is masked: its name looks like a credential's, or the API's auth names it. */
type IsSecret = (name: string) => boolean;

function maskFields(value: unknown, isSecret: IsSecret): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, isSecret(k) ? MASKED : v]));
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

/** A task message as the store keeps it (a record's `messageJSON`, to run it again after a restart): its HTTP request masked as the record's. */
export function storedMessage(task: TaskMessage): JsonObject {
  if (!task.httpRequest) return task as unknown as JsonObject;
  return { ...task, httpRequest: recordedRequest(task.httpRequest, task.httpRequestSecrets) };
}
