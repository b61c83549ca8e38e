/**
 * Cron at scale (issue 20, target 4): 100,000 cron jobs on MariaDB, fired by a `func beat`
 * process onto Redis and run by a `func worker` (2 Python processes) over functions that return
 * at once. The jobs are inserted straight into the store (multi-row INSERTs), with mixed
 * expressions: every minute (5 fields: at second 0), every 2 minutes at second 0 (with those, 2,000
 * jobs are due in one second on even minutes), every minute at seconds 1-59, every 5 minutes at
 * seconds 1-59, hourly at every minute and seconds 1-59. Measured over BENCH_CRON_MS (180 s, from
 * a minute boundary):
 * - fire delay: when Redis ran the task's enqueue (MONITOR's timestamp of the EVALSHA, or EVAL the first time) minus the
 *   task's scheduled time (its triggerTime), p50/p99 over every fire and over the largest
 *   same-second burst; every expected (job, time) pair is checked to have been enqueued once;
 * - the beat process's CPU per minute (% of a core, /proc);
 * - the beat's store queries per tick: a preload in the beat process counts mysql2's query() and
 *   execute() calls per wall-clock second (the beat ticks once a second).
 * Baseline (floor), measured in the same run before the beat starts: reading the 2,000 rows of the
 * burst second alone (the due() query a beat must run before it can fire anything), p50 of 5.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Redis } from 'ioredis';
import { openStore } from '../backend/src/adapters/store/open-store.js';
import { encodeRow } from '../backend/src/adapters/store/row-codec.js';
import { ENTITY_TABLES } from '../backend/src/adapters/store/tables.js';
import { cronJobRow } from '../backend/src/adapters/store/testing/fixtures.js';
import { fireTimesWithin, nextFireTime } from '../backend/src/domain/cron/cron-expr.js';
import { QUEUES } from '../backend/src/domain/topology/queues.js';
import { freePort } from '../backend/src/testing/processes.js';
import { elapsedMs, sleep, until } from './cleanup.js';
import { treeUsage } from './process-usage.js';
import { benchProductionEnv, startTracked } from './production.bench.js';
import { publishNoop, publishScript, serverApi } from './server-api.js';
import { percentile } from './stats.js';

const REDIS_URL = process.env.FUNC_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const JOBS = Number(process.env.BENCH_CRON_JOBS ?? 100_000);
const WINDOW_MS = Number(process.env.BENCH_CRON_MS ?? 180_000);
const FUNCS = ['f0', 'f1', 'f2', 'f3'];
const CRON_CODE = FUNCS.map((f) => `@DFF.API('${f}')\ndef ${f}(n=0):\n    return n\n`).join('\n');

/** The job mix, as shares of JOBS: [share, expression of the k-th job of the group]. */
const MIX: readonly (readonly [number, (k: number) => string])[] = [
  [0.015, () => '* * * * *'],
  [0.005, () => '*/2 * * * *'],
  [0.05, (k) => `${1 + (k % 59)} * * * * *`],
  [0.15, (k) => `${1 + (k % 59)} */5 * * * *`],
  [0.78, (k) => `${1 + (Math.floor(k / 60) % 59)} ${k % 60} * * * *`],
];

/** Counts mysql2 queries per wall-clock second; writes them to $BENCH_QUERY_COUNT_FILE on SIGUSR2. */
function preloadSource(): string {
  const base = join(dirname(createRequire(import.meta.url).resolve('mysql2')), 'lib', 'base', 'connection.js');
  return `import { createRequire } from 'node:module';
import { renameSync, writeFileSync } from 'node:fs';
const C = createRequire(import.meta.url)(${JSON.stringify(base)});
const perSecond = {};
for (const name of ['query', 'execute']) {
  const orig = C.prototype[name];
  C.prototype[name] = function (...args) {
    const s = Math.floor(Date.now() / 1000);
    perSecond[s] = (perSecond[s] ?? 0) + 1;
    return orig.apply(this, args);
  };
}
// Written aside, then renamed: the bench polls for the file and must not read it half written.
process.on('SIGUSR2', () => {
  const file = process.env.BENCH_QUERY_COUNT_FILE;
  writeFileSync(file + '.part', JSON.stringify(perSecond));
  renameSync(file + '.part', file);
});
`;
}

interface Fire {
  id: string;
  originId: string;
  scheduled: number;
  delayMs: number;
}

