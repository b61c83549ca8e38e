/** The HTTP request a call came with, as the function sees it (`_DFF_HTTP_REQUEST`). */
import type { FastifyRequest } from 'fastify';
import type { TaskHttpRequest } from '../domain/tasks/task.js';

/** Credentials of the call itself: never handed to the function (nor kept in its record). */
const CREDENTIAL_HEADER = /^x-dff-(auth|ak)/i;

/**
 * DataFlux Func's fields (Express's names): `url` the path, `originalUrl` the path with its query
 * string, `host` the Host header, `hostname` without its port, `ips` the proxies' addresses
 * (none: proxies are not trusted), `xhr` for `X-Requested-With: XMLHttpRequest`.
 */
export function taskHttpRequest(req: FastifyRequest, body: unknown): TaskHttpRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !CREDENTIAL_HEADER.test(k)) headers[k] = v;
  const q = req.url.indexOf('?');
  return {
    method: req.method.toUpperCase(),
    url: q < 0 ? req.url : req.url.slice(0, q),
    originalUrl: req.url,
    host: headers.host ?? '',
    hostname: req.hostname,
    protocol: req.protocol,
    headers,
    query: req.query as Record<string, unknown>,
    body,
    ip: req.ip,
    ips: req.ips ?? [],
    xhr: (headers['x-requested-with'] ?? '').toLowerCase() === 'xmlhttprequest',
  };
}
