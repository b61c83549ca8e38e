/**
 * Fault tests in production mode (separate processes on Redis + MariaDB): every accepted task
 * reaches a final state as specified when a worker, the server or the beat is SIGKILLed, when
 * MariaDB drops its connections, and when a poison task kills its worker every time (then it is
 * listed by GET /api/v1/dead-letters).
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../src/testing/test-stack.js';
import { MYSQL_ADMIN_URL, productionRoles } from '../src/testing/processes.js';
import type { OutputOf } from '../../contract/client/index.js';
import { publishScript, taskFinished } from '../src/testing/test-client.js';
import { parsePrometheusText } from '../src/testing/prom-text.js';
import { MARKED_SLOW_AND_QUICK } from '../src/testing/python-fixtures.js';

const CODE = `${MARKED_SLOW_AND_QUICK}
@DFF.API('Poison')
def poison():
    # Its worker: the nearest node process above it (a runner's parent may be the fork server).
    pid = os.getppid()
    while 'node' not in open('/proc/%d/comm' % pid).read():
        pid = int(open('/proc/%d/stat' % pid).read().rsplit(') ', 1)[1].split()[1])
    os.kill(pid, 9)
`;

// Function code sees only the variables FUNC_RUNNER_ENV names. The runners keep the test's user
// (FUNC_RUNNER_USER=off): under root they would run as nobody, which can neither write the
// marks nor kill its worker, as the poison task does here on purpose.
const prod = productionRoles((home) => ({
  FUNC_VISIBILITY_TIMEOUT_S: '3',
  FUNC_RUNNER_ENV: 'TEST_MARKS,TEST_UNIT',
  FUNC_RUNNER_USER: 'off',
  TEST_MARKS: join(home, 'marks'),
  TEST_UNIT: 'none',
}));
const { api, client, role } = prod;
let marks = '';

const taskDone = (id: string, timeoutMs?: number): Promise<OutputOf<'getTask'>> => taskFinished(client, id, timeoutMs);

async function asyncCall(func: string, kwargs: Record<string, unknown>): Promise<string> {
  const r = await client.callFunc({ params: { funcId: `faults__code.${func}` }, body: { kwargs, options: { async: true } } });
  if (!('id' in r)) throw new Error(`an async call answered no task id: ${JSON.stringify(r)}`);
  return r.id;
}

/** The server's hand-off counters (`func_sync_handoffs_total`). */
async function handOffs(): Promise<{ handed: number; requeued: number }> {
  const m = parsePrometheusText(await (await fetch(`${prod.base}/metrics`)).text());
  return { handed: m.value('func_sync_handoffs_total', { outcome: 'handed' }), requeued: m.value('func_sync_handoffs_total', { outcome: 'requeued' }) };
}

beforeAll(async () => {
  await prod.up();
  marks = prod.env.TEST_MARKS!;
  mkdirSync(marks);
  await publishScript(client, 'faults__code', CODE);
}, 90_000);

afterAll(() => prod.down('SIGKILL'));

