/**
 * The whole production stack on a Redis of its own (AOF, fsync always): SIGKILL Redis while
 * async tasks are queued and running, start it again on the same folder and port — every
 * accepted task completes.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClients, publishScript, taskSucceeded } from '../src/testing/test-client.js';
import { freePort, productionEnv, redisAnswers, startRole, startOwnRedis, type FuncProcess } from '../src/testing/processes.js';
import { eventually } from '../src/testing/test-stack.js';

const CODE = `import time

@DFF.API('Work', timeout=60)
def work(i):
    time.sleep(0.1)
    return i
`;

const dir = mkdtempSync(join(tmpdir(), 'func-redis-aof-'));
let redisPort = 0;
let redis: ChildProcess | undefined;
let env: Awaited<ReturnType<typeof productionEnv>>;
const roles: FuncProcess[] = [];
let port = 0;
let token = '';
const { client } = httpClients(
  () => `http://127.0.0.1:${port}`,
  () => token,
);

async function startRedis(): Promise<void> {
  redis = await startOwnRedis(redisPort, ['--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--dir', dir]);
}

beforeAll(async () => {
  redisPort = await freePort();
  await startRedis();
  env = await productionEnv();
  const roleEnv = { ...env.env, FUNC_REDIS_URL: `redis://127.0.0.1:${redisPort}/0`, FUNC_VISIBILITY_TIMEOUT_S: '5' };
  port = await freePort();
  roles.push(startRole(['server', '--port', String(port)], roleEnv));
  await eventually(async () => ((await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok ? true : undefined), 30_000, 'the server');
  token = (await client.signIn({ body: { signIn: { username: 'admin', password: env.env.FUNC_ADMIN_PASSWORD! } } })).xAuthToken;
  await publishScript(client, 'aof__work', CODE);
  roles.push(startRole(['worker', '--queues', '1', '--name', 'worker-1', '--concurrency', '1'], roleEnv));
}, 90_000);

afterAll(async () => {
  await Promise.all(roles.map((r) => r.kill('SIGKILL')));
  redis?.kill('SIGKILL');
  await env?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('Redis restart', () => {
  it('loses no accepted task when Redis is SIGKILLed and started again', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await client.callFunc({ params: { funcId: 'aof__work.work' }, body: { kwargs: { i }, options: { async: true } } });
      if (!('id' in r)) throw new Error(`an async call answered no task id: ${JSON.stringify(r)}`);
      ids.push(r.id);
    }
    const exited = new Promise((r) => redis!.once('exit', r));
    redis!.kill('SIGKILL');
    await exited;
    expect(await redisAnswers(redisPort)).toBeUndefined();
    await startRedis();
    for (const id of ids) {
      const done = await taskSucceeded(client, id, 40_000);
      expect(typeof done.returnValueJSON).toBe('number');
    }
  }, 120_000);
});
