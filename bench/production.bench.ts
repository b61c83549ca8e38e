/**
 * Func in production mode, as separate processes (`func server`, `func worker`) on Redis, with
 * task records kept in MySQL/MariaDB (own database, dropped after) or in SQLite (one host):
 * - sync no-op call latency through HTTP (`POST /api/v1/func/<id>`, keep-alive, sequential);
 * - async drain: the worker process is paused (SIGSTOP), N async calls are enqueued through HTTP
 *   with C concurrent keep-alive connections (`options.async`: record insert + Redis enqueue),
 *   the worker resumed (SIGCONT) and timed until the broker's done counters reach N;
 * - enqueue and drain at once: 5,000 async calls through HTTP while the worker runs, timed from the
 *   first request to the last completion;
 * each with `--concurrency 1` and `2` Python processes. The raw Redis round trip floor is
 * measured at the start of the same run. No records are left queued/running (checked via the API).
 * BENCH_CPU_PROF=dir writes V8 CPU profiles of the server and worker roles into dir.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { RedisBroker } from '../backend/src/adapters/broker/redis/redis-broker.js';
import { QUEUES } from '../backend/src/domain/topology/queues.js';
import { WORKER_RECORD_LINGER_MS } from '../backend/src/wiring/production-roles.js';
import { freePort, productionEnv, startRole, type FuncProcess } from '../backend/src/testing/processes.js';
import { WARMUP_BUDGET_MS, WARMUP_CALLS, elapsedMs, onCleanup, sleep, stopChild, timedLoop, trackChild, until } from './cleanup.js';
import { rawFloor } from './redis-broker.bench.js';
import { deleteKeys } from '../backend/src/adapters/broker/testing/redis-test-env.js';
import { parsePrometheusText } from '../backend/src/testing/prom-text.js';
import { printTable, summarize, type Row } from './stats.js';
import { NOOP_FUNC_ID, publishNoop, serverApi } from './server-api.js';
import { post, syncCaller } from './sync-call.bench.js';

const SYNC_N = Number(process.env.BENCH_SYNC_N ?? 3000);
const DRAIN_N = Number(process.env.BENCH_DRAIN_N ?? 20_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
/** The enqueue-and-drain-at-once run is smaller, to keep the part near a minute. */
const AT_ONCE_N = Math.min(DRAIN_N, Number(process.env.BENCH_AT_ONCE_N ?? 5000));
const SYNC_BUDGET_MS = Number(process.env.BENCH_SYNC_BUDGET_MS ?? 8000);

export type StoreKind = 'mysql' | 'sqlite';

export interface ProcessesResult {
  processes: number;
  sync: Row;
  /** HTTP enqueue rate with the worker paused (tasks/s). */
  enqueueRate: number;
  /** Drain of the pre-filled queue (tasks/s). */
  drain: number;
  /** Enqueue and drain at once, first request to last completion (tasks/s). */
  endToEnd?: number;
}

export interface ProductionResults {
  store: StoreKind;
  floor: Row;
  /** Bare Fastify answering the same POSTs, same client and connections (requests/s). */
  httpFloor: number;
  runs: ProcessesResult[];
}

const REDIS_URL = process.env.FUNC_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** startRole, with `--cpu-prof` (not allowed in NODE_OPTIONS) when BENCH_CPU_PROF names a directory. */
function startProfiledRole(args: string[], env: Record<string, string>, label: string, nodeArgs: string[]): FuncProcess {
  const dir = process.env.BENCH_CPU_PROF;
  return startRole(args, env, [...nodeArgs, ...(dir ? ['--cpu-prof', `--cpu-prof-dir=${join(dir, label.replace(/\W+/g, '-'))}`] : [])]);
}

/** A role process killed at cleanup; `nodeArgs` go to its node (e.g. a bench's `--import` preload). */
export function startTracked(args: string[], env: Record<string, string>, label: string, nodeArgs: string[] = []): { role: FuncProcess; stop: () => Promise<void> } {
  const role = startProfiledRole(args, env, label, nodeArgs);
  trackChild(role.child);
  const stop = onCleanup(label, async () => {
    const timer = setTimeout(() => void role.kill('SIGKILL'), 10_000);
    if (role.child.signalCode === null && role.child.exitCode === null) role.child.kill('SIGCONT');
    await role.kill('SIGTERM');
    clearTimeout(timer);
  });
  return { role, stop };
}

/**
 * CPU time (user + system, ms) a process has used so far, from /proc: a per-task cost that
 * other load on the machine disturbs far less than wall-clock rates (10 ms ticks).
 */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

export async function doneCount(broker: RedisBroker): Promise<number> {
  return (await broker.stats()).reduce((sum, q) => sum + q.done, 0);
}

/**
 * The done count once the acks of earlier calls have all landed. A worker acks a task after
 * its record is stored, and records linger (WORKER_RECORD_LINGER_MS) for company: the last
 * sync calls are answered before they are counted. Read at once, the count would come up
 * short, and a drain "done" a few tasks early (records still queued at the check).
 */
