/**
 * A real `func up` process as a new user starts it: what it prints when it is up (the README's
 * "What `npm start` prints"), and the setting it names when it cannot start (a FUNC_PYTHON that
 * cannot be run, for func worker too, a FUNC_HOST that does not resolve).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { roleCommand } from '../src/testing/processes.js';
import { eventually } from '../src/testing/eventually.js';

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
  return func(['up'], env);
}

/** `func <args>` as `up` runs it. */
function func(argv: string[], env: Record<string, string>): UpProcess {
  const home = mkdtempSync(join(tmpdir(), 'func-up-start-'));
  homes.push(home);
  // None of this machine's settings: SQLite, no Redis, the admin password generated (and printed), the defaults.
  const unset = new Set(['FUNC_DB_URL', 'FUNC_REDIS_URL', 'FUNC_ADMIN_PASSWORD', 'FUNC_HOST', 'FUNC_PYTHON']);
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !unset.has(name)));
  const base = { ...inherited, FUNC_HOME: home, FUNC_PORT: '0', FUNC_WORKER_PROCESSES: '1', FUNC_LOG_LEVEL: 'info' };
  const [cmd, args] = roleCommand(argv);
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
  it('prints the three lines the README shows, and no log line of the server before them', async () => {
    const p = up({});
    await eventually(() => (/^API: /m.test(p.stdout()) ? true : undefined), 30_000, 'the API line');
    const lines = p.stdout().trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^Func \d+\.\d+\.\d+ is up \(embedded: SQLite in \/.+, \d+ worker units, beat\)$/);
    expect(lines[1]).toMatch(/^First start: sign in as admin with password \S+ \(shown once; set FUNC_ADMIN_PASSWORD to choose it\)$/);
    expect(lines[2]).toMatch(/^API: http:\/\/127\.0\.0\.1:\d+\/api\/v1 {3}health: http:\/\/127\.0\.0\.1:\d+\/healthz {3}try: curl http:\/\/127\.0\.0\.1:\d+\/api\/v1\/do\/ping$/);
    expect(p.stdout()).not.toContain('"level"');
  }, 40_000);

  it('a FUNC_PYTHON that does not exist: stops at once naming it and its value, before anything is created', async () => {
    const home = join(mkdtempSync(join(tmpdir(), 'func-up-start-')), 'home');
    homes.push(dirname(home));
    const p = up({ FUNC_PYTHON: '/nonexistent/py', FUNC_HOME: home });
    expect(await p.exited).toBe(2);
    expect(p.stderr()).toBe('func: Invalid configuration: FUNC_PYTHON "/nonexistent/py" does not exist; it must be a Python 3.9+ interpreter (a path, or a command on PATH)\n');
    expect(p.stdout()).toBe('');
    // No store was opened: no admin was created whose password nobody saw.
    expect(existsSync(home)).toBe(false);
  }, 40_000);

  it('func worker with a FUNC_PYTHON that is no Python: stops at once naming it, before it opens the store or Redis', async () => {
    const home = join(mkdtempSync(join(tmpdir(), 'func-up-start-')), 'home');
    homes.push(dirname(home));
    // A Redis nobody listens on: the worker would wait for it, saying so, if it got that far.
    const p = func(['worker', '--queues', '1'], { FUNC_PYTHON: '/bin/true', FUNC_HOME: home, FUNC_REDIS_URL: 'redis://127.0.0.1:1/0' });
    expect(await p.exited).toBe(2);
    expect(p.stderr()).toMatch(/^func: Invalid configuration: FUNC_PYTHON "\/bin\/true" is not a Python interpreter: asked its version( as user \w+)?, it printed ""; it must be/);
    expect(p.stderr()).not.toMatch(/Redis/);
    expect(existsSync(home)).toBe(false);
  }, 40_000);

  it('a FUNC_PYTHON that is a command name is found on PATH (the runners get its path)', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'func-up-start-'));
    homes.push(bin);
    chmodSync(bin, 0o755); // the runners may run as another user
    symlinkSync('/usr/bin/python3', join(bin, 'func-test-python3'));
    const p = up({ FUNC_PYTHON: 'func-test-python3', PATH: `${bin}:${process.env.PATH ?? ''}`, FUNC_RUNNER_IDLE_STOP_S: '0' });
    await eventually(() => (/^API: /m.test(p.stdout()) ? true : undefined), 30_000, 'the API line');
    expect(p.stderr()).toBe('');
  }, 40_000);

  it('a FUNC_HOST that does not resolve: the listen fails naming the address and FUNC_HOST, the lookup as its cause', async () => {
    const p = up({ FUNC_HOST: 'not_a_host' });
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toMatch(
      /^func: cannot listen on not_a_host:0: its host name could not be resolved \(check FUNC_HOST \/ FUNC_PORT \(--host \/ --port\)\)\n {2}because: getaddrinfo \w+ not_a_host$/m,
    );
    expect(p.stdout()).not.toMatch(/is up/);
  }, 40_000);
});
