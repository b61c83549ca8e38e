/**
 * Where a task's CPU goes, process by process, in production mode (`func server` and `func worker`
 * on Redis, records in MariaDB): what the targets of HTTP enqueue and the sync tail are spent on.
 * - HTTP async enqueue, no worker: tasks/s and, per task, the CPU µs of the server, Redis,
 *   MariaDB, this bench's client and the whole machine (busy and idle, /proc/stat, irq counted
 *   busy), MySQL statements and Redis commands (inside scripts too) per task;
 * - sync no-op calls, one worker with one Python process: p50/p99 and the same per call, with the
 *   worker and its Python runner;
 * - enqueue and drain at once: BENCH_COST_AT_ONCE_N (5,000) async calls through HTTP while a worker
 *   with two Python processes runs, timed until they are done, and the same per task (target 2's
 *   second figure).
 * Redis and MariaDB are the machine's shared ones: run it on an otherwise idle machine. The
 * baseline, measured first in the same run: the same POSTs answered by a bare Fastify server in its
 * own process (bench/http-floor-server.ts), its CPU and the client's per request. The first round
 * of each part warms up (printed, marked). BENCH_COST_ROUNDS (3) rounds of BENCH_COST_N (20,000)
 * enqueues and BENCH_COST_SYNC_S (8) seconds of sync calls.
 */
import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { freePort } from '../backend/src/testing/processes.js';
import { until } from './cleanup.js';
import { describeGc, gcWindow } from './gc-trace.js';
import { childrenCpuMs, machineCpuMs, ownCpuMs, pidOf } from './process-usage.js';
import { RedisBroker } from '../backend/src/adapters/broker/redis/redis-broker.js';
import { benchProductionEnv, doneCount, postMany, settledDoneCount, startHttpFloorServer, startTracked, untilAnswering } from './production.bench.js';
import { NOOP_FUNC_ID, publishNoop, serverApi } from './server-api.js';
import { syncCaller } from './sync-call.bench.js';

const ROUNDS = Number(process.env.BENCH_COST_ROUNDS ?? 3);
const N = Number(process.env.BENCH_COST_N ?? 20_000);
const SYNC_S = Number(process.env.BENCH_COST_SYNC_S ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const AT_ONCE_N = Number(process.env.BENCH_COST_AT_ONCE_N ?? 5000);
const REDIS_URL = process.env.FUNC_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

type Counters = Record<string, number>;

/** Each part's CPU ms so far, by name (a process, or a worker's Python children). */
type CpuParts = Record<string, () => number>;

const own = (pids: Record<string, number | undefined>): CpuParts => Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, () => ownCpuMs(pid)]));

