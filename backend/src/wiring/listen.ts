/**
 * The HTTP server's listen on FUNC_HOST:FUNC_PORT (`func up`, `func server`): the address it got,
 * or a failure that says it was the listen.
 */
import type { FastifyInstance } from 'fastify';

/** pino's levels, least severe first. */
const LEVELS: readonly string[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/**
 * Fastify logs "Server listening at …" at `info`, a JSON line before the role's own start line,
 * which names the address already (README "What `npm start` prints"): that line is left out by
 * listening with the logger at `warn` at least.
 */
export async function listenOn(app: FastifyInstance, host: string, port: number): Promise<string> {
  const level = app.log.level;
  const below = LEVELS.indexOf(level);
  const quiet = below >= 0 && below < LEVELS.indexOf('warn');
  if (quiet) app.log.level = 'warn';
  try {
    return await app.listen({ host, port });
  } catch (err) {
    throw listenFailure(err, host, port);
  } finally {
    if (quiet) app.log.level = level;
  }
}

/**
 * A host name that does not resolve fails in its lookup (`getaddrinfo ENOTFOUND name`), which
 * says nothing of listening: it becomes the cause of a listen failure naming the address (a
 * `listen` error, so the CLI points at FUNC_HOST, as for EADDRINUSE). Other errors are kept.
 */
function listenFailure(err: unknown, host: string, port: number): unknown {
  const lookup = err as NodeJS.ErrnoException | undefined;
  if (lookup?.syscall !== 'getaddrinfo') return err;
  const failure = new Error(`cannot listen on ${host}:${port}: its host name could not be resolved`, { cause: err });
  return Object.assign(failure, { syscall: 'listen', code: lookup.code });
}
