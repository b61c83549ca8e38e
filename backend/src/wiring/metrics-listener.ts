/**
 * `GET /metrics` of a worker or beat process (FUNC_METRICS_PORT on FUNC_METRICS_HOST, 127.0.0.1
 * by default), with the same FUNC_METRICS_TOKEN check as the server's. Nothing else is served.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config/config.js';
import { bearerMatches, type FuncMetrics } from '../server/metrics.js';

export interface MetricsListener {
  /** The port bound (the one the system picked for FUNC_METRICS_PORT=0). */
  port: number;
  close(): Promise<void>;
}

function answer(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', ...headers });
  res.end(body);
}

async function handle(metrics: FuncMetrics, token: string | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '').split('?')[0];
  if (path !== '/metrics') return answer(res, 404, 'Not found: this port serves GET /metrics only\n');
  if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405, 'Method not allowed\n', { allow: 'GET, HEAD' });
  if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
    return answer(res, 401, 'The metrics need Authorization: Bearer <FUNC_METRICS_TOKEN>\n', { 'www-authenticate': 'Bearer realm="metrics"' });
  }
  answer(res, 200, await metrics.render(), { 'content-type': metrics.contentType });
}

/** Undefined when FUNC_METRICS_PORT is not set. A port in use (or a host that does not resolve) fails the start, naming it. */
export async function startMetricsListener(config: Pick<Config, 'metricsPort' | 'metricsHost' | 'metricsToken'>, metrics: FuncMetrics): Promise<MetricsListener | undefined> {
  if (config.metricsPort === undefined) return undefined;
  const server = createServer((req, res) => {
    handle(metrics, config.metricsToken, req, res).catch(() => {
      if (!res.headersSent) answer(res, 500, 'The metrics could not be collected\n');
      else res.destroy();
    });
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      // A host name that does not resolve fails in its lookup: the host is the setting to look at.
      const setting = err.syscall === 'getaddrinfo' ? 'FUNC_METRICS_HOST' : 'FUNC_METRICS_PORT';
      reject(new Error(`${setting}: cannot listen on ${config.metricsHost}:${config.metricsPort}: ${err.code ?? err.message}`));
    });
    server.listen(config.metricsPort, config.metricsHost, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
