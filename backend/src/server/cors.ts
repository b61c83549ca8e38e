/**
 * CORS for `/api/*` and `/healthz`, so a console served elsewhere (another stack, the dev server,
 * later the desktop app) can call this stack. Origins come from FUNC_CORS_ORIGINS; none = same
 * origin only. No credentials: tokens and signatures are headers, never cookies.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const CORS_ALLOW_HEADERS =
  'Content-Type, Accept, Authorization, X-Dff-Auth-Token, X-Dff-Ak-Id, X-Dff-Ak-Timestamp, X-Dff-Ak-Nonce, X-Dff-Ak-Sign, X-Trace-Id, X-Client-Time';
export const CORS_EXPOSE_HEADERS = 'X-Trace-Id, X-Dff-Cache, X-Client-Time, X-Request-Time, X-Response-Time, X-Request-Cost, Content-Disposition';
const CORS_PATH = /^\/(api\/|healthz(\/|\?|$))/;

/**
 * Headers go on the raw response so they survive handlers that hijack it (the SSE stream) and the
 * error handler alike.
 */
export function registerCors(app: FastifyInstance, origins: '*' | readonly string[]): void {
  if (origins !== '*' && origins.length === 0) return;
  const allowed = (origin: string): boolean => origins === '*' || origins.includes(origin.toLowerCase());
  app.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (!CORS_PATH.test(req.url)) return done();
    const res = reply.raw;
    if (origins !== '*') res.setHeader('Vary', 'Origin');
    const origin = req.headers.origin;
    if (typeof origin !== 'string' || !allowed(origin)) return done();
    res.setHeader('Access-Control-Allow-Origin', origins === '*' ? '*' : origin);
    res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', CORS_ALLOW_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      void reply.status(204).send();
      return;
    }
    done();
  });
}
