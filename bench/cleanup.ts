/**
 * Everything a benchmark starts is registered here and undone even on failure: child processes
 * are killed by pid on exit (also on SIGINT/SIGTERM), async cleanups (databases, Redis keys)
 * run in reverse order from `runCleanups()` and from the signal handlers.
 */
import type { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();
const cleanups: { label: string; fn: () => Promise<void> }[] = [];

function killAll(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null && c.pid !== undefined) c.kill('SIGKILL');
}

process.once('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    console.error(`\n${sig}: cleaning up`);
    void runCleanups().finally(() => {
      killAll();
      process.exit(130);
    });
  });
}

/** Kill this child on exit if it is still alive. */
export function trackChild(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Run `fn` at cleanup; returns a function that runs it now (once) and unregisters it. */
export function onCleanup(label: string, fn: () => Promise<void>): () => Promise<void> {
  const entry = { label, fn };
  cleanups.push(entry);
  return async () => {
    const i = cleanups.indexOf(entry);
    if (i < 0) return;
    cleanups.splice(i, 1);
    await fn();
  };
}

export async function runCleanups(): Promise<void> {
  while (cleanups.length > 0) {
    const { label, fn } = cleanups.pop()!;
    await fn().catch((err: unknown) => console.error(`cleanup ${label} failed: ${String(err)}`));
  }
}

/** Stop a child by pid: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const elapsedMs = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

/**
 * Warm-up of a latency measurement, the same for Func and its peers: enough calls for V8 to
 * optimize the hot paths of every process involved (on these machines Func's sync p50 is still
 * ~60 % above its steady state after 2,000 calls and settles after ~4,000), cut off by time.
 */
export const WARMUP_CALLS = Number(process.env.BENCH_WARMUP ?? 5000);
export const WARMUP_BUDGET_MS = Number(process.env.BENCH_WARMUP_MS ?? 8000);

/** Time `fn` up to `n` times, stopping early after `budgetMs`. */
export async function timedLoop(n: number, budgetMs: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    out.push(elapsedMs(t0));
    if (elapsedMs(start) > budgetMs) break;
  }
  return out;
}

/** Poll `check` every `everyMs` until it answers true; throws after `timeoutMs`. */
export async function until(what: string, timeoutMs: number, check: () => Promise<boolean>, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