describe('faults', () => {
  it('a worker SIGKILLed mid-task: the task is delivered again and completed by another replica', async () => {
    const a = role(['worker', '--queues', '1', '--name', 'worker-1', '--concurrency', '1'], { TEST_UNIT: 'replica-a' });
    const b = role(['worker', '--queues', '1', '--name', 'worker-1', '--concurrency', '1'], { TEST_UNIT: 'replica-b' });
    const id = await asyncCall('slow', { i: 1, seconds: 3 });
    const first = await eventually(() => readdirSync(marks).find((f) => f.startsWith('start-1-')), 20_000, 'the task to start');
    const victim = first.endsWith('replica-a') ? a : b;
    await victim.kill('SIGKILL');
    const done = await taskDone(id, 40_000);
    expect(done.status).toBe('success');
    expect((done.returnValueJSON as { unit: string }).unit).not.toBe(first.slice('start-1-'.length));
    expect(done.attempt).toBe(2);
    await (victim === a ? b : a).kill('SIGTERM');
  }, 60_000);

  it('a sync call handed straight to a worker SIGKILLed mid-task: the caller gets the result of another replica', async () => {
    const a = role(['worker', '--queues', '1', '--name', 'worker-1', '--concurrency', '1'], { TEST_UNIT: 'handed-a' });
    const b = role(['worker', '--queues', '1', '--name', 'worker-1', '--concurrency', '1'], { TEST_UNIT: 'handed-b' });
    // The first sync calls go through Redis; a unit that ran one offers itself to the server.
    const start = await handOffs();
    await eventually(
      async () => {
        expect(await client.callFunc({ params: { funcId: 'faults__code.quick' }, body: { kwargs: { i: 3 } } })).toMatchObject({ result: 3 });
        return (await handOffs()).handed > start.handed || undefined;
      },
      20_000,
      'a sync call handed straight to a worker unit',
    );
    const before = await handOffs();
    const call = client.callFunc({ params: { funcId: 'faults__code.slow' }, body: { kwargs: { i: 11, seconds: 3 } } });
    const first = await eventually(() => readdirSync(marks).find((f) => f.startsWith('start-11-')), 20_000, 'the task to start');
    expect((await handOffs()).handed).toBe(before.handed + 1);
    const victim = first.endsWith('handed-a') ? a : b;
    await victim.kill('SIGKILL');
    const other = first.endsWith('handed-a') ? 'handed-b' : 'handed-a';
    expect(await call).toMatchObject({ result: { i: 11, unit: other } });
    expect((await handOffs()).requeued).toBe(before.requeued + 1);
    await (victim === a ? b : a).kill('SIGTERM');
  }, 60_000);

  it('a worker stopped with SIGTERM mid-task finishes it (attempt 1) and takes nothing new', async () => {
    const w = role(['worker', '--queues', '1', '--name', 'worker-1', '--concurrency', '1'], { TEST_UNIT: 'graceful' });
    const id = await asyncCall('slow', { i: 7, seconds: 2 });
    await eventually(() => readdirSync(marks).find((f) => f === 'start-7-graceful'), 20_000, 'the task to start');
    const queuedMeanwhile = await asyncCall('quick', { i: 8 });
    await w.kill('SIGTERM');
    // Finished before the worker exited: stored and acked, not left for a redelivery.
    expect(await client.getTask({ params: { id } })).toMatchObject({ status: 'success', attempt: 1 });
    expect((await client.getTask({ params: { id: queuedMeanwhile } })).status).toBe('queued');
    const next = role(['worker', '--queues', '1', '--name', 'worker-1', '--concurrency', '1']);
    expect(await taskDone(queuedMeanwhile)).toMatchObject({ status: 'success', attempt: 1 });
    await next.kill('SIGTERM');
  }, 60_000);

  it('a worker stopped with SIGTERM past its grace period gives the unfinished task back at once: another replica runs it (attempt 2)', async () => {
    // A long visibility timeout: the task must not wait for it.
    const long = { FUNC_VISIBILITY_TIMEOUT_S: '300' };
    const leaving = role(['worker', '--queues', '1', '--name', 'worker-1', '--concurrency', '1'], { ...long, TEST_UNIT: 'leaving', FUNC_STOP_GRACE_S: '1' });
    const id = await asyncCall('slow', { i: 9, seconds: 4 });
    await eventually(() => readdirSync(marks).find((f) => f === 'start-9-leaving'), 20_000, 'the task to start');
    const staying = role(['worker', '--queues', '1', '--name', 'worker-1', '--concurrency', '1'], { ...long, TEST_UNIT: 'staying' });
    await leaving.kill('SIGTERM');
    const done = await taskDone(id, 40_000);
    expect(done).toMatchObject({ status: 'success', attempt: 2 });
    expect((done.returnValueJSON as { unit: string }).unit).toBe('staying');
    await staying.kill('SIGTERM');
  }, 60_000);

  it('the server SIGKILLed with async tasks queued: all of them complete', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(await asyncCall('quick', { i }));
    const server = prod.processes.find((r) => r.child.spawnargs.includes('server'))!;
    await server.kill('SIGKILL');
    const worker = role(['worker', '--queues', '1', '--name', 'worker-1', '--concurrency', '2']);
    await prod.startServer();
    await prod.signIn();
    for (const id of ids) expect((await taskDone(id)).status).toBe('success');
    await worker.kill('SIGTERM');
  }, 90_000);

  it('MariaDB dropping every connection: calls keep working', async () => {
    const worker = role(['worker', '--queues', '1', '--name', 'worker-1', '--concurrency', '1']);
    expect((await taskDone(await asyncCall('quick', { i: 1 }))).status).toBe('success');
    const admin = await createConnection(MYSQL_ADMIN_URL);
    const db = new URL(prod.env.FUNC_DB_URL!).pathname.slice(1);
    const [rows] = await admin.query(`SELECT id FROM information_schema.processlist WHERE db = ?`, [db]);
    const ids = (rows as { id: number }[]).map((r) => r.id);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) await admin.query(`KILL ${id}`).catch(() => undefined);
    await admin.end();
    const results: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await api('POST', '/api/v1/func/faults__code.quick', { kwargs: { i } });
      results.push(String(r.status));
    }
    expect(results).toEqual(['200', '200', '200', '200', '200']);
    const late = await asyncCall('quick', { i: 9 });
    expect((await taskDone(late)).status).toBe('success');
    await worker.kill('SIGTERM');
  }, 60_000);

  it('the active beat SIGKILLed: the standby takes over, no cron run fired twice or missed', async () => {
    const worker = role(['worker', '--queues', '2', '--name', 'worker-2', '--concurrency', '2']);
    const first = role(['beat']);
    await eventually(() => (first.output().includes('beat is up') ? true : undefined), 20_000, 'the first beat');
    const second = role(['beat']);
    await eventually(() => (second.output().includes('beat is up') ? true : undefined), 20_000, 'the second beat');
    const leader = first.output().includes('(leader)') ? first : second;
    const standby = leader === first ? second : first;
    expect(standby.output()).toContain('(standby)');
    const { id: job } = await client.addCronJob({ body: { data: { funcId: 'faults__code.quick', cronExpr: '* * * * * *', funcCallKwargsJSON: {} } } });
    await eventually(async () => ((await client.listTaskRecords({ query: { originId: job } })).length >= 2 ? true : undefined), 20_000, 'cron runs');
    const killedAt = Date.now();
    await leader.kill('SIGKILL');
    await eventually(
      async () => {
        const rows = await client.listTaskRecords({ query: { originId: job, since: killedAt + 8000 } });
        return rows.length >= 2 ? true : undefined;
      },
      40_000,
      'cron runs after the handover',
    );
    await client.modifyCronJob({ params: { id: job }, body: { data: { isDisabled: true } } });
    const rows = await client.listTaskRecords({ query: { originId: job, pageSize: 1000 } });
    const times = rows.map((r) => r.triggerTimeMs).sort((x, y) => x - y);
    expect(new Set(times).size).toBe(times.length);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(1000);
    expect(rows.every((r) => ['success', 'skipped', 'queued', 'running'].includes(r.status))).toBe(true);
    await standby.kill('SIGTERM');
    await worker.kill('SIGTERM');
  }, 90_000);

  it('a poison task that kills its worker every time ends in the dead letters', async () => {
    const id = await asyncCall('poison', {});
    const status = async (): Promise<string> => (await client.getTask({ params: { id } })).status;
    let deliveries = 0;
    // Like an orchestrator: start a worker again each time the poison task has killed it.
    while ((await status()) !== 'failure' && deliveries < 8) {
      const w = role(['worker', '--queues', '1', '--name', 'worker-1', '--concurrency', '1']);
      const died = await eventually(
        async () => {
          if (w.child.exitCode !== null || w.child.signalCode !== null) return 'died';
          return (await status()) === 'failure' ? 'dead-lettered' : undefined;
        },
        30_000,
        'the worker to die or the task to be dead-lettered',
      );
      if (died === 'died') deliveries += 1;
      else await w.kill('SIGTERM');
    }
    const done = await taskDone(id, 30_000);
    expect(deliveries).toBe(5);
    expect(done.status).toBe('failure');
    expect(done.reason).toBe('EWorkerNoResponse');
    // Listed by the API with its five deliveries, each to a new worker process (unit@host:pid#process).
    const entry = (await client.listDeadLetters({ query: { limit: 10 } })).find((d) => d.taskId === id);
    expect(entry).toMatchObject({ funcId: 'faults__code.poison', queue: 1, attempts: 5, task: { id, origin: 'direct' } });
    expect(entry!.history.map((h) => h.attempt)).toEqual([1, 2, 3, 4, 5]);
    for (const h of entry!.history) expect(h.consumer).toMatch(/^worker-1@.+:\d+$/);
    expect(new Set(entry!.history.map((h) => h.consumer)).size).toBe(5);
  }, 120_000);
});
