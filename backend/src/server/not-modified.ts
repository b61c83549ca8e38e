/**
 * A function's response with `allow_304` (DFF.RESP, RESP_FILE): it carries a weak ETag of its
 * body, and a GET or HEAD whose If-None-Match names that tag is answered 304 without the body, as
 * Express answers DataFlux Func's. The tag is the body's length and SHA-1, so equal bodies match
 * whichever server or worker made them.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';

export function weakEtag(body: string | Buffer): string {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return `W/"${bytes.length.toString(16)}-${createHash('sha1').update(bytes).digest('base64').slice(0, 27)}"`;
}

/** Whether an If-None-Match header names `etag`, compared weakly (`W/` ignored); `*` names any. */
export function namesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string): string => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === wanted);
}

/** Whether the request may be answered 304 (a GET or HEAD, a 2xx answer, no `Cache-Control: no-cache`). */
function conditional(reply: FastifyReply): boolean {
  const { method, headers } = reply.request;
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (reply.statusCode < 200 || reply.statusCode > 299) return false;
  return !/(?:^|,)\s*no-cache\s*(?:,|$)/i.test(headers['cache-control'] ?? '');
}

/**
 * Sends `body` with its weak ETag (or the ETag the function set itself), or 304 without it when
 * the caller already holds it.
 */
export function sendWithEtag(reply: FastifyReply, body: string | Buffer): FastifyReply {
  const own = reply.getHeader('etag');
  const etag = typeof own === 'string' ? own : weakEtag(body);
  reply.header('ETag', etag);
  if (conditional(reply) && namesEtag(reply.request.headers['if-none-match'], etag)) {
    reply.removeHeader('content-type');
    return reply.status(304).send();
  }
  return reply.send(body);
}
