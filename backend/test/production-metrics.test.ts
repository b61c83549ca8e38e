/**
 * Metrics from every production role (Redis + MariaDB of 127.0.0.1): the server's /metrics
 * (HTTP, submissions, queues), a worker's own port (FUNC_METRICS_PORT=0: the port the system
 * picked, found in its heartbeat) with its task outcomes and processes, the beat's own fixed
 * port with its leadership; FUNC_METRICS_TOKEN guards all three.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, productionRoles } from '../src/testing/processes.js';
import { publishScript, topologyServices } from '../src/testing/test-client.js';
import { parsePrometheusText, type Exposition } from '../src/testing/prom-text.js';
import { eventually } from '../src/testing/test-stack.js';

const CODE = `@DFF.API('OK')
def ok(x=1):
    return x

@DFF.API('Boom')
def boom():
    raise ValueError('boom')
`;

/** `s3cr3t-<hex>`: the secrets check fails if it reaches a log. */
const TOKEN = `s3cr3t-${randomBytes(8).toString('hex')}`;
const QUEUES = '0-15';

const prod = productionRoles(() => ({ FUNC_METRICS_TOKEN: TOKEN }));
const { api, client } = prod;
let beatPort = 0;

async function scrape(url: string): Promise<Exposition> {
  const r = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
  const text = await r.text();
  expect(r.status, text).toBe(200);
  expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(text);
}

async function services(): Promise<{ kind: string; name: string; metricsPort?: number | undefined }[]> {
  return (await client.getTopology({})).services;
}

beforeAll(async () => {
  await prod.up();
  beatPort = await freePort();
  prod.role(['worker', '--queues', QUEUES, '--name', 'metered', '--concurrency', '2'], { FUNC_METRICS_PORT: '0' });
  prod.role(['beat'], { FUNC_METRICS_PORT: String(beatPort) });
  await publishScript(client, 'pm__demo', CODE);
}, 90_000);

afterAll(() => prod.down());

describe('metrics of the production roles', () => {
  it('a worker serves its task outcomes and processes on its own port, found in its heartbeat', async () => {
    const worker = await topologyServices(
      client,
      (services) => services.find((s) => s.kind === 'worker' && s.name === 'metered' && s.metricsPort !== undefined),
      30_000,
      'the worker heartbeat with its metrics port',
    );
    const url = `http://127.0.0.1:${worker.metricsPort!}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    expect((await fetch(url.replace('/metrics', '/other'), { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    const before = await scrape(url);
    expect(before.value('func_worker_processes', { unit: 'metered', state: 'idle' })).toBe(2);
    expect(before.value('func_worker_processes', { unit: 'metered', state: 'busy' })).toBe(0);

    for (const x of [1, 2]) expect((await api('POST', '/api/v1/func/pm__demo.ok', { kwargs: { x } })).status).toBe(200);
    expect((await api('POST', '/api/v1/func/pm__demo.boom', { kwargs: {} })).status).not.toBe(200);
    const m = await eventually(
      async () => {
        const e = await scrape(url);
        const n =
          e.find('func_tasks_finished_total', { func_id: 'pm__demo.ok' }).reduce((a, s) => a + s.value, 0) +
          e.find('func_tasks_finished_total', { func_id: 'pm__demo.boom' }).reduce((a, s) => a + s.value, 0);
        return n === 3 ? e : undefined;
      },
      20_000,
      'three outcomes on the worker',
    );
    const [ok] = m.find('func_tasks_finished_total', { func_id: 'pm__demo.ok', status: 'success' });
    expect(ok!.value).toBe(2);
    expect(m.value('func_task_duration_seconds_count', ok!.labels)).toBe(2);
    expect(m.find('func_tasks_finished_total', { func_id: 'pm__demo.boom', status: 'failure', queue: ok!.labels.queue! })[0]!.value).toBe(1);
    expect(m.value('func_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(m.find('func_nodejs_eventloop_lag_seconds')).toHaveLength(1);
    // Queues are the server's to show (one broker, however many workers).
    expect(m.find('func_queue_length')).toHaveLength(0);
  });

  it('the beat serves its leadership on its fixed port', async () => {
    const url = `http://127.0.0.1:${beatPort}/metrics`;
    const m = await eventually(
      async () => {
        const e = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } }).then(
          (r) => (r.ok ? r.text() : undefined),
          () => undefined,
        );
        return e === undefined ? undefined : parsePrometheusText(e);
      },
      30_000,
      'the beat metrics',
    );
    expect(m.types.get('func_leader')).toBe('gauge');
    const leader = await eventually(async () => ((await scrape(url)).value('func_leader', { role: 'beat' }) === 1 ? 1 : undefined), 20_000, 'the beat leading');
    expect(leader).toBe(1);
    expect(m.types.get('func_process_cpu_seconds_total')).toBe('counter');
    expect((await services()).find((s) => s.kind === 'beat')?.metricsPort).toBe(beatPort);
  });

  it('the server serves HTTP timings, submissions (the three calls of the first test) and the queue gauges', async () => {
    expect((await fetch(`${prod.base}/metrics`)).status).toBe(401);
    const m = await scrape(`${prod.base}/metrics`);
    expect(m.value('func_tasks_submitted_total', { origin: 'direct' })).toBe(3);
    expect(m.find('func_http_request_duration_seconds_count', { route: '/api/v1/func/:funcId', method: 'POST' }).reduce((a, s) => a + s.value, 0)).toBe(3);
    for (const name of ['func_queue_length', 'func_queue_delayed', 'func_queue_in_flight']) {
      expect(m.types.get(name)).toBe('gauge');
      expect(m.find(name).length).toBeGreaterThan(0);
    }
    expect(m.find('func_worker_processes')).toHaveLength(0);
  });
});
