/**
 * The HTTP request a call came with, as its task record keeps it for replay: every value
 * that may be a credential is masked (authorization, cookies, tokens, keys, secrets, passwords,
 * in headers, query and top-level body fields), the rest kept as the function saw it.
 */
import type { JsonObject } from '../ports/store.js';
import type { TaskHttpRequest } from './task.js';

export const MASKED = '***';
const CREDENTIAL = /auth|cookie|token|secret|passw|pwd|signature|sign$|(^|[-_])(ak|api)?[-_]?key$|x-dff-/i;

function maskFields(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, CREDENTIAL.test(k) ? MASKED : v]));
}

/** A URL with the values of its credential-like query parameters masked. */
function maskedUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const k of [...params.keys()]) if (CREDENTIAL.test(k)) params.set(k, MASKED);
  return `${url.slice(0, q)}?${params.toString()}`;
}

export function recordedRequest(req: TaskHttpRequest | undefined): JsonObject | null {
  if (!req) return null;
  const { headers, query, body, url, originalUrl, ...rest } = req;
  return {
    ...rest,
    url: maskedUrl(url),
    ...(originalUrl !== undefined ? { originalUrl: maskedUrl(originalUrl) } : {}),
    headers: maskFields(headers) as JsonObject,
    query: maskFields(query) as JsonObject,
    body: maskFields(body) as JsonObject,
  };
}
