/**
 * Sync callers waiting when a Redis without persistence restarts empty (production stack: server
 * and worker processes): the tasks queued on Redis for them are lost with it (their record is the
 * worker's to write), and the server enqueues them again from the messages it keeps for its
 * waiters once its result subscription is back (redis-results.ts `reenqueueLost`): each caller
 * gets its result well within the sync wait (min(timeout, 180 s) + 10 s), not a 599 at its end.
 * The same through a sync auth link (`/api/v1/al/<id>`, DataFlux Func's name for a sync API), and
 * for a `FLUSHALL` that keeps every connection up (no reconnect tells: the server's periodic
 * check finds them), with async tasks queued then too (recovered from their records by the
 * data-loss marker's periodic check, wiring/redis-recovery.ts).
 * Both ways a reply travels: straight to the server (the defaults) and through Redis alone.
 * Async tasks across a restart: production-redis-loss.test.ts.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishScript, taskSucceeded } from '../src/testing/test-client.js';
import { ownRedisStack, REDIS_KEEPS_NOTHING, type OwnRedisStack } from '../src/testing/own-redis-stack.js';

const CODE = `import time

@DFF.API('Slow', timeout=20)
def slow(i):
    time.sleep(2)
    return i
`;
const SYNC_WAIT_MS = 20_000 + 10_000;

type Answer = { status: number; body: string; ms: number };

/** A sync call of slow(i): straight (`/api/v1/func/…`) or through an auth link (`/api/v1/al/<id>`). */
async function call(prod: OwnRedisStack, i: number, t0: number, authLink?: string): Promise<Answer> {
  return fetch(authLink === undefined ? `${prod.base}/api/v1/func/losssync__slow.slow` : `${prod.base}/api/v1/al/${authLink}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-dff-auth-token': prod.token },
    body: JSON.stringify({ kwargs: { i } }),
    signal: AbortSignal.timeout(60_000),
  }).then(
    async (res) => ({ status: res.status, body: await res.text(), ms: Date.now() - t0 }),
    (e: unknown) => ({ status: 0, body: String(e), ms: Date.now() - t0 }),
  );
}

/** Each caller got 200 with its own result (an auth link answers the bare value) well within the wait. */
function expectOwnResults(answers: Answer[], expected: number[], bare: (i: number) => boolean = () => false): void {
  answers.forEach((a, n) => {
    expect(a.status, a.body).toBe(200);
    const body = JSON.parse(a.body) as unknown;
    expect(bare(n) ? body : (body as { data: { result: unknown } }).data.result, a.body).toBe(expected[n]);
    expect(a.ms, a.body).toBeLessThan(SYNC_WAIT_MS - 10_000);
  });
}

/** Kills the stack's Redis and starts it again empty a second later. */
async function restartEmpty(prod: OwnRedisStack): Promise<void> {
  await prod.killRedis();
  await new Promise((r) => setTimeout(r, 1_000));
  await prod.startRedis();
}

/** 2 calls that take both slots (or are handed to the unit), then, once they run, `more` that wait on Redis. */
async function slotsTakenThen(prod: OwnRedisStack, more: (t0: number) => Promise<Answer>[]): Promise<{ first: Promise<Answer>[]; waiting: Promise<Answer>[] }> {
  const t0 = Date.now();
  const first = [100, 101].map((i) => call(prod, i, t0));
  await new Promise((r) => setTimeout(r, 500));
  return { first, waiting: more(t0) };
}

describe.each([
  ['replies straight to the server (defaults)', {}],
  ['replies through Redis only', { FUNC_REPLY_HOST: 'off', FUNC_SYNC_HANDOFF: 'off' }],
])('sync callers across a Redis that lost its data: %s', (_name, extraEnv: Record<string, string>) => {
  const prod = ownRedisStack(REDIS_KEEPS_NOTHING, extraEnv);

  beforeAll(async () => {
    await prod.up();
    await publishScript(prod.client, 'losssync__slow', CODE);
    prod.role(['worker', '--queues', '1', '--name', 'worker-1', '--concurrency', '2']);
  }, 90_000);

  afterAll(async () => {
    await prod.down('SIGKILL');
  });

  it('the tasks Redis lost run again: every waiting caller gets its result', async () => {
    // Warm up: one call answered through the whole path (the worker starts meanwhile).
    let warm = 0;
    for (let n = 0; n < 5 && warm !== 200; n++) warm = (await call(prod, -1, Date.now())).status;
    expect(warm).toBe(200);

    // 6 calls, 2 slots: 2 run (or are handed to the unit), 4 wait on Redis, lost with it.
    const t0 = Date.now();
    const calls = [0, 1, 2, 3, 4, 5].map((i) => call(prod, i, t0));
    await new Promise((r) => setTimeout(r, 700));
    await restartEmpty(prod);
    expectOwnResults(await Promise.all(calls), [0, 1, 2, 3, 4, 5]);
  }, 120_000);

  it('a FLUSHALL that keeps the connections: every waiting caller gets its own result, queued async tasks run', async () => {
    const asyncCall = async (i: number): Promise<string> => {
      const r = await prod.client.callFunc({ params: { funcId: 'losssync__slow.slow' }, body: { kwargs: { i }, options: { async: true } } });
      if (!('id' in r)) throw new Error(`an async call answered no task id: ${JSON.stringify(r)}`);
      return r.id;
    };
    const { first, waiting } = await slotsTakenThen(prod, (t0) => [10, 11, 12, 13].map((i) => call(prod, i, t0)));
    const asyncIds = await Promise.all([20, 21].map(asyncCall));
    await new Promise((r) => setTimeout(r, 300));
    const admin = new Redis(prod.redisPort, '127.0.0.1');
    try {
      expect(await admin.flushall()).toBe('OK');
    } finally {
      admin.disconnect();
    }
    expectOwnResults(await Promise.all([...first, ...waiting]), [100, 101, 10, 11, 12, 13]);
    for (const [n, id] of asyncIds.entries()) expect((await taskSucceeded(prod.client, id, 30_000)).returnValueJSON).toBe(20 + n);
  }, 120_000);

  it('a sync auth link: its callers waiting on Redis during an empty restart get their results', async () => {
    const add = await fetch(`${prod.base}/api/v1/auth-links/do/add`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-dff-auth-token': prod.token },
      body: JSON.stringify({ data: { funcId: 'losssync__slow.slow', funcCallKwargsJSON: { i: 'INPUT_BY_CALLER' } } }),
    });
    const text = await add.text();
    expect(add.status, text).toBe(200);
    const link = (JSON.parse(text) as { data: { id: string } }).data.id;
    const { first, waiting } = await slotsTakenThen(prod, (t0) => [30, 31].map((i) => call(prod, i, t0, link)));
    await new Promise((r) => setTimeout(r, 300));
    await restartEmpty(prod);
    expectOwnResults(await Promise.all([...first, ...waiting]), [100, 101, 30, 31], (n) => n >= 2);
  }, 120_000);
});