/** Watches Redis for the enqueue scripts carrying cron tasks of this stack (MONITOR). */
async function watchEnqueues(prefix: string): Promise<{ fires: Fire[]; stop: () => void }> {
  const client = new Redis(REDIS_URL, { lazyConnect: true });
  await client.connect();
  const monitor = await client.monitor();
  const fires: Fire[] = [];
  monitor.on('monitor', (time: string, args: string[]) => {
    if (!/^eval(sha)?$/i.test(args[0] ?? '') || !args.some((a) => a.startsWith(prefix))) return;
    const message = args.find((a) => a.startsWith('{') && a.includes('"origin":"cronJob"'));
    if (!message) return;
    const task = JSON.parse(message) as { id: string; originId: string; triggerTime: number };
    fires.push({ id: task.id, originId: task.originId, scheduled: task.triggerTime, delayMs: Number(time) * 1000 - task.triggerTime });
  });
  return {
    fires,
    stop: () => {
      monitor.disconnect();
      client.disconnect();
    },
  };
}

const fmt = (ms: number): string => ms.toFixed(1);

export async function benchCron(): Promise<void> {
  const { env, prefix, drop } = await benchProductionEnv();
  try {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = startTracked(['server', '--port', String(port)], env, 'func server (cron)');
    try {
      await until('the server', 30_000, async () => (await fetch(`${base}/healthz`).catch(() => undefined))?.ok === true, 100);
      const api = serverApi(base);
      const token = await publishNoop(api, env.FUNC_ADMIN_PASSWORD);
      await publishScript(api, token, 'bench__cron', CRON_CODE);
    } finally {
      await server.stop();
    }

    // The window starts at a minute boundary far enough ahead to insert the jobs and start the roles.
    const windowStart = Math.ceil((Date.now() + 45_000) / 60_000) * 60_000;
    const windowEnd = windowStart + WINDOW_MS;
    const store = await openStore({ mysqlUrl: env.FUNC_DB_URL! });
    let burstRead: number;
    /** Every (job, scheduled time) the window must fire: `${job id}@${time}`. */
    const expected = new Set<string>();
    try {
      const spec = ENTITY_TABLES.cronJobs;
      const nextOf = new Map<string, number | null>();
      const firesOf = new Map<string, number[]>();
      const rows: Record<string, unknown>[] = [];
      let n = 0;
      for (const [share, exprOf] of MIX) {
        const count = Math.round(share * JOBS);
        for (let k = 0; k < count; k++, n++) {
          const cronExpr = exprOf(k);
          if (!nextOf.has(cronExpr)) {
            nextOf.set(cronExpr, nextFireTime(cronExpr, null, windowStart - 1));
            firesOf.set(cronExpr, fireTimesWithin(cronExpr, null, windowStart, windowEnd, 10_000).times);
          }
          const job = cronJobRow(`cron-${String(n).padStart(6, '0')}`, `bench__cron.${FUNCS[n % FUNCS.length]!}`, { n }, cronExpr, nextOf.get(cronExpr)!, Date.now());
          rows.push(encodeRow(spec, job));
          for (const t of firesOf.get(cronExpr)!) expected.add(`${job.id}@${t}`);
        }
      }
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < rows.length; i += 1000)
        await store.context.db
          .insertInto(spec.table)
          .values(rows.slice(i, i + 1000))
          .execute();
      console.log(`  inserted ${rows.length} cron jobs in ${(elapsedMs(t0) / 1000).toFixed(1)} s (multi-row INSERTs of 1,000)`);
      const reads: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t1 = process.hrtime.bigint();
        await store.cron.due(windowStart + (windowStart % 120_000 === 0 ? 0 : 60_000), 5000);
        reads.push(elapsedMs(t1));
      }
      burstRead = percentile(
        reads.sort((a, b) => a - b),
        50,
      );
    } finally {
      await store.close();
    }

    const countFile = join(mkdtempSync(join(tmpdir(), 'func-cron-bench-')), 'queries.json');
    const preload = join(dirname(countFile), 'count-queries.mjs');
    writeFileSync(preload, preloadSource());
    const worker = startTracked(['worker', '--queues', `0-${QUEUES.length - 1}`, '--name', 'bench-cron', '--concurrency', '2'], env, 'func worker (cron)');
    const beat = startTracked(['beat'], { ...env, BENCH_QUERY_COUNT_FILE: countFile }, 'func beat (cron)', [`--import=${preload}`]);
    const watch = await watchEnqueues(prefix);
    try {
      if (Date.now() > windowStart - 5000) throw new Error('the set-up took longer than the 45 s ahead of the window');
      await sleep(windowStart - Date.now());
      const beatPid = beat.role.child.pid!;
      const cpu: number[] = [];
      let last = treeUsage([beatPid]).cpuMs;
      for (let t = windowStart + 60_000; t <= windowEnd; t += 60_000) {
        await sleep(t - Date.now());
        const now = treeUsage([beatPid]).cpuMs;
        cpu.push((now - last) / 600);
        last = now;
      }
      await sleep(10_000); // the last second's fires reach Redis
      beat.role.child.kill('SIGUSR2');
      await until('the query counts', 5000, () => Promise.resolve(readFileSafe(countFile) !== undefined), 50);
      report(watch.fires, expected, cpu, JSON.parse(readFileSafe(countFile)!) as Record<string, number>, burstRead, windowStart);
    } finally {
      watch.stop();
      await beat.stop();
      await worker.stop();
    }
  } finally {
    await drop();
  }
}

