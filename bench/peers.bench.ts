/**
 * Peers measured in the same run, on the same machine:
 * - BullMQ (npm) on the shared Redis under its own prefix: a Node worker (peers/bullmq-worker.ts)
 *   handing no-op jobs to 2 python3 children over pipes; round trip (add + waitUntilFinished,
 *   sequential) and drain of N pre-added jobs with 2 and with 50 jobs in flight;
 * - Celery (Debian python3-celery) with 2 prefork processes, broker and result backend on a
 *   redis-server started here on a free port (no persistence) and shut down after;
 *   `.delay().get()` round trip and drain of N tasks (peers/celery_bench.py).
 */
import { spawn, type ChildProcess, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { deleteKeys } from '../backend/src/adapters/broker/testing/redis-test-env.js';
import { freePort } from '../backend/src/testing/processes.js';
import { WARMUP_BUDGET_MS, WARMUP_CALLS, elapsedMs, onCleanup, sleep, stopChild, timedLoop, trackChild, until } from './cleanup.js';
import { summarize, type Row } from './stats.js';

const PEERS = join(import.meta.dirname, 'peers');
const RT_N = Number(process.env.BENCH_PEER_N ?? 3000);
const DRAIN_N = Number(process.env.BENCH_DRAIN_N ?? 20_000);
/** Celery's driver warms up by count (CPython has no JIT to wait for; ~2.5 ms a call). */
const CELERY_WARMUP = Math.min(WARMUP_CALLS, 2000);
const CELERY_DRAIN_N = Number(process.env.BENCH_CELERY_DRAIN_N ?? 5000);
const CELERY_PYTHON = process.env.BENCH_CELERY_PYTHON ?? '/usr/bin/python3';

export interface PeerResults {
  bullmq?: { roundTrip: Row; drain2: number; drain50: number; n: number };
  celery?: { roundTrip: Row; drain: number; n: number; sendRate: number };
  errors: string[];
}

interface Spawned {
  child: ChildProcess;
  output: () => string;
}

function spawnTracked(cmd: string, args: string[], options: { env?: Record<string, string>; cwd?: string; detached?: boolean } = {}): Spawned {
  const child = trackChild(spawn(cmd, args, { cwd: options.cwd, detached: options.detached ?? false, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] }));
  let out = '';
  child.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  return { child, output: () => out };
}

// ---------------------------------------------------------------- BullMQ

