/**
 * Serves the built web console (renderer/dist) at `/`: hashed assets with a long cache, every
 * other non-API path answers index.html (the console routes in the browser), with a CSP.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../../contract/errors.js';

export const CONSOLE_DIR = fileURLToPath(new URL('../../../renderer/dist', import.meta.url));

/**
 * The console's Content-Security-Policy (docs/security.md, "Console CSP"). Scripts and workers only
 * from this origin (Monaco's editor worker is a bundled file; no eval); styles also inline, because
 * Monaco injects <style> elements at run time (the e2e run reports a violation without it); images
 * from data: (Monaco's CSS); connect-src any http(s) origin, because the stack switcher talks to
 * remote stacks whose URLs live in the browser's profiles (the server cannot list them; CORS on the
 * remote side decides). No plugins, no <base>, forms only to this origin, never framed.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "worker-src 'self'",
  "connect-src 'self' http: https:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

const NOT_CONSOLE = /^\/(api|healthz|metrics)(\/|$)/;

async function send(reply: FastifyReply, file: string, cache: string): Promise<FastifyReply> {
  const body = await readFile(file);
  return (
    reply
      .header('content-type', TYPES[extname(file)] ?? 'application/octet-stream')
      .header('cache-control', cache)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', CONSOLE_CSP)
      // frame-ancestors for browsers that predate it.
      .header('x-frame-options', 'DENY')
      .send(body)
  );
}

export function registerStaticConsole(app: FastifyInstance, dir: string = CONSOLE_DIR): void {
  const index = join(dir, 'index.html');
  const handler = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    let path: string;
    try {
      path = decodeURIComponent(req.url.split('?')[0] ?? '/');
    } catch {
      throw new ApiError('EClientBadRequest', 'url: the path is not valid percent-encoding', { field: 'url' });
    }
    if (NOT_CONSOLE.test(path)) throw new ApiError('EClientNotFound', `No such route: ${req.method} ${path}`, { field: 'url' });
    if (!existsSync(index)) {
      return reply.status(503).header('content-type', 'text/plain; charset=utf-8').send('The console is not built: run `npm run build` (npm start does it when needed).');
    }
    const file = normalize(join(dir, path));
    if (file.startsWith(dir + sep) && extname(file) !== '' && existsSync(file)) {
      return send(reply, file, path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    }
    if (path.startsWith('/assets/')) throw new ApiError('EClientNotFound', `No such file: ${path}`, { field: 'url' });
    return send(reply, index, 'no-cache');
  };
  app.get('/', handler);
  app.get('/*', handler);
}
