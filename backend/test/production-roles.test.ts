/**
 * Production mode for real: separate server, two worker units with different queues, and a
 * beat, on the Redis and MariaDB of 127.0.0.1. Calls are routed to the unit of their queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../src/testing/test-stack.js';
import { productionRoles } from '../src/testing/processes.js';
import { ANONYMOUS, publishScript, taskSucceeded, topologyServices } from '../src/testing/test-client.js';

const CODE = `import os

@DFF.API('Who runs me')
def who(tag='-'):
    return {'worker': os.environ.get('TEST_UNIT'), 'tag': tag}
`;

const prod = productionRoles();
const { api, client } = prod;

beforeAll(async () => {
  await prod.up();
  prod.role(['worker', '--queues', '1', '--name', 'worker-a', '--concurrency', '1'], { FUNC_RUNNER_ENV: 'TEST_UNIT', TEST_UNIT: 'worker-a' });
  prod.role(['worker', '--queues', '2,3,5', '--name', 'worker-b', '--concurrency', '2'], { FUNC_RUNNER_ENV: 'TEST_UNIT', TEST_UNIT: 'worker-b' });
  prod.role(['beat']);
  await publishScript(client, 'prod__who', CODE);
}, 90_000);

afterAll(() => prod.down());

describe('production roles on Redis and MariaDB', () => {
  it('shows every role in the topology through their heartbeats', async () => {
    const services = await topologyServices(client, (s) => (s.length >= 4 ? s : undefined), 20_000, 'four services in the topology');
    expect(services.map((s) => `${s.kind}:${s.name}`).sort()).toEqual(expect.arrayContaining(['beat:beat', 'worker:worker-a', 'worker:worker-b']) as unknown);
    expect(services.find((s) => s.name === 'worker-b')!.queues).toEqual([2, 3, 5]);
    expect(await client.getTopology({})).toMatchObject({ mode: 'production' });
  });

  it('runs a sync API call on the unit that listens to its queue, and no other', async () => {
    const { id } = await client.addSyncApi({ body: { data: { funcId: 'prod__who.who', funcCallKwargsJSON: { tag: 'INPUT_BY_CALLER' } } } });
    for (let i = 0; i < 5; i++) {
      const r = await api('GET', `/api/v1/sync/${id}/simplified?tag=s${i}`, undefined, ANONYMOUS);
      expect(r.status, r.text).toBe(200);
      expect(JSON.parse(r.text)).toEqual({ worker: 'worker-a', tag: `s${i}` });
    }
  });

  it('runs async API calls (queue 3) on worker-b, queryable at once', async () => {
    const { id } = await client.addAsyncApi({ body: { data: { funcId: 'prod__who.who', funcCallKwargsJSON: {} } } });
    const taskId = ((await api('POST', `/api/v1/async/${id}`, { kwargs: {} }, ANONYMOUS)).data as { id: string }).id;
    expect((await client.getTask({ params: { id: taskId } })).id).toBe(taskId);
    const done = await taskSucceeded(client, taskId, 20_000, 'the async task');
    expect((done.returnValueJSON as { worker: string }).worker).toBe('worker-b');
  });

  it('fires a cron job from the beat process (queue 2, worker-b)', async () => {
    const { id } = await client.addCronJob({ body: { data: { funcId: 'prod__who.who', cronExpr: '* * * * * *', funcCallKwargsJSON: { tag: 'cron' } } } });
    const rec = await eventually(
      async () => {
        const rows = await client.listTaskRecords({ query: { origin: 'cronJob', originId: id, status: 'success' } });
        return rows[0];
      },
      20_000,
      'a cron run',
    );
    expect(rec.returnValueJSON).toEqual({ worker: 'worker-b', tag: 'cron' });
    await client.modifyCronJob({ params: { id }, body: { data: { isDisabled: true } } });
  });

  it('debug runs of a draft go to the debug queue (#5, worker-b)', async () => {
    const r = await client.callFuncDraft({ params: { funcId: 'prod__who.who' }, body: { kwargs: { tag: 'draft' } } });
    expect(r.result).toEqual({ worker: 'worker-b', tag: 'draft' });
  });

  it('a worker given --queues 9,7 takes a task waiting on #9 before one on #7 that came first', async () => {
    const call = async (queue: number, tag: string): Promise<string> =>
      ((await client.callFunc({ params: { funcId: 'prod__who.who' }, body: { kwargs: { tag }, options: { async: true, queue } } })) as { id: string }).id;
    // Both wait before the worker starts, the #7 one first: its first reserve finds both.
    const low = await call(7, 'low');
    const high = await call(9, 'high');
    const worker = prod.role(['worker', '--queues', '9,7', '--concurrency', '1'], { FUNC_RUNNER_ENV: 'TEST_UNIT', TEST_UNIT: 'worker-c' });
    const [l, h] = await Promise.all([taskSucceeded(client, low, 30_000, 'the #7 task'), taskSucceeded(client, high, 30_000, 'the #9 task')]);
    expect((h.returnValueJSON as { worker: string }).worker).toBe('worker-c');
    expect(h.startTimeMs!).toBeLessThan(l.startTimeMs!);
    // The default name is after the queue set, lowest first; the start line keeps the order given.
    expect(worker.output()).toContain('worker-7-9 is up: queues #9, #7,');
  });
});
