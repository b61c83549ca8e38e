/** Tests' way to run the stack entry's source as the app does, forked under a supervisor. */
import { resolve } from 'node:path';
import { forkSpawner } from '../main/spawn-fork.js';
import type { BackoffPolicy } from '../main/backoff.js';
import { StackSupervisor } from '../main/stack-supervisor.js';

const ENTRY = resolve(import.meta.dirname, 'stack-entry.ts');

export interface ForkedStack {
  sup: StackSupervisor;
  /** What the stack wrote on stdout and stderr so far (the app's stack.log). */
  log: () => string;
}

/** Runs `body` with a supervisor of the entry (tsx), printing the stack's output when it fails; stops the stack after. */
export async function withForkedStack(env: Record<string, string>, body: (stack: ForkedStack) => Promise<void>, backoff?: BackoffPolicy): Promise<void> {
  let log = '';
  const sup = new StackSupervisor({
    spawn: forkSpawner({ entry: ENTRY, execArgv: ['--import', 'tsx'], log: (c) => (log += c) }),
    env,
    fetch: (url) => fetch(url),
    ...(backoff ? { backoff } : {}),
  });
  try {
    await body({ sup, log: () => log });
  } catch (err) {
    console.error(log);
    throw err;
  } finally {
    await sup.stop();
  }
}

/** `probe`'s first answer that is not undefined, tried every 100 ms. */
export async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
