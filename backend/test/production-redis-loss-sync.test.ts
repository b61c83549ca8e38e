/**
 * Sync callers waiting when a Redis without persistence restarts empty (production stack: server
 * and worker processes): the tasks queued on Redis for them are lost with it (their record is the
 * worker's to write), and the server enqueues them again from the messages it keeps for its
 * waiters once its result subscription is back (redis-results.ts `reenqueueLost`): each caller
 * gets its result well within the sync wait (min(timeout, 180 s) + 10 s), not a 599 at its end.
 * Both ways a reply travels: straight to the server (the defaults) and through Redis alone.
 * Async tasks across the same loss: production-redis-loss.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishScript } from '../src/testing/test-client.js';
import { ownRedisStack, REDIS_KEEPS_NOTHING, type OwnRedisStack } from '../src/testing/own-redis-stack.js';

const CODE = `import time

@DFF.API('Slow', timeout=20)
def slow(i):
    time.sleep(2)
    return i
`;
const SYNC_WAIT_MS = 20_000 + 10_000;

async function call(prod: OwnRedisStack, i: number, t0: number): Promise<{ status: number; body: string; ms: number }> {
  return fetch(`${prod.base}/api/v1/func/losssync__slow.slow`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-dff-auth-token': prod.token },
    body: JSON.stringify({ kwargs: { i } }),
    signal: AbortSignal.timeout(60_000),
  }).then(
    async (res) => ({ status: res.status, body: await res.text(), ms: Date.now() - t0 }),
    (e: unknown) => ({ status: 0, body: String(e), ms: Date.now() - t0 }),
  );
}

describe.each([
  ['replies straight to the server (defaults)', {}],
  ['replies through Redis only', { FUNC_REPLY_HOST: 'off', FUNC_SYNC_HANDOFF: 'off' }],
])('sync callers across an empty Redis restart: %s', (_name, extraEnv: Record<string, string>) => {
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
    await prod.killRedis();
    await new Promise((r) => setTimeout(r, 1_000));
    await prod.startRedis();
    const answers = await Promise.all(calls);
    answers.forEach((a, i) => {
      expect(a.status, a.body).toBe(200);
      expect((JSON.parse(a.body) as { data: { result: unknown } }).data.result).toBe(i);
      expect(a.ms, a.body).toBeLessThan(SYNC_WAIT_MS - 10_000);
    });
  }, 120_000);
});
