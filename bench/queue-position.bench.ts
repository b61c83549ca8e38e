/**
 * `GET /api/v1/tasks/:id` of a task waiting at position ~10,000 (its answer carries
 * `queuePosition` and `predictedStartMs`: a record read, a ZRANK in the queue's `waiting` zset and
 * the cached T/P of the queue) beside the same call for a finished task (a record read only), in
 * production mode: a `func server` process on Redis + MariaDB (own database, dropped after), a
 * `func worker` listening to queue 1 only (the finished task), 10,000 async calls on queue 5,
 * which nobody serves, enqueued through HTTP first. Sequential GETs over one keep-alive connection.
 */
import { Agent, request } from 'node:http';
import { deleteKeys } from '../backend/src/adapters/broker/testing/redis-test-env.js';
import { freePort, productionEnv, startRole } from '../backend/src/testing/processes.js';
import { WARMUP_BUDGET_MS, onCleanup, timedLoop, trackChild, until } from './cleanup.js';
import { printTable, summarize } from './stats.js';
import { NOOP_FUNC_ID, publishNoop, serverApi } from './server-api.js';
import { post } from './sync-call.bench.js';

const REDIS_URL = process.env.FUNC_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const WAITING_N = Number(process.env.BENCH_WAITING_N ?? 10_000);
const GET_N = Number(process.env.BENCH_GET_N ?? 3000);
const GET_BUDGET_MS = Number(process.env.BENCH_GET_BUDGET_MS ?? 8000);
const CONNECTIONS = 16;

function get(agent: Agent, port: number, path: string, token: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', agent, headers: { 'x-dff-auth-token': token } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => (res.statusCode === 200 ? resolve(data) : reject(new Error(`${res.statusCode}: ${data}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

export async function benchQueuePosition(): Promise<void> {
  const penv = await productionEnv();
  const env: Record<string, string> = { ...penv.env, FUNC_REDIS_URL: REDIS_URL, FUNC_LOG_LEVEL: 'warn' };
  onCleanup(`database/keys ${env.FUNC_REDIS_PREFIX!}`, async () => {
    await penv.drop();
    await deleteKeys(env.FUNC_REDIS_PREFIX!, REDIS_URL);
  });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startRole(['server', '--port', String(port)], env);
  trackChild(server.child);
  onCleanup('func server', () => server.kill('SIGTERM'));
  await until('the server', 30_000, async () => (await fetch(`${base}/healthz`).catch(() => undefined))?.ok === true, 100);
  const api = serverApi(base);
  const token = await publishNoop(api, env.FUNC_ADMIN_PASSWORD);
  const worker = startRole(['worker', '--queues', '1', '--name', 'bench-q1', '--concurrency', '1'], env);
  trackChild(worker.child);
  onCleanup('func worker', () => worker.kill('SIGTERM'));

  // The finished task: a sync call on queue 1.
  const finished = await until(
    'the worker answering',
    30_000,
    async () =>
      await api(`/api/v1/func/${NOOP_FUNC_ID}`, { kwargs: {}, options: { queue: 1 } }, token).then(
        () => true,
        () => false,
      ),
    200,
  ).then(async () => (await api(`/api/v1/func/${NOOP_FUNC_ID}`, { kwargs: {}, options: { queue: 1, async: true } }, token)) as { id: string });
  await until('the finished task', 10_000, async () => {
    const t = JSON.parse(await get(new Agent(), port, `/api/v1/tasks/${finished.id}`, token)) as { data: { status: string } };
    return t.data.status === 'success';
  });

  // 10,000 waiting tasks on queue 5; the last one stands at ~10,000.
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const body = JSON.stringify({ kwargs: {}, options: { async: true, queue: 5 } });
  let next = 0;
  let last = '';
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < WAITING_N) {
        next += 1;
        const answer = JSON.parse(await post(agent, port, `/api/v1/func/${NOOP_FUNC_ID}`, body, token)) as { data: { id: string } };
        if (next === WAITING_N) last = answer.data.id;
      }
    }),
  );
  agent.destroy();
  const one = new Agent({ keepAlive: true, maxSockets: 1 });
  const waitingAnswer = JSON.parse(await get(one, port, `/api/v1/tasks/${last}`, token)) as { data: { queuePosition: number | null; predictedStartMs: number | null } };
  if (typeof waitingAnswer.data.queuePosition !== 'number') throw new Error(`the last waiting task has no queuePosition: ${JSON.stringify(waitingAnswer.data)}`);
  await timedLoop(1000, WARMUP_BUDGET_MS, () => get(one, port, `/api/v1/tasks/${last}`, token));
  const baseline = summarize(
    'GET /api/v1/tasks/:id, finished task',
    await timedLoop(GET_N, GET_BUDGET_MS, () => get(one, port, `/api/v1/tasks/${finished.id}`, token)),
    'record read (baseline)',
  );
  const waiting = summarize(
    `GET /api/v1/tasks/:id, waiting at #${waitingAnswer.data.queuePosition}`,
    await timedLoop(GET_N, GET_BUDGET_MS, () => get(one, port, `/api/v1/tasks/${last}`, token)),
    `+ queuePosition (ZRANK) and predictedStartMs, ${WAITING_N} waiting`,
  );
  one.destroy();
  printTable(`Queue position at ${WAITING_N} waiting tasks (Redis + MariaDB, one keep-alive connection, sequential)`, [baseline, waiting], baseline);
}
