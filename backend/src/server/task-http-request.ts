/** The HTTP request a call came with, as the function sees it (`_DFF_HTTP_REQUEST`). */
import type { FastifyRequest } from 'fastify';
import type { RequestSecretField, TaskHttpRequest } from '../domain/tasks/task.js';

/** Credentials of the call itself: never handed to the function (nor kept in its record or message). */
const CREDENTIAL_HEADER = /^x-dff-(auth|ak)/i;
/** The same in the query (`xDFFAuthToken`, a signed URL's `xDffAk*`), which auth.ts takes on any method. */
const CREDENTIAL_QUERY = /^xdff(authtoken|ak)/i;

/** `url` without its query parameters that are Func's own credentials. */
function withoutCredentials(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  const names = [...new Set(params.keys())].filter((k) => CREDENTIAL_QUERY.test(k));
  if (names.length === 0) return url;
  for (const k of names) params.delete(k);
  const rest = params.toString();
  return rest ? `${url.slice(0, q)}?${rest}` : url.slice(0, q);
}

/**
 * DataFlux Func's fields (Express's names): `url` the path, `originalUrl` the path with its query
 * string, `host` the Host header, `hostname` without its port, `ips` the proxies' addresses
 * (none: proxies are not trusted), `xhr` for `X-Requested-With: XMLHttpRequest`, `body` `{}` for a
 * request without one (a GET, a bodiless POST), as Express's body parser leaves it.
 */
export function taskHttpRequest(req: FastifyRequest, body: unknown): TaskHttpRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !CREDENTIAL_HEADER.test(k)) headers[k] = v;
  const q = req.url.indexOf('?');
  const query = Object.fromEntries(Object.entries(req.query as Record<string, unknown>).filter(([k]) => !CREDENTIAL_QUERY.test(k)));
  return {
    method: req.method.toUpperCase(),
    url: q < 0 ? req.url : req.url.slice(0, q),
    originalUrl: withoutCredentials(req.url),
    host: headers.host ?? '',
    hostname: req.hostname,
    protocol: req.protocol,
    headers,
    query,
    body: body ?? {},
    ip: req.ip,
    ips: req.ips ?? [],
    xhr: (headers['x-requested-with'] ?? '').toLowerCase() === 'xmlhttprequest',
  };
}

/**
 * The request without the query and body fields an API's fixedField auth checked, as DataFlux
 * Func deletes them from `req.query`/`req.body` before the function gets the request (headers
 * and the URLs stay as they came; the record masks them, domain/tasks/recorded-request.ts).
 */
export function withoutCredentialFields(request: TaskHttpRequest, fields: readonly RequestSecretField[]): TaskHttpRequest {
  const drop = (where: 'query' | 'body', value: unknown): unknown => {
    const names = new Set(fields.filter((f) => f.location === where).map((f) => f.name));
    if (names.size === 0 || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k]) => !names.has(k)));
  };
  return { ...request, query: drop('query', request.query) as Record<string, unknown>, body: drop('body', request.body) };
}