/** CPU ms so far of each part, the machine's busy/idle ms, MySQL statements and Redis commands. */
async function counters(parts: CpuParts, mysql: Awaited<ReturnType<typeof createConnection>>, redis: Redis): Promise<Counters> {
  const out: Counters = {};
  for (const [name, cpuMs] of Object.entries(parts)) out[`${name} µs`] = cpuMs();
  const me = process.cpuUsage();
  out['client µs'] = (me.user + me.system) / 1000;
  const machine = machineCpuMs();
  out['machine busy µs'] = machine.busy;
  out['machine idle µs'] = machine.idle;
  const [rows] = await mysql.query("SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_insert', 'Com_update', 'Com_update_multi', 'Com_select')");
  out['MySQL statements'] = (rows as { Value: string }[]).reduce((sum, r) => sum + Number(r.Value), 0);
  const stats = await redis.info('commandstats');
  out['Redis commands'] = [...stats.matchAll(/calls=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  return out;
}

/** Per task: CPU counters (ms → µs per task) and counts per task. */
function perTask(before: Counters, after: Counters, tasks: number): Counters {
  const out: Counters = {};
  for (const key of Object.keys(after)) out[key] = ((after[key]! - (before[key] ?? 0)) * (key.endsWith('µs') ? 1000 : 1)) / tasks;
  return out;
}

function print(title: string, rows: { label: string; figure: string; per: Counters }[]): void {
  console.log(`\n${title}`);
  const keys = Object.keys(rows[0]?.per ?? {});
  console.log(`${'round'.padEnd(22)} ${'figure'.padEnd(26)} ${keys.map((k) => k.padStart(k.length + 1)).join('')}`);
  for (const r of rows)
    console.log(`${r.label.padEnd(22)} ${r.figure.padEnd(26)} ${keys.map((k) => (r.per[k] ?? 0).toFixed(k.endsWith('µs') ? 0 : 2).padStart(k.length + 1)).join('')}`);
}

/** The baseline: bare Fastify answering the same POSTs, a warm-up round then a measured one. */
async function floorRows(mysql: Awaited<ReturnType<typeof createConnection>>, redis: Redis): Promise<{ label: string; figure: string; per: Counters }[]> {
  const floor = await startHttpFloorServer();
  try {
    const rows = [];
    for (const label of ['warm-up', 'measured']) {
      const parts = own({ server: floor.pid });
      const c0 = await counters(parts, mysql, redis);
      const rate = await postMany(floor.port, `/api/v1/func/${NOOP_FUNC_ID}`, 'floor', N, CONNECTIONS);
      rows.push({ label: `bare Fastify, ${label}`, figure: `${rate.toFixed(0)} requests/s`, per: perTask(c0, await counters(parts, mysql, redis), N) });
    }
    return rows;
  } finally {
    await floor.stop();
  }
}

/** Enqueue and drain at once: async calls through HTTP while a worker with two Python processes takes them. */
async function atOnce(
  port: number,
  token: string,
  env: Record<string, string>,
  serverPid: number | undefined,
  shared: Record<string, number | undefined>,
  mysql: Awaited<ReturnType<typeof createConnection>>,
  redis: Redis,
): Promise<void> {
  const broker = new RedisBroker({ url: REDIS_URL, prefix: env.FUNC_REDIS_PREFIX! });
  const worker = startTracked(['worker', '--queues', '0-15', '--name', 'bench-cost-2', '--concurrency', '2'], env, 'func worker (cost, 2 py)');
  const { call, close } = syncCaller(port, NOOP_FUNC_ID, token);
  try {
    await broker.ready();
    await untilAnswering(call);
    close();
    const rows = [];
    for (let round = 0; round < ROUNDS; round++) {
      const workerPid = worker.role.child.pid!;
      const parts = { ...own({ server: serverPid, worker: workerPid }), python: () => childrenCpuMs(workerPid), ...own(shared) };
      const before = await settledDoneCount(broker);
      const c0 = await counters(parts, mysql, redis);
      const t0 = process.hrtime.bigint();
      await postMany(port, `/api/v1/func/${NOOP_FUNC_ID}`, token, AT_ONCE_N, CONNECTIONS);
      await until(`${AT_ONCE_N} async tasks done`, 120_000, async () => (await doneCount(broker)) >= before + AT_ONCE_N, 5);
      const rate = AT_ONCE_N / (Number(process.hrtime.bigint() - t0) / 1e9);
      rows.push({ label: round === 0 ? 'warm-up' : `round ${round}`, figure: `${rate.toFixed(0)} tasks/s`, per: perTask(c0, await counters(parts, mysql, redis), AT_ONCE_N) });
    }
    print(`Enqueue and drain at once: HTTP async calls (${CONNECTIONS} connections, ${AT_ONCE_N} a round) while a worker with 2 py runs: per task`, rows);
  } finally {
    close();
    await worker.stop();
    await broker.close();
  }
}

export async function benchCost(): Promise<void> {
  const { env } = await benchProductionEnv();
  const mysql = await createConnection(env.FUNC_DB_URL!);
  const redis = new Redis(REDIS_URL);
  try {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    // --trace-gc: each role's GC pauses during the sync rounds (describeGc).
    const server = startTracked(['server', '--port', String(port)], env, 'func server (cost)', ['--trace-gc']);
    await until('the server', 30_000, async () => (await fetch(`${base}/healthz`).catch(() => undefined))?.ok === true, 100);
    const token = await publishNoop(serverApi(base), env.FUNC_ADMIN_PASSWORD);
    const shared = { redis: pidOf('redis-server'), mariadb: pidOf('mariadbd', 'mysqld') };

    print(`Baseline: the same POSTs to a bare Fastify server (${CONNECTIONS} connections, ${N} a round): per request`, await floorRows(mysql, redis));
    const enqueueRows = [];
    for (let round = 0; round < ROUNDS; round++) {
      const parts = own({ server: server.role.child.pid, ...shared });
      const c0 = await counters(parts, mysql, redis);
      const rate = await postMany(port, `/api/v1/func/${NOOP_FUNC_ID}`, token, N, CONNECTIONS);
      const per = perTask(c0, await counters(parts, mysql, redis), N);
      enqueueRows.push({ label: round === 0 ? 'warm-up' : `round ${round}`, figure: `${rate.toFixed(0)} tasks/s`, per });
    }
    print(`HTTP async enqueue, no worker (${CONNECTIONS} connections, ${N} tasks a round): per task`, enqueueRows);

    const worker = startTracked(['worker', '--queues', '0-15', '--name', 'bench-cost', '--concurrency', '1'], env, 'func worker (cost)', ['--trace-gc']);
    const { call, close } = syncCaller(port, NOOP_FUNC_ID, token);
    try {
      await untilAnswering(call);
      const syncRows = [];
      const gcLines: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const workerPid = worker.role.child.pid!;
        const parts = { ...own({ server: server.role.child.pid, worker: workerPid }), python: () => childrenCpuMs(workerPid), ...own(shared) };
        const c0 = await counters(parts, mysql, redis);
        const gc = { server: gcWindow(server.role.output), worker: gcWindow(worker.role.output) };
        const samples: number[] = [];
        const end = Date.now() + SYNC_S * 1000;
        while (Date.now() < end) {
          const t = process.hrtime.bigint();
          await call();
          samples.push(Number(process.hrtime.bigint() - t) / 1e6);
        }
        const per = perTask(c0, await counters(parts, mysql, redis), samples.length);
        samples.sort((a, b) => a - b);
        const q = (p: number): string => samples[Math.min(samples.length - 1, Math.floor(samples.length * p))]!.toFixed(3);
        syncRows.push({ label: round === 0 ? 'warm-up' : `round ${round}`, figure: `p50 ${q(0.5)} p99 ${q(0.99)} ms`, per });
        gcLines.push(
          `  ${syncRows.at(-1)!.label}: p99.9 ${q(0.999)} ms, max ${samples.at(-1)!.toFixed(1)} ms; ${describeGc('server', gc.server(), SYNC_S)}; ${describeGc('worker', gc.worker(), SYNC_S)}`,
        );
      }
      print(`Sync no-op calls, one worker, 1 py (${SYNC_S} s a round): per call`, syncRows);
      console.log(`GC pauses of the roles in the same rounds (--trace-gc; a call waits out a pause of any process on its path):\n${gcLines.join('\n')}`);
    } finally {
      close();
      await worker.stop();
    }
    await atOnce(port, token, env, server.role.child.pid, shared, mysql, redis);
    await server.stop();
  } finally {
    await mysql.end();
    redis.disconnect();
  }
}
