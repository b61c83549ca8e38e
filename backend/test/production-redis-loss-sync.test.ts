/**
 * Sync callers waiting when a Redis without persistence restarts empty (production stack: server
 * and worker processes): the tasks queued on Redis for them are lost with it (their record is the
 * worker's to write), and the server enqueues them again from the messages it keeps for its
 * waiters once its result subscription is back (redis-results.ts `reenqueueLost`): each caller
 * gets its result well within the sync wait (min(timeout, 180 s) + 10 s), not a 599 at its end.
 * Both ways a reply travels: straight to the server (the defaults) and through Redis alone.
 * Async tasks across the same loss: production-redis-loss.test.ts.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClients, publishScript } from '../src/testing/test-client.js';
import { freePort, productionEnv, startRole, startOwnRedis, untilServing, type FuncProcess } from '../src/testing/processes.js';

const CODE = `import time

@DFF.API('Slow', timeout=20)
def slow(i):
    time.sleep(2)
    return i
`;
const SYNC_WAIT_MS = 20_000 + 10_000;

let redisPort = 0;
let redis: ChildProcess | undefined;
let env: Awaited<ReturnType<typeof productionEnv>>;
const roles: FuncProcess[] = [];
let port = 0;
let token = '';
const base = (): string => `http://127.0.0.1:${port}`;
const { client } = httpClients(base, () => token);

async function startRedis(): Promise<void> {
  redis = await startOwnRedis(redisPort, ['--appendonly', 'no', '--save', '']);
}

async function call(i: number, t0: number): Promise<{ status: number; body: string; ms: number }> {
  return fetch(`${base()}/api/v1/func/losssync__slow.slow`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-dff-auth-token': token },
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
  beforeAll(async () => {
    redisPort = await freePort();
    await startRedis();
    env = await productionEnv();
    const roleEnv = { ...env.env, FUNC_REDIS_URL: `redis://127.0.0.1:${redisPort}/0`, FUNC_VISIBILITY_TIMEOUT_S: '5', ...extraEnv };
    port = await freePort();
    const server = startRole(['server', '--port', String(port)], roleEnv);
    roles.push(server);
    await untilServing(server, base());
    token = (await client.signIn({ body: { signIn: { username: 'admin', password: env.env.FUNC_ADMIN_PASSWORD! } } })).xAuthToken;
    await publishScript(client, 'losssync__slow', CODE);
    roles.push(startRole(['worker', '--queues', '1', '--name', 'worker-1', '--concurrency', '2'], roleEnv));
  }, 90_000);

  afterAll(async () => {
    await Promise.all(roles.splice(0).map((r) => r.kill('SIGKILL')));
    redis?.kill('SIGKILL');
    await env?.drop();
  });

  it('the tasks Redis lost run again: every waiting caller gets its result', async () => {
    // Warm up: one call answered through the whole path (the worker starts meanwhile).
    let warm = 0;
    for (let n = 0; n < 5 && warm !== 200; n++) warm = (await call(-1, Date.now())).status;
    expect(warm).toBe(200);

    // 6 calls, 2 slots: 2 run (or are handed to the unit), 4 wait on Redis, lost with it.
    const t0 = Date.now();
    const calls = [0, 1, 2, 3, 4, 5].map((i) => call(i, t0));
    await new Promise((r) => setTimeout(r, 700));
    const exited = new Promise((r) => redis!.once('exit', r));
    redis!.kill('SIGKILL');
    await exited;
    await new Promise((r) => setTimeout(r, 1_000));
    await startRedis();
    const answers = await Promise.all(calls);
    answers.forEach((a, i) => {
      expect(a.status, a.body).toBe(200);
      expect((JSON.parse(a.body) as { data: { result: unknown } }).data.result).toBe(i);
      expect(a.ms, a.body).toBeLessThan(SYNC_WAIT_MS - 10_000);
    });
  }, 120_000);
});
