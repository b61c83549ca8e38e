/**
 * /metrics of `func up` (one process, one prom-client registry): after calls that succeed and
 * fail, the exposition parses and holds the task counters and duration histogram per function
 * and queue, the queue gauges, busy/idle processes per unit, the beat's leadership, HTTP
 * latency in seconds and prom-client's process and event-loop metrics.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePrometheusText, type Exposition } from '../src/testing/prom-text.js';
import { eventually, useTestStack } from '../src/testing/test-stack.js';

const CODE = `import time

@DFF.API('OK')
def ok(x=1):
    return x

@DFF.API('Boom')
def boom():
    raise ValueError('boom')

@DFF.API('Nap')
def nap(s=1):
    time.sleep(s)
    return s
`;

const t = useTestStack({ metrics__demo: CODE });
let queue = '';

async function scrape(): Promise<Exposition> {
  const r = await t.api('GET', '/metrics');
  expect(r.status, r.text).toBe(200);
  expect(String(r.headers['content-type'])).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(r.text);
}

beforeAll(async () => {
  for (const x of [1, 2, 3]) expect((await t.admin('POST', '/api/v1/func/metrics__demo.ok', { kwargs: { x } })).status).toBe(200);
  const failed = await t.admin('POST', '/api/v1/func/metrics__demo.boom', { kwargs: {} });
  expect(failed.body.ok).toBe(false);
  const taskId = ((await t.admin('GET', '/api/v1/task-records/func/do/list?funcId=metrics__demo.ok')).body.data as { id: string }[])[0]!.id;
  queue = String(((await t.admin('GET', `/api/v1/tasks/${taskId}`)).body.data as { queue: number }).queue);
}, 60_000);

describe('GET /metrics on func up', () => {
  it('counts finished tasks per function, queue and status, with a duration histogram in seconds', async () => {
    // Counted once stored and acked, which follows the sync answer.
    const m = await eventually(
      async () => {
        const e = await scrape();
        return e.find('func_tasks_finished_total', { func_id: 'metrics__demo.boom' }).length > 0 &&
          e.find('func_tasks_finished_total', { func_id: 'metrics__demo.ok' })[0]?.value === 3
          ? e
          : undefined;
      },
      10_000,
      'the four outcomes counted',
    );
    expect(m.types.get('func_tasks_finished_total')).toBe('counter');
    expect(m.types.get('func_task_duration_seconds')).toBe('histogram');
    expect(m.value('func_tasks_finished_total', { func_id: 'metrics__demo.ok', queue, status: 'success' })).toBe(3);
    expect(m.value('func_tasks_finished_total', { func_id: 'metrics__demo.boom', queue, status: 'failure' })).toBe(1);
    const ok = { func_id: 'metrics__demo.ok', queue, status: 'success' };
    expect(m.value('func_task_duration_seconds_count', ok)).toBe(3);
    expect(m.value('func_task_duration_seconds_bucket', { ...ok, le: '+Inf' })).toBe(3);
    // Seconds, not milliseconds: three no-op calls took well under a minute of Python time.
    expect(m.value('func_task_duration_seconds_sum', ok)).toBeGreaterThan(0);
    expect(m.value('func_task_duration_seconds_sum', ok)).toBeLessThan(60);
    expect(m.value('func_task_duration_seconds_count', { func_id: 'metrics__demo.boom', queue, status: 'failure' })).toBe(1);
    expect(m.value('func_tasks_submitted_total', { origin: 'direct' })).toBe(4);
  });

  it('times HTTP requests in seconds by route pattern, method and status', async () => {
    const m = await scrape();
    expect(m.types.get('func_http_request_duration_seconds')).toBe('histogram');
    const calls = m.find('func_http_request_duration_seconds_count', { route: '/api/v1/func/:funcId', method: 'POST' });
    // Three successes (200), the failure under its own status.
    expect(calls.find((s) => s.labels.status === '200')!.value).toBeGreaterThanOrEqual(3);
    expect(calls.filter((s) => s.labels.status !== '200').map((s) => s.value)).toEqual([1]);
    expect(m.value('func_http_request_duration_seconds_bucket', { route: '/api/v1/func/:funcId', method: 'POST', status: '200', le: '30' })).toBe(
      calls.find((s) => s.labels.status === '200')!.value,
    );
    expect(m.find('func_http_request_duration_seconds_count').every((s) => !s.labels.route!.includes('metrics__demo'))).toBe(true);
  });

  it('reads the queue gauges from the broker when scraped', async () => {
    const before = await scrape();
    for (const name of ['func_queue_length', 'func_queue_delayed', 'func_queue_in_flight']) {
      expect(before.types.get(name)).toBe('gauge');
      expect(before.value(name, { queue })).toBe(0);
    }
    const r = await t.admin('POST', '/api/v1/func/metrics__demo.ok', { kwargs: {}, options: { async: true, delay: 600 } });
    expect(r.status, r.text).toBe(200);
    expect((await scrape()).value('func_queue_delayed', { queue })).toBe(1);
    const id = (r.body.data as { id: string }).id;
    expect((await t.admin('POST', `/api/v1/tasks/${id}/do/cancel`)).status).toBe(200);
    expect((await scrape()).value('func_queue_delayed', { queue })).toBe(0);
  });

  it('shows busy and idle processes per worker unit', async () => {
    const idle = await scrape();
    expect(idle.types.get('func_worker_processes')).toBe('gauge');
    const units = t.stack.units.map((u) => u.name);
    // func up starts its Python processes on demand: a unit has none until its first task, and
    // keeps them a while after (the tests before this one ran some).
    for (const unit of units) {
      expect(idle.value('func_worker_processes', { unit, state: 'busy' })).toBe(0);
      expect(idle.value('func_worker_processes', { unit, state: 'idle' })).toBeLessThanOrEqual(1); // FUNC_WORKER_PROCESSES=1 in test stacks
    }
    const call = t.admin('POST', '/api/v1/func/metrics__demo.nap', { kwargs: { s: 2 } });
    const busy = await eventually(
      async () => {
        const e = await scrape();
        return e.find('func_worker_processes', { state: 'busy' }).some((s) => s.value === 1) ? e : undefined;
      },
      10_000,
      'a busy process',
    );
    const napping = busy.find('func_worker_processes', { state: 'busy' }).find((s) => s.value === 1)!.labels.unit!;
    expect(busy.value('func_worker_processes', { unit: napping, state: 'idle' })).toBe(0);
    expect((await call).status).toBe(200);
  });

  it('says the beat leads (no lease in one process) and carries the process and event-loop defaults', async () => {
    const m = await scrape();
    expect(m.types.get('func_leader')).toBe('gauge');
    expect(m.value('func_leader', { role: 'beat' })).toBe(1);
    expect(m.value('func_process_resident_memory_bytes')).toBeGreaterThan(1024 * 1024);
    expect(m.types.get('func_process_cpu_seconds_total')).toBe('counter');
    expect(m.types.get('func_nodejs_eventloop_lag_seconds')).toBe('gauge');
    expect(m.find('func_nodejs_eventloop_lag_p99_seconds')).toHaveLength(1);
    expect(m.types.get('func_nodejs_heap_size_used_bytes')).toBe('gauge');
  });
});
