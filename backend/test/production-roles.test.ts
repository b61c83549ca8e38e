/**
 * Production mode for real: separate server, two worker units with different queues, and a
 * beat, on the Redis and MariaDB of 127.0.0.1. Calls are routed to the unit of their queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../src/testing/test-stack.js';
import { publishOverHttp } from '../src/testing/http-api.js';
import { productionRoles } from '../src/testing/processes.js';

const CODE = `import os

@DFF.API('Who runs me')
def who(tag='-'):
    return {'worker': os.environ.get('TEST_UNIT'), 'tag': tag}
`;

const prod = productionRoles();
const { api } = prod;

beforeAll(async () => {
  await prod.up();
  prod.role(['worker', '--queues', '1', '--name', 'worker-a', '--concurrency', '1'], { FUNC_RUNNER_ENV: 'TEST_UNIT', TEST_UNIT: 'worker-a' });
  prod.role(['worker', '--queues', '2,3,5', '--name', 'worker-b', '--concurrency', '2'], { FUNC_RUNNER_ENV: 'TEST_UNIT', TEST_UNIT: 'worker-b' });
  prod.role(['beat']);
  await publishOverHttp(api, 'prod__who', CODE);
}, 90_000);

afterAll(() => prod.down());

describe('production roles on Redis and MariaDB', () => {
  it('shows every role in the topology through their heartbeats', async () => {
    const services = await eventually(
      async () => {
        const r = await api('GET', '/api/v1/topology');
        const s = (r.data as { services: { kind: string; name: string; queues?: number[] }[] }).services;
        return s.length >= 4 ? s : undefined;
      },
      20_000,
      'four services in the topology',
    );
    expect(services.map((s) => `${s.kind}:${s.name}`).sort()).toEqual(expect.arrayContaining(['beat:beat', 'worker:worker-a', 'worker:worker-b']) as unknown);
    expect(services.find((s) => s.name === 'worker-b')!.queues).toEqual([2, 3, 5]);
    expect((await api('GET', '/api/v1/topology')).data).toMatchObject({ mode: 'production' });
  });

  it('runs a sync API call on the unit that listens to its queue, and no other', async () => {
    const id = ((await api('POST', '/api/v1/sync-apis/do/add', { data: { funcId: 'prod__who.who', funcCallKwargsJSON: { tag: 'INPUT_BY_CALLER' } } })).data as { id: string }).id;
    for (let i = 0; i < 5; i++) {
      const r = await api('GET', `/api/v1/sync/${id}/simplified?tag=s${i}`, undefined, false);
      expect(r.status, r.text).toBe(200);
      expect(JSON.parse(r.text)).toEqual({ worker: 'worker-a', tag: `s${i}` });
    }
  });

  it('runs async API calls (queue 3) on worker-b, queryable at once', async () => {
    const id = ((await api('POST', '/api/v1/async-apis/do/add', { data: { funcId: 'prod__who.who', funcCallKwargsJSON: {} } })).data as { id: string }).id;
    const taskId = ((await api('POST', `/api/v1/async/${id}`, { kwargs: {} }, false)).data as { id: string }).id;
    expect((await api('GET', `/api/v1/tasks/${taskId}`)).status).toBe(200);
    const done = await eventually(
      async () => {
        const d = (await api('GET', `/api/v1/tasks/${taskId}`)).data as { status: string; returnValueJSON: { worker: string } };
        return d.status === 'success' ? d : undefined;
      },
      20_000,
      'the async task',
    );
    expect(done.returnValueJSON.worker).toBe('worker-b');
  });

  it('fires a cron job from the beat process (queue 2, worker-b)', async () => {
    const id = (
      (await api('POST', '/api/v1/cron-jobs/do/add', { data: { funcId: 'prod__who.who', cronExpr: '* * * * * *', funcCallKwargsJSON: { tag: 'cron' } } })).data as { id: string }
    ).id;
    const rec = await eventually(
      async () => {
        const rows = (await api('GET', `/api/v1/task-records/func/do/list?origin=cronJob&originId=${id}&status=success`)).data as {
          returnValueJSON: { worker: string; tag: string };
        }[];
        return rows.length > 0 ? rows[0] : undefined;
      },
      20_000,
      'a cron run',
    );
    expect(rec.returnValueJSON).toEqual({ worker: 'worker-b', tag: 'cron' });
    await api('POST', `/api/v1/cron-jobs/${id}/do/modify`, { data: { isDisabled: true } });
  });

  it('debug runs of a draft go to the debug queue (#5, worker-b)', async () => {
    const r = await api('POST', '/api/v1/func-draft/prod__who.who', { kwargs: { tag: 'draft' } });
    expect(r.status, r.text).toBe(200);
    expect((r.data as { result: unknown }).result).toEqual({ worker: 'worker-b', tag: 'draft' });
  });
});