function startBullWorker(url: string, prefix: string, queue: string, concurrency: number): Promise<Spawned> {
  const w = spawnTracked(process.execPath, ['--import', 'tsx', join(PEERS, 'bullmq-worker.ts')], {
    env: { BENCH_REDIS_URL: url, BENCH_PREFIX: prefix, BENCH_QUEUE: queue, BENCH_CHILDREN: '2', BENCH_CONCURRENCY: String(concurrency) },
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bullmq worker not ready in 20 s: ${w.output()}`)), 20_000);
    w.child.once('exit', (code) => reject(new Error(`bullmq worker exited (${String(code)}): ${w.output()}`)));
    createInterface({ input: w.child.stdout! }).on('line', (line) => {
      if (line === 'ready') {
        clearTimeout(timer);
        resolve(w);
      }
    });
  });
}

async function bullDrain(url: string, prefix: string, concurrency: number, n: number): Promise<number> {
  const name = `drain${concurrency}`;
  const connection = { host: new URL(url).hostname, port: Number(new URL(url).port || 6379), maxRetriesPerRequest: null };
  const queue = new Queue(name, { connection, prefix });
  const w = await startBullWorker(url, prefix, name, concurrency);
  try {
    for (let i = 0; i < n; i += 1000) await queue.addBulk(Array.from({ length: Math.min(1000, n - i) }, () => ({ name: 'noop', data: {} })));
    const t0 = process.hrtime.bigint();
    w.child.stdin!.write('run\n');
    await until(`${n} BullMQ jobs completed`, 90_000, async () => (await queue.getJobCounts('completed')).completed! >= n, 10);
    return n / (elapsedMs(t0) / 1000);
  } finally {
    await stopChild(w.child);
    await queue.close();
  }
}

async function benchBullMQ(url: string): Promise<NonNullable<PeerResults['bullmq']>> {
  const prefix = `funcbench-bull-${randomBytes(4).toString('hex')}`;
  const dropKeys = onCleanup('bullmq keys', async () => {
    await deleteKeys(`${prefix}:`, url);
  });
  const connection = { host: new URL(url).hostname, port: Number(new URL(url).port || 6379), maxRetriesPerRequest: null };
  try {
    const queue = new Queue('rt', { connection, prefix });
    const events = new QueueEvents('rt', { connection, prefix });
    await events.waitUntilReady();
    const w = await startBullWorker(url, prefix, 'rt', 2);
    w.child.stdin!.write('run\n');
    let roundTrip: Row;
    try {
      const once = async (): Promise<void> => {
        const job = await queue.add('noop', {});
        await job.waitUntilFinished(events, 5000);
      };
      await timedLoop(WARMUP_CALLS, WARMUP_BUDGET_MS, once);
      roundTrip = summarize('BullMQ add + waitUntilFinished (2 py children)', await timedLoop(RT_N, 20_000, once));
    } finally {
      await stopChild(w.child);
      await events.close();
      await queue.close();
    }
    const drain2 = await bullDrain(url, prefix, 2, DRAIN_N);
    const drain50 = await bullDrain(url, prefix, 50, DRAIN_N);
    return { roundTrip, drain2, drain50, n: DRAIN_N };
  } finally {
    await dropKeys();
  }
}

// ---------------------------------------------------------------- Celery

async function startRedisServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const r = spawnTracked('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning']);
  const url = `redis://127.0.0.1:${port}/0`;
  const stop = onCleanup(`redis-server :${port}`, () => stopChild(r.child));
  await until(
    `redis-server on ${port}`,
    10_000,
    async () => {
      const c = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      c.on('error', () => undefined);
      try {
        await c.connect();
        return (await c.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        c.disconnect();
      }
    },
    50,
  );
  return { url, stop };
}

async function benchCelery(): Promise<NonNullable<PeerResults['celery']>> {
  const redis = await startRedisServer();
  try {
    const env = { BENCH_CELERY_URL: redis.url, PYTHONDONTWRITEBYTECODE: '1' };
    // Its own process group, so stopping it takes the prefork children along.
    const worker = spawnTracked(
      CELERY_PYTHON,
      ['-m', 'celery', '-A', 'celery_app', 'worker', '--concurrency', '2', '-P', 'prefork', '--loglevel', 'WARNING', '-n', `bench-${process.pid}@%h`],
      { env, cwd: PEERS, detached: true },
    );
    const stopWorker = onCleanup('celery worker', async () => {
      const pid = worker.child.pid;
      if (pid === undefined || worker.child.exitCode !== null) return;
      const exited = new Promise<void>((r) => worker.child.once('exit', () => r()));
      process.kill(-pid, 'SIGTERM');
      const timer = setTimeout(() => {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 10_000);
      await exited;
      clearTimeout(timer);
      await sleep(200);
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // the group is gone
      }
    });
    try {
      const driver = spawnTracked(CELERY_PYTHON, [join(PEERS, 'celery_bench.py'), String(Math.min(RT_N, 2000)), String(CELERY_WARMUP), String(CELERY_DRAIN_N), '40'], {
        env,
        cwd: PEERS,
      });
      let stdout = '';
      driver.child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      const code = await new Promise<number | null>((resolve) => driver.child.once('exit', (c) => resolve(c)));
      if (code !== 0) throw new Error(`celery_bench.py exited ${String(code)}: ${driver.output()}\nworker: ${worker.output()}`);
      const res = JSON.parse(stdout.trim().split('\n').pop()!) as { latencies_ms: number[]; drain_n: number; drain_s: number; send_s: number };
      return { roundTrip: summarize('Celery .delay().get() (2 prefork)', res.latencies_ms), drain: res.drain_n / res.drain_s, n: res.drain_n, sendRate: res.drain_n / res.send_s };
    } finally {
      await stopWorker();
    }
  } finally {
    await redis.stop();
  }
}

export async function benchPeers(url: string = process.env.FUNC_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379'): Promise<PeerResults> {
  const results: PeerResults = { errors: [] };
  try {
    results.bullmq = await benchBullMQ(url);
  } catch (err) {
    results.errors.push(`BullMQ: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!existsSync(CELERY_PYTHON)) results.errors.push(`Celery: ${CELERY_PYTHON} not found`);
  else if (spawnSync(CELERY_PYTHON, ['-c', 'import celery, redis']).status !== 0) {
    results.errors.push(`Celery: ${CELERY_PYTHON} cannot import celery and redis; install Debian's packages: apt-get install -y python3-celery python3-redis`);
  } else {
    try {
      results.celery = await benchCelery();
    } catch (err) {
      results.errors.push(`Celery: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  console.log('\nPeers (same machine, same run)');
  if (results.bullmq) {
    const b = results.bullmq;
    console.log(`  ${b.roundTrip.name.padEnd(48)} p50 ${b.roundTrip.p50.toFixed(3)} ms  p99 ${b.roundTrip.p99.toFixed(3)} ms  (n=${b.roundTrip.n})`);
    console.log(`  ${'BullMQ drain, 2 py children, 2 in flight'.padEnd(48)} ${b.drain2.toFixed(0)} tasks/s  (N=${b.n})`);
    console.log(`  ${'BullMQ drain, 2 py children, 50 in flight'.padEnd(48)} ${b.drain50.toFixed(0)} tasks/s  (N=${b.n})`);
  }
  if (results.celery) {
    const c = results.celery;
    console.log(`  ${c.roundTrip.name.padEnd(48)} p50 ${c.roundTrip.p50.toFixed(3)} ms  p99 ${c.roundTrip.p99.toFixed(3)} ms  (n=${c.roundTrip.n})`);
    console.log(`  ${'Celery drain, 2 prefork'.padEnd(48)} ${c.drain.toFixed(0)} tasks/s  (N=${c.n}; sent at ${c.sendRate.toFixed(0)}/s)`);
  }
  for (const e of results.errors) console.log(`  FAILED ${e}`);
  return results;
}