export async function settledDoneCount(broker: RedisBroker): Promise<number> {
  let last = await doneCount(broker);
  for (;;) {
    await sleep(4 * WORKER_RECORD_LINGER_MS);
    const now = await doneCount(broker);
    if (now === last) return now;
    last = now;
  }
}

/** Enqueue `n` async calls over `connections` keep-alive connections; answers tasks/s. */
async function enqueueAsync(port: number, token: string, n: number, connections: number): Promise<number> {
  return postMany(port, `/api/v1/func/${NOOP_FUNC_ID}`, token, n, connections);
}

/** `n` async-call POSTs to `path` over `connections` keep-alive connections; answers requests/s. */
export async function postMany(port: number, path: string, token: string, n: number, connections: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const body = JSON.stringify({ kwargs: {}, options: { async: true } });
  let next = 0;
  const t0 = process.hrtime.bigint();
  try {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < n) {
          next += 1;
          await post(agent, port, path, body, token);
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  return n / (elapsedMs(t0) / 1000);
}

/** The bare Fastify server of bench/http-floor-server.ts in its own process (no hooks, store or broker); killed by `stop` or at exit. */
export async function startHttpFloorServer(): Promise<{ port: number; pid: number; stop: () => Promise<void> }> {
  const child = trackChild(spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'http-floor-server.ts')], { stdio: ['ignore', 'pipe', 'inherit'] }));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
      child.once('exit', (code) => reject(new Error(`the HTTP floor server exited (${String(code)}) before listening`)));
    });
    return { port, pid: child.pid!, stop: () => stopChild(child) };
  } catch (err) {
    await stopChild(child);
    throw err;
  }
}

/**
 * The HTTP floor: the same client and connections against the bare Fastify server, the most HTTP
 * enqueue could reach on this machine in this run.
 */
async function httpFloor(n: number, connections: number): Promise<number> {
  const floor = await startHttpFloorServer();
  try {
    await postMany(floor.port, `/api/v1/func/${NOOP_FUNC_ID}`, 'floor', Math.min(n, 5000), connections); // warm-up
    return await postMany(floor.port, `/api/v1/func/${NOOP_FUNC_ID}`, 'floor', n, connections);
  } finally {
    await floor.stop();
  }
}

/** Waits (up to 30 s) until a sync call through `call` is answered: a worker is up and listening. */
export async function untilAnswering(call: () => Promise<unknown>): Promise<void> {
  await until(
    'the worker answering a sync call',
    30_000,
    async () =>
      await call().then(
        () => true,
        () => false,
      ),
    200,
  );
}

/** The server's `func_sync_handoffs_total` (sync calls handed straight to a worker unit). */
async function handOffCounts(base: string): Promise<{ handed: number; requeued: number }> {
  const m = parsePrometheusText(await (await fetch(`${base}/metrics`)).text());
  return { handed: m.value('func_sync_handoffs_total', { outcome: 'handed' }), requeued: m.value('func_sync_handoffs_total', { outcome: 'requeued' }) };
}

/** The roles' environment for a bench part: a fresh MariaDB database and Redis prefix, both dropped at cleanup (or by `drop`). */
export async function benchProductionEnv(): Promise<{ env: Record<string, string>; prefix: string; drop: () => Promise<void> }> {
  const penv = await productionEnv();
  const prefix = penv.env.FUNC_REDIS_PREFIX!;
  const drop = onCleanup(`database/keys ${prefix}`, async () => {
    await penv.drop();
    await deleteKeys(prefix, REDIS_URL);
  });
  return { env: { ...penv.env, FUNC_REDIS_URL: REDIS_URL, FUNC_LOG_LEVEL: 'warn' }, prefix, drop };
}