function report(all: Fire[], expected: ReadonlySet<string>, cpu: number[], perSecond: Record<string, number>, floorMs: number, windowStart: number): void {
  const windowEnd = windowStart + WINDOW_MS;
  const fires = all.filter((f) => f.scheduled >= windowStart && f.scheduled < windowEnd);
  const pairs = new Set(fires.map((f) => `${f.originId}@${f.scheduled}`));
  const bySecond = new Map<number, Fire[]>();
  for (const f of fires) bySecond.set(f.scheduled, [...(bySecond.get(f.scheduled) ?? []), f]);
  const [burstAt, burst] = [...bySecond].reduce((a, b) => (b[1].length > a[1].length ? b : a), [0, [] as Fire[]]);
  const delays = (fs: Fire[]): number[] => fs.map((f) => f.delayMs).sort((a, b) => a - b);
  const d = delays(fires);
  const b = delays(burst);
  const ticks = Array.from({ length: WINDOW_MS / 1000 }, (_, i) => perSecond[String(windowStart / 1000 + i)] ?? 0);
  const queries = ticks.reduce((s, x) => s + x, 0);
  const burstTick = [0, 1, 2, 3].reduce((s, i) => s + (perSecond[String(burstAt / 1000 + i)] ?? 0), 0);
  console.log(
    `  ${JOBS} jobs, window ${WINDOW_MS / 1000} s from ${new Date(windowStart).toISOString()}: ${fires.length} fires enqueued (${pairs.size} distinct job+time pairs, ${expected.size} expected); largest burst ${burst.length} at ${new Date(burstAt).toISOString()}`,
  );
  console.log(`\nCron at scale (MariaDB store, Redis broker, func beat + func worker 2 py), baseline: the floor below`);
  console.log(`${'measurement'.padEnd(58)} ${'p50'.padStart(9)} ${'p99'.padStart(9)} ${'max'.padStart(9)} ${'n'.padStart(7)}`);
  const row = (label: string, xs: number[]): void =>
    console.log(
      `${label.padEnd(58)} ${fmt(percentile(xs, 50)).padStart(9)} ${fmt(percentile(xs, 99)).padStart(9)} ${fmt(xs[xs.length - 1] ?? NaN).padStart(9)} ${String(xs.length).padStart(7)}`,
    );
  console.log(`${"floor: SELECT of the burst second's due rows (ms)".padEnd(58)} ${fmt(floorMs).padStart(9)}`);
  row('fire delay after the due second, all fires (ms)', d);
  row(`fire delay, the largest same-second burst (${burst.length}) (ms)`, b);
  console.log(`beat CPU per minute (% of a core): ${cpu.map((c) => c.toFixed(2)).join(', ')}; average ${(cpu.reduce((s, c) => s + c, 0) / cpu.length).toFixed(2)} %`);
  console.log(
    `beat store queries: ${(queries / ticks.length).toFixed(1)} per tick on average (${queries} in ${ticks.length} ticks, at most ${Math.max(...ticks)} in one second); the burst's ticks (4 s from its second): ${burstTick}; ${(queries / Math.max(1, fires.length)).toFixed(2)} per fire`,
  );
  const missing = [...expected].filter((p) => !pairs.has(p));
  const unexpected = [...pairs].filter((p) => !expected.has(p));
  const problems = [
    pairs.size !== fires.length ? `${fires.length - pairs.size} job+time pairs enqueued twice` : '',
    missing.length > 0 ? `${missing.length} expected fires not seen, e.g. ${missing.slice(0, 5).map(pairName).join(', ')}` : '',
    unexpected.length > 0 ? `${unexpected.length} fires not expected, e.g. ${unexpected.slice(0, 5).map(pairName).join(', ')}` : '',
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`cron fires: ${problems.join('; ')}`);
}

/** `job@time` as `job at <ISO time>`. */
function pairName(pair: string): string {
  const [id, time] = pair.split('@');
  return `${id} at ${new Date(Number(time)).toISOString()}`;
}

function readFileSafe(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
