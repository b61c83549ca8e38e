/**
 * A real `func up` process as a new user starts it: the setting it names when it cannot start (a
 * FUNC_PYTHON that cannot be run).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { roleCommand } from '../src/testing/processes.js';

interface UpProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const homes: string[] = [];
const running: UpProcess[] = [];

/** `func up` on a fresh FUNC_HOME (SQLite), any free port, with `env` on top. */
function up(env: Record<string, string>): UpProcess {
  const home = mkdtempSync(join(tmpdir(), 'func-up-start-'));
  homes.push(home);
  // None of this machine's settings: SQLite, no Redis, the admin password generated (and printed), the defaults.
  const unset = new Set(['FUNC_DB_URL', 'FUNC_REDIS_URL', 'FUNC_ADMIN_PASSWORD', 'FUNC_HOST', 'FUNC_PYTHON']);
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !unset.has(name)));
  const base = { ...inherited, FUNC_HOME: home, FUNC_PORT: '0', FUNC_WORKER_PROCESSES: '1', FUNC_LOG_LEVEL: 'info' };
  const [cmd, args] = roleCommand(['up']);
  const child = spawn(cmd, args, { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const p = { child, stdout: () => out, stderr: () => err, exited };
  running.push(p);
  return p;
}

afterEach(async () => {
  for (const p of running.splice(0)) {
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
    await p.exited;
  }
});

afterAll(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

describe('func up', () => {
  it('a FUNC_PYTHON that cannot be started: a line names FUNC_PYTHON', async () => {
    const p = up({ FUNC_PYTHON: '/nonexistent/py' });
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toMatch(/spawn \/nonexistent\/py ENOENT \(check FUNC_PYTHON/);
    expect(p.stdout()).not.toMatch(/is up/);
  }, 40_000);
});
