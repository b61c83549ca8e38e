import { afterEach, describe, expect, it } from 'vitest';
import { FuncMetrics } from '../server/metrics.js';
import { startMetricsListener, type MetricsListener } from './metrics-listener.js';

const open: MetricsListener[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

async function listen(metricsPort: number | undefined, metricsToken?: string, metricsHost = '127.0.0.1'): Promise<MetricsListener | undefined> {
  const l = await startMetricsListener({ metricsPort, metricsHost, metricsToken }, new FuncMetrics());
  if (l) open.push(l);
  return l;
}

describe('a worker or beat metrics listener', () => {
  it('is off without FUNC_METRICS_PORT', async () => {
    expect(await listen(undefined)).toBeUndefined();
  });

  it('serves GET /metrics only, open without a token', async () => {
    const l = (await listen(0))!;
    const url = `http://127.0.0.1:${l.port}`;
    const ok = await fetch(`${url}/metrics`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^# TYPE func_worker_processes gauge$/m);
    expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${url}/`)).status).toBe(404);
  });

  it('answers 401 without the bearer token when FUNC_METRICS_TOKEN is set', async () => {
    const l = (await listen(0, 'a-metrics-token-0123'))!;
    const url = `http://127.0.0.1:${l.port}/metrics`;
    const none = await fetch(url);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.text()).not.toMatch(/func_/);
    expect((await fetch(url, { headers: { authorization: 'Bearer a-metrics-token-0124' } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer a-metrics-token-0123' } })).status).toBe(200);
  });

  it('fails the start on a port in use, naming the variable', async () => {
    const l = (await listen(0))!;
    await expect(listen(l.port)).rejects.toThrow(new RegExp(`FUNC_METRICS_PORT: cannot listen on 127\\.0\\.0\\.1:${l.port}: EADDRINUSE`));
  });

  it('fails the start on a host name that does not resolve, naming FUNC_METRICS_HOST', async () => {
    await expect(listen(0, undefined, 'not_a_host')).rejects.toThrow(/^FUNC_METRICS_HOST: cannot listen on not_a_host:0: (ENOTFOUND|EAI_AGAIN)$/);
  });
});
