/**
 * The idle footprint of `func up` (every role in one process, SQLite, the embedded broker), as
 * the desktop app embeds it: after start-up settles (BENCH_SETTLE_MS, 60 s: V8's memory reducer
 * runs its full collections of the start-up heap ~25-35 s after start, once), over BENCH_IDLE_MS
 * (30 s) with nothing to do,
 * the processes of its tree, their RSS and the share of one core they use (from /proc); then the
 * latency of the first sync call after that idle time, and of the calls after it. The baseline in
 * the same run: the floors of what it is made of, an empty `node` process and an idle `python3`.
 * Targets (issue 20): ≤ 150 MB RSS in all, ≤ 0.3 % of a core, first call after idling ≤ 150 ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ROOT } from '../backend/src/testing/processes.js';
import { elapsedMs, onCleanup, sleep, stopChild, timedLoop, trackChild, until } from './cleanup.js';
import { idleCpuShare, treeUsage } from './process-usage.js';
import { NOOP_FUNC_ID, publishNoop, serverApi } from './server-api.js';
import { post } from './sync-call.bench.js';
import { summarize } from './stats.js';

const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 30_000);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 60_000);
const PASSWORD = 'bench-footprint-pass';

function start(args: string[]): ChildProcess {
  return trackChild(spawn(args[0]!, args.slice(1), { stdio: 'ignore' }));
}

/** RSS of a bare process of each kind: what any Node role and any Python runner cost at least. */
async function floors(): Promise<{ nodeMb: number; pythonMb: number }> {
  const node = start([process.execPath, '-e', 'setInterval(() => {}, 1000)']);
  const python = start(['/usr/bin/python3', '-c', 'import time\nwhile True: time.sleep(1)']);
  try {
    await sleep(1500);
    return { nodeMb: treeUsage([node.pid!]).rssMb, pythonMb: treeUsage([python.pid!]).rssMb };
  } finally {
    await Promise.all([stopChild(node), stopChild(python)]);
  }
}

export async function benchFootprint(): Promise<void> {
  const floor = await floors();
  const home = mkdtempSync(join(tmpdir(), 'func-bench-up-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const cli = process.env.FUNC_TEST_ROLES === 'dist' ? [join(ROOT, 'dist', 'backend', 'src', 'cli.js')] : ['--import', 'tsx', join(ROOT, 'backend', 'src', 'cli.ts')];
  const up = trackChild(
    spawn(process.execPath, [...cli, 'up'], {
      env: { ...process.env, FUNC_HOME: home, FUNC_PORT: String(port), FUNC_ADMIN_PASSWORD: PASSWORD, FUNC_LOG_LEVEL: 'warn', FUNC_SEED_EXAMPLES: 'false' },
      stdio: 'ignore',
    }),
  );
  const stop = onCleanup('func up', async () => {
    await stopChild(up, 10_000);
    rmSync(home, { recursive: true, force: true });
  });
  try {
    await until('func up', 60_000, async () => (await fetch(`${base}/healthz`).catch(() => undefined))?.ok === true, 200);
    const token = await publishNoop(serverApi(base), PASSWORD);
    // Start-up settles: V8's memory reducer runs its mark-compacts in the first ~30 s after the
    // allocation of the start-up stops; a desktop's stack then idles for hours.
    await sleep(SETTLE_MS);
    const idle = await idleCpuShare([up.pid!], IDLE_MS);
    const agent = new Agent({ keepAlive: false });
    const body = JSON.stringify({ kwargs: {} });
    const t0 = process.hrtime.bigint();
    await post(agent, port, `/api/v1/func/${NOOP_FUNC_ID}`, body, token);
    const firstMs = elapsedMs(t0);
    const after = summarize('sync calls after it', await timedLoop(500, 5000, () => post(agent, port, `/api/v1/func/${NOOP_FUNC_ID}`, body, token)));
    agent.destroy();
    const u = idle.after;
    console.log(`  floors: an empty node process ${floor.nodeMb.toFixed(0)} MB RSS, an idle python3 ${floor.pythonMb.toFixed(0)} MB`);
    console.log(
      `  func up idle ${IDLE_MS / 1000} s: ${u.processes} processes, ${u.rssMb.toFixed(0)} MB RSS in all (${(u.rssMb / (floor.nodeMb + floor.pythonMb)).toFixed(1)}× a node + a python3 floor), ` +
        `CPU ${(idle.share * 100).toFixed(2)} % of a core; first sync call after it ${firstMs.toFixed(1)} ms, then p50 ${after.p50.toFixed(2)} ms`,
    );
    const verdict = (ok: boolean): string => (ok ? 'MET' : 'MISSED');
    console.log(
      `\nfunc up idle footprint: RSS ${u.rssMb.toFixed(0)} MB (target ≤ 150: ${verdict(u.rssMb <= 150)}), CPU ${(idle.share * 100).toFixed(2)} % (≤ 0.3: ${verdict(idle.share <= 0.003)}), first call ${firstMs.toFixed(0)} ms (≤ 150: ${verdict(firstMs <= 150)})`,
    );
  } finally {
    await stop();
  }
}
