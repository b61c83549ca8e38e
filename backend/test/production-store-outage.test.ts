/**
 * Production mode (separate processes on Redis + MariaDB) when the store goes away under a worker
 * (its MariaDB connection through a relay the test takes down: connections reset, new ones
 * refused, as a killed mariadbd does) and when a worker is SIGKILLed past a task's expiry:
 * no task is dead-lettered, run twice or expired for it, and the worker says what failed.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../src/testing/test-stack.js';
import { productionRoles, type FuncProcess } from '../src/testing/processes.js';
import { publishScript, taskFinished } from '../src/testing/test-client.js';
import { tcpOutage, type TcpOutage } from '../src/testing/tcp-outage.js';
import { MARKED_SLOW_AND_QUICK } from '../src/testing/python-fixtures.js';
import type { OutputOf } from '../../contract/client/index.js';

const CODE = MARKED_SLOW_AND_QUICK;

// A short visibility timeout: a worker that dropped its deliveries would use up all five in ~15 s.
const prod = productionRoles((home) => ({
  FUNC_VISIBILITY_TIMEOUT_S: '3',
  FUNC_RUNNER_ENV: 'TEST_MARKS,TEST_UNIT',
  FUNC_RUNNER_USER: 'off',
  TEST_MARKS: join(home, 'marks'),
  TEST_UNIT: 'none',
}));
const { client, role } = prod;
let marks = '';
let relay: TcpOutage;
/** The worker whose store connection goes through `relay`. */
let worker: FuncProcess;

const taskDone = (id: string, timeoutMs?: number): Promise<OutputOf<'getTask'>> => taskFinished(client, id, timeoutMs);

async function asyncCall(func: string, kwargs: Record<string, unknown>, options: Record<string, unknown> = {}): Promise<string> {
  const r = await client.callFunc({ params: { funcId: `outage__code.${func}` }, body: { kwargs, options: { ...options, async: true } } });
  if (!('id' in r)) throw new Error(`an async call answered no task id: ${JSON.stringify(r)}`);
  return r.id;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const lines = (out: string, text: string): number => out.split('\n').filter((l) => l.includes(text)).length;

beforeAll(async () => {
  await prod.up();
  marks = prod.env.TEST_MARKS!;
  mkdirSync(marks);
  await publishScript(client, 'outage__code', CODE);
  const db = new URL(prod.env.FUNC_DB_URL!);
  relay = await tcpOutage(db.hostname, Number(db.port || 3306));
  db.host = `127.0.0.1:${relay.port}`;
  worker = role(['worker', '--queues', '1', '--name', 'worker-1', '--concurrency', '1'], { FUNC_DB_URL: db.toString(), TEST_UNIT: 'relayed' });
  expect((await taskDone(await asyncCall('quick', { i: 1 }))).status).toBe('success');
}, 90_000);

afterAll(async () => {
  await prod.down('SIGKILL');
  await relay?.close();
});

describe('store outage under a worker', () => {
  it('a task that becomes ready while the store is down waits for it (no delivery used up, not dead-lettered), then runs once; the worker logs it once', async () => {
    const id = await asyncCall('quick', { i: 2 }, { delay: 2, expires: 3600 });
    await relay.down();
    // Long enough for five deliveries 3 s apart.
    await sleep(20_000);
    await relay.up();
    expect(await taskDone(id)).toMatchObject({ status: 'success', attempt: 1, returnValueJSON: 2 });
    expect((await client.listDeadLetters({ query: { limit: 100 } })).map((d) => d.taskId)).not.toContain(id);
    const out = worker.output();
    expect(lines(out, 'worker unit worker-1: looking up a script failed')).toBe(1);
    expect(out).toContain('worker unit worker-1: the store answers again');
    // The role's logger masks a URL's password; this one has none, but no line names the relay's URL with one either.
    expect(out).not.toMatch(/mysql:\/\/[^:\s]+:[^*\s]/);
  }, 60_000);

  it('an outcome whose write fails while the store is down is kept and written when it is back: the task is not run again', async () => {
    const id = await asyncCall('slow', { i: 3, seconds: 2 });
    await eventually(() => readdirSync(marks).find((f) => f === 'start-3-relayed'), 20_000, 'the task to start');
    await relay.down();
    // The task ends meanwhile; a dropped outcome would be delivered again after 3 s, twice over.
    await sleep(10_000);
    await relay.up();
    expect(await taskDone(id)).toMatchObject({ status: 'success', attempt: 1, returnValueJSON: { i: 3, unit: 'relayed' } });
    expect(lines(worker.output(), 'worker unit worker-1: storing an outcome failed')).toBe(1);
  }, 60_000);
});

describe('a worker SIGKILLed past the task’s expiry', () => {
  it('runs the task again on another replica (attempt 2): the time a dead consumer held it does not expire it', async () => {
    const a = role(['worker', '--queues', '1', '--name', 'worker-1', '--concurrency', '1'], { TEST_UNIT: 'replica-a' });
    const b = role(['worker', '--queues', '1', '--name', 'worker-1', '--concurrency', '1'], { TEST_UNIT: 'replica-b' });
    await worker.kill('SIGTERM');
    for (const r of [a, b]) await eventually(() => (r.output().includes('worker-1 is up') ? true : undefined), 30_000, 'a replica');
    // Redelivered ~3 s after the kill (the visibility timeout), past its 2 s expiry.
    const id = await asyncCall('slow', { i: 4, seconds: 1 }, { expires: 2 });
    const first = await eventually(() => readdirSync(marks).find((f) => f.startsWith('start-4-')), 20_000, 'the task to start').catch(async (err: unknown) => {
      throw new Error(`${String(err)}: ${JSON.stringify(await client.getTask({ params: { id } }))}\n${a.output()}\n${b.output()}`);
    });
    const victim = first.endsWith('replica-a') ? a : b;
    await victim.kill('SIGKILL');
    const done = await taskDone(id, 30_000);
    expect(done).toMatchObject({ status: 'success', attempt: 2 });
    expect((done.returnValueJSON as { unit: string }).unit).not.toBe(first.slice('start-4-'.length));
    await (victim === a ? b : a).kill('SIGTERM');
  }, 60_000);
});
