/**
 * The production stack on a Redis of its own that keeps nothing on disk (`--save "" --appendonly
 * no`): SIGKILL it while async tasks are queued (one delayed) and start it again empty — every
 * accepted task still completes, from its record (wiring/redis-recovery.ts), the delayed one not
 * before its eta. While Redis is down a call answers 503 ERedisUnavailable and /healthz answers
 * 503 within 2 s. With AOF instead: production-redis-restart.test.ts.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../contract/errors.js';
import { httpClients, publishScript, taskSucceeded } from '../src/testing/test-client.js';
import { freePort, productionEnv, startRole, redisAnswers, startOwnRedis, untilServing, type FuncProcess } from '../src/testing/processes.js';

const CODE = `import time

@DFF.API('Work', timeout=60)
def work(i):
    time.sleep(0.1)
    return i
`;

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

async function asyncCall(i: number, options: Record<string, unknown> = {}): Promise<string> {
  const r = await client.callFunc({ params: { funcId: 'loss__work.work' }, body: { kwargs: { i }, options: { async: true, ...options } } });
  if (!('id' in r)) throw new Error(`an async call answered no task id: ${JSON.stringify(r)}`);
  return r.id;
}

beforeAll(async () => {
  redisPort = await freePort();
  await startRedis();
  env = await productionEnv();
  const roleEnv = { ...env.env, FUNC_REDIS_URL: `redis://127.0.0.1:${redisPort}/0`, FUNC_VISIBILITY_TIMEOUT_S: '5' };
  port = await freePort();
  const server = startRole(['server', '--port', String(port)], roleEnv);
  roles.push(server);
  await untilServing(server, base());
  token = (await client.signIn({ body: { signIn: { username: 'admin', password: env.env.FUNC_ADMIN_PASSWORD! } } })).xAuthToken;
  await publishScript(client, 'loss__work', CODE);
  roles.push(startRole(['worker', '--queues', '1', '--name', 'worker-1', '--concurrency', '1'], roleEnv));
}, 90_000);

afterAll(async () => {
  await Promise.all(roles.map((r) => r.kill('SIGKILL')));
  redis?.kill('SIGKILL');
  await env?.drop();
});

describe('Redis without persistence restarts', () => {
  it('warns at start that Redis keeps nothing on disk, naming the recovery', () => {
    expect(roles[0]!.output()).toMatch(/Redis keeps nothing on disk .*Queued tasks are enqueued again from their records/);
  });

  it('loses no accepted task: the queued ones are enqueued again from their records, a delayed one keeps its eta', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push(await asyncCall(i));
    const delayedId = await asyncCall(100, { delay: 12 });
    const delayedAt = Date.now();
    await taskSucceeded(client, ids[2]!, 30_000);

    const exited = new Promise((r) => redis!.once('exit', r));
    redis!.kill('SIGKILL');
    await exited;
    expect(await redisAnswers(redisPort)).toBeUndefined();

    // Redis down: /healthz says so within 2 s; a call is refused as 503 ERedisUnavailable.
    const t0 = Date.now();
    const health = await fetch(`${base()}/healthz`);
    expect(health.status).toBe(503);
    expect(Date.now() - t0).toBeLessThan(2_500);
    const refused = await asyncCall(999).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).code).toBe('ERedisUnavailable');
    expect((refused as ApiError).detail.status).toBe(503);

    await startRedis();
    for (const id of ids) {
      const done = await taskSucceeded(client, id, 60_000);
      expect(typeof done.returnValueJSON).toBe('number');
    }
    const delayed = await taskSucceeded(client, delayedId, 60_000);
    expect(delayed.startTimeMs).toBeGreaterThanOrEqual(delayedAt + 11_000);
    expect(roles.map((r) => r.output()).join('')).toMatch(/Redis had lost its data \(no marker key\): \d+ task\(s\) still recorded as queued were enqueued again/);
  }, 150_000);
});
