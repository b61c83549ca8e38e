/**
 * The server's logger (pino through Fastify): what it may write and how secrets are kept out.
 *
 * - Request lines ("incoming request" / "request completed") only at `debug` and `trace`.
 * - Headers carrying credentials, and request/response body fields that hold secrets, are
 *   replaced by `[redacted]` (Fastify logs no bodies today; the paths are there for whoever adds
 *   them to a log call).
 * - The request URL is logged with its credential query parameters masked
 *   (`?xDFFAuthToken=***`), and every line goes through `maskSecrets` before it is written, so a
 *   URL with a password or a token in any message, error or stack is masked too.
 */
import type { FastifyServerOptions } from 'fastify';
import { maskSecrets } from '../../../contract/redact.js';

export const REDACTED = '[redacted]';

/** pino redact paths (fast-redact syntax). */
export const REDACT_PATHS: readonly string[] = [
  'req.headers["x-dff-auth-token"]',
  'req.headers["x-dff-ak-sign"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  // Bodies: sign-in, users, password env variables, API auth, access keys (their secret is answered once by add).
  'req.body.signIn.password',
  'req.body.data.password',
  'req.body.data.valueTEXT',
  'req.body.data.configJSON.users[*].password',
  'req.body.data.configJSON.fields[*].value',
  'res.body.data.secret',
  'res.body.data.xAuthToken',
  'res.body.data.configJSON.users[*].password',
  'res.body.data.configJSON.fields[*].value',
  'res.body.data[*].configJSON.users[*].password',
  'res.body.data[*].configJSON.fields[*].value',
];

/** Levels at which each request is logged (its method, URL, status and time). */
export const REQUEST_LOG_LEVELS: ReadonlySet<string> = new Set(['debug', 'trace']);

interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
}

/** Every log line is masked (URL passwords, credential query parameters) before it is written. */
export const maskedStdout = {
  write(line: string): void {
    process.stdout.write(maskSecrets(line));
  },
};

export function loggerOptions(level: string, stream: { write(line: string): void } = maskedStdout): NonNullable<FastifyServerOptions['logger']> {
  return {
    level,
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    serializers: {
      req: (req: LoggedRequest) => ({ method: req.method, url: maskSecrets(req.url), host: req.host, remoteAddress: req.ip }),
    },
    stream,
  };
}
