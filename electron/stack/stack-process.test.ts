/**
 * The desktop's stack lifecycle against a real forked stack (the same entry Electron runs in a
 * utilityProcess): start, SIGKILL the stack, see the supervisor restart it, stop, and no Python
 * runner of that stack is left.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stackEnv } from '../main/stack-env.js';
import { until, withForkedStack } from './forked-stack.js';
import { alive, cmdline, descendants, runnersWithEnv } from './proc-tree.js';

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer().once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => ok(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

const runnersOf = (pid: number): number[] => descendants(pid).filter((p) => cmdline(p).includes('func_runner.py'));

describe.runIf(process.platform === 'linux')('the embedded stack in a child process', () => {
  const userData = mkdtempSync(join(tmpdir(), 'func-desktop-'));
  afterAll(() => rmSync(userData, { recursive: true, force: true }));

  it('starts, restarts after SIGKILL, stops with no runner left', async () => {
    const port = await freePort();
    const env = stackEnv({
      userData,
      port,
      adminPassword: 'desktop-test-password',
      secret: 'desktop-test-secret-desktop-test',
      // Runners started with the stack (not on demand), to see them die with it.
      base: { ...process.env, FUNC_PYTHON: '/usr/bin/python3', FUNC_WORKER_PROCESSES: '1', FUNC_RUNNER_IDLE_STOP_S: '0' },
    });
    await withForkedStack(
      env,
      async ({ sup }) => {
        const url = await sup.start();
        expect(url).toBe(`http://127.0.0.1:${port}`);
        expect((await fetch(`${url}/healthz`)).ok).toBe(true);
        const firstPid = sup.pid!;
        const firstRunners = await until('runners', () => (runnersOf(firstPid).length > 0 ? runnersOf(firstPid) : undefined));

        const restarted = sup.waitFor();
        process.kill(firstPid, 'SIGKILL');
        await restarted;
        expect(sup.current.restarts).toBe(1);
        expect(sup.pid).not.toBe(firstPid);
        expect((await fetch(`${url}/healthz`)).ok).toBe(true);
        // The killed stack's runners die with it (PR_SET_PDEATHSIG), they are not orphaned.
        await until('old runners gone', () => (firstRunners.every((p) => !alive(p)) ? true : undefined), 5000);

        const secondPid = sup.pid!;
        const secondRunners = await until('runners', () => (runnersOf(secondPid).length > 0 ? runnersOf(secondPid) : undefined));
        await sup.stop();
        expect(sup.current.status).toBe('stopped');
        expect(alive(secondPid)).toBe(false);
        expect(secondRunners.filter(alive)).toEqual([]);
        expect(runnersWithEnv(`FUNC_HOME=${env.FUNC_HOME}`)).toEqual([]);
      },
      { baseMs: 200, maxMs: 1000, maxAttempts: 3, stableMs: 60_000 },
    );
  }, 90_000);
});