export async function benchProduction(store: StoreKind): Promise<ProductionResults> {
  const floorPrefix = `funcbench:${randomBytes(4).toString('hex')}:`;
  let floor: Row;
  try {
    floor = summarize('raw Redis LPUSH + BLMOVE + reply (floor)', await rawFloor(REDIS_URL, floorPrefix, SYNC_N));
  } finally {
    await deleteKeys(floorPrefix, REDIS_URL);
  }
  const httpFloorRate = await httpFloor(DRAIN_N, CONNECTIONS);
  const { env, drop } = await benchProductionEnv();
  if (store === 'sqlite') delete env.FUNC_DB_URL;
  const broker = new RedisBroker({ url: REDIS_URL, prefix: env.FUNC_REDIS_PREFIX! });
  const stopBroker = onCleanup('stats connection', () => broker.close());
  const runs: ProcessesResult[] = [];
  try {
    await broker.ready();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = startTracked(['server', '--port', String(port)], env, `func server ${store}`);
    try {
      await until('the server', 30_000, async () => (await fetch(`${base}/healthz`).catch(() => undefined))?.ok === true, 100).catch((err: unknown) => {
        throw new Error(`${String(err)}\n${server.role.output()}`);
      });
      const api = serverApi(base);
      const token = await publishNoop(api, env.FUNC_ADMIN_PASSWORD);
      const getList = async (status: string): Promise<unknown[]> => {
        const res = await fetch(`${base}/api/v1/task-records/func/do/list?status=${status}&pageSize=10`, { headers: { 'x-dff-auth-token': token } });
        return (JSON.parse(await res.text()) as { data?: unknown[] }).data ?? [];
      };

      for (const processes of [1, 2]) {
        const worker = startTracked(
          ['worker', '--queues', `0-${QUEUES.length - 1}`, '--name', `bench-c${processes}`, '--concurrency', String(processes)],
          env,
          `func worker ${store} c${processes}`,
        );
        try {
          const { call, close } = syncCaller(port, NOOP_FUNC_ID, token);
          await untilAnswering(call);
          await timedLoop(WARMUP_CALLS, WARMUP_BUDGET_MS, call);
          const cpu0 = { server: cpuMs(server.role.child.pid), worker: cpuMs(worker.role.child.pid) };
          const handed0 = await handOffCounts(base);
          const syncSamples = await timedLoop(SYNC_N, SYNC_BUDGET_MS, call);
          const syncCpu = { server: (cpuMs(server.role.child.pid) - cpu0.server) / syncSamples.length, worker: (cpuMs(worker.role.child.pid) - cpu0.worker) / syncSamples.length };
          const handed1 = await handOffCounts(base);
          const sync = summarize(`Func sync no-op via HTTP (${store}, ${processes} py)`, syncSamples, 'server + worker processes, Redis broker');
          close();

          // Pre-filled drain: pause the worker, enqueue, resume.
          const before = await settledDoneCount(broker);
          worker.role.child.kill('SIGSTOP');
          let enqueueRate: number;
          try {
            enqueueRate = await enqueueAsync(port, token, DRAIN_N, CONNECTIONS);
          } finally {
            worker.role.child.kill('SIGCONT');
          }
          const t0 = process.hrtime.bigint();
          const drainCpu0 = cpuMs(worker.role.child.pid);
          await until(`${DRAIN_N} async tasks done`, 120_000, async () => (await doneCount(broker)) >= before + DRAIN_N, 10);
          const drain = DRAIN_N / (elapsedMs(t0) / 1000);
          const drainCpu = (cpuMs(worker.role.child.pid) - drainCpu0) / DRAIN_N;
          const run: ProcessesResult = { processes, sync, enqueueRate, drain };

          if (processes === 2) {
            const before2 = await settledDoneCount(broker);
            const t1 = process.hrtime.bigint();
            await enqueueAsync(port, token, AT_ONCE_N, CONNECTIONS);
            await until(`${AT_ONCE_N} async tasks done`, 120_000, async () => (await doneCount(broker)) >= before2 + AT_ONCE_N, 10);
            run.endToEnd = AT_ONCE_N / (elapsedMs(t1) / 1000);
          }
          const left = [...(await getList('queued')), ...(await getList('running'))];
          if (left.length > 0) throw new Error(`${left.length}+ task records still queued/running after the drain`);
          runs.push(run);
          console.log(
            `  ${store}, ${processes} py: sync p50 ${sync.p50.toFixed(3)} ms p99 ${sync.p99.toFixed(3)} ms; HTTP enqueue ${enqueueRate.toFixed(0)}/s; drain ${drain.toFixed(0)}/s${run.endToEnd ? `; enqueue+drain at once ${run.endToEnd.toFixed(0)}/s` : ''}`,
          );
          console.log(
            `    CPU per task: sync call server ${syncCpu.server.toFixed(3)} ms + worker (Node) ${syncCpu.worker.toFixed(3)} ms; drain worker (Node) ${drainCpu.toFixed(3)} ms`,
          );
          console.log(
            `    sync calls handed straight to the worker: ${handed1.handed - handed0.handed} of ${syncSamples.length}, ${handed1.requeued - handed0.requeued} of them enqueued after all (FUNC_SYNC_HANDOFF=${process.env.FUNC_SYNC_HANDOFF ?? 'on'})`,
          );
        } finally {
          await worker.stop();
        }
      }
    } finally {
      await server.stop();
    }
  } finally {
    await stopBroker();
    await drop();
  }
  printTable(`Func production mode (${store} store, Redis broker, separate server + worker processes), sync no-op via HTTP`, [floor, ...runs.map((r) => r.sync)], floor);
  console.log(`HTTP floor: bare Fastify answering the same POSTs (${CONNECTIONS} connections, same client, own process) ${httpFloorRate.toFixed(0)} requests/s`);
  for (const r of runs) {
    console.log(
      `Func async no-op (${store}, ${r.processes} py): HTTP enqueue (${CONNECTIONS} connections, worker paused) ${r.enqueueRate.toFixed(0)} tasks/s; drain of ${DRAIN_N} queued ${r.drain.toFixed(0)} tasks/s${r.endToEnd ? `; enqueue+drain at once (N=${AT_ONCE_N}) ${r.endToEnd.toFixed(0)} tasks/s` : ''}`,
    );
  }
  return { store, floor, httpFloor: httpFloorRate, runs };
}
