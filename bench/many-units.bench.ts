/**
 * Many worker units on one machine, in production mode (separate `func server` and one
 * `func worker` per unit, Redis broker, MariaDB records): the `standalone` preset (6 units) and
 * the `attached` preset (16 units, one a queue), each unit with its preset's Python processes.
 * With nothing to do, for BENCH_IDLE_MS (20 s): the Redis commands per second that name this
 * stack's keys (counted with MONITOR: blocking reserves should make this small, polling would
 * not), and the CPU share of one core and the RSS of every process of the stack (the server, the
 * workers and their Python runners, from /proc). Then the sync no-op p50/p99 through HTTP with every unit alive.
 * The 6-unit preset, measured in the same run, is the baseline for the 16.
 */
import { Redis } from 'ioredis';
import { PRESETS, type Topology } from '../backend/src/domain/topology/topology.js';
import { freePort } from '../backend/src/testing/processes.js';
import { sleep, timedLoop, until } from './cleanup.js';
import { benchProductionEnv, startTracked } from './production.bench.js';
import { treeUsage, idleCpuShare } from './process-usage.js';
import { NOOP_FUNC_ID, publishNoop, serverApi } from './server-api.js';
import { syncCaller } from './sync-call.bench.js';
import { summarize, type Row } from './stats.js';

const REDIS_URL = process.env.FUNC_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 20_000);
const SYNC_N = Number(process.env.BENCH_SYNC_N ?? 3000);
/** Python processes per unit; the presets' own number (5) unless set. */
const PROCESSES = process.env.BENCH_UNIT_PROCESSES ? Number(process.env.BENCH_UNIT_PROCESSES) : undefined;

interface UnitsResult {
  preset: string;
  units: number;
  pythonProcesses: number;
  processes: number;
  rssMb: number;
  idleCpuPct: number;
  redisCmdsPerS: number;
  sync: Row;
}

/** Counts the commands Redis runs whose arguments name a key under `prefix`, until `stop()`. */
async function countCommands(prefix: string): Promise<{ stop: () => Promise<{ ours: number; all: number }> }> {
  const monitorClient = new Redis(REDIS_URL, { lazyConnect: true });
  await monitorClient.connect();
  const monitor = await monitorClient.monitor();
  let ours = 0;
  let all = 0;
  monitor.on('monitor', (_time: string, args: string[]) => {
    all += 1;
    if (args.some((a) => a.includes(prefix))) ours += 1;
  });
  return {
    stop: () => {
      monitor.disconnect();
      monitorClient.disconnect();
      return Promise.resolve({ ours, all });
    },
  };
}

async function measurePreset(topology: Topology, env: Record<string, string>, serverPid: number, port: number, token: string): Promise<UnitsResult> {
  const unitEnv = { ...env, FUNC_TOPOLOGY: topology.name };
  const workers = topology.units.map((u) => {
    const processes = PROCESSES ?? u.processes;
    return { processes, ...startTracked(['worker', '--queues', u.queues.join(','), '--name', u.name, '--concurrency', String(processes)], unitEnv, `func worker ${u.name}`) };
  });
  try {
    const pythonProcesses = workers.reduce((s, w) => s + w.processes, 0);
    const { call, close } = syncCaller(port, NOOP_FUNC_ID, token);
    await until(
      'every unit started with its Python processes',
      180_000,
      () => Promise.resolve(workers.every((w) => w.role.child.pid !== undefined && treeUsage([w.role.child.pid]).processes >= w.processes + 1)),
      500,
    );
    await until(
      'a sync call answered',
      60_000,
      () =>
        call().then(
          () => true,
          () => false,
        ),
      200,
    );
    await sleep(5000); // start-up work (imports, first heartbeats) settles
    const pids = [serverPid, ...workers.map((w) => w.role.child.pid!)];
    const counter = await countCommands(env.FUNC_REDIS_PREFIX!);
    const idle = await idleCpuShare(pids, IDLE_MS);
    const commands = await counter.stop();
    await timedLoop(2000, 5000, call);
    const sync = summarize(`sync no-op, ${topology.name} (${topology.units.length} units alive)`, await timedLoop(SYNC_N, 8000, call));
    close();
    return {
      preset: topology.name,
      units: topology.units.length,
      pythonProcesses,
      processes: idle.after.processes,
      rssMb: idle.after.rssMb,
      idleCpuPct: idle.share * 100,
      redisCmdsPerS: commands.ours / (IDLE_MS / 1000),
      sync,
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

export async function benchManyUnits(): Promise<void> {
  const { env, drop } = await benchProductionEnv();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startTracked(['server', '--port', String(port)], env, 'func server (many units)');
  const results: UnitsResult[] = [];
  try {
    await until('the server', 30_000, async () => (await fetch(`${base}/healthz`).catch(() => undefined))?.ok === true, 100);
    const token = await publishNoop(serverApi(base), env.FUNC_ADMIN_PASSWORD);
    for (const name of ['standalone', 'attached']) {
      const r = await measurePreset(PRESETS[name]!, env, server.role.child.pid!, port, token);
      results.push(r);
      console.log(
        `  ${r.preset}: ${r.units} units, ${r.pythonProcesses} Python processes; idle ${IDLE_MS / 1000} s: ${r.redisCmdsPerS.toFixed(1)} Redis commands/s on this stack's keys, stack's CPU ${r.idleCpuPct.toFixed(2)} % of a core, RSS ${r.rssMb.toFixed(0)} MB in ${r.processes} processes; sync p50 ${r.sync.p50.toFixed(3)} ms p99 ${r.sync.p99.toFixed(3)} ms`,
      );
    }
  } finally {
    await server.stop();
    await drop();
  }
  const [six, sixteen] = results;
  if (six && sixteen) {
    console.log('\nMany units, production mode (Redis + MariaDB), baseline: the 6-unit preset in the same run');
    console.log(`${'measurement'.padEnd(44)} ${'6 units'.padStart(10)} ${'16 units'.padStart(10)} ${'16 / 6'.padStart(8)}`);
    const row = (label: string, a: number, b: number, digits: number): void =>
      console.log(`${label.padEnd(44)} ${a.toFixed(digits).padStart(10)} ${b.toFixed(digits).padStart(10)} ${(b / a).toFixed(2).padStart(8)}`);
    row('idle Redis commands/s (this stack)', six.redisCmdsPerS, sixteen.redisCmdsPerS, 1);
    row('idle CPU, server + workers + runners (% of a core)', six.idleCpuPct, sixteen.idleCpuPct, 2);
    row('RSS, server + workers + runners (MB)', six.rssMb, sixteen.rssMb, 0);
    row('sync no-op p50 (ms)', six.sync.p50, sixteen.sync.p50, 3);
    row('sync no-op p99 (ms)', six.sync.p99, sixteen.sync.p99, 3);
  }
}
