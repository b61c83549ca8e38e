/**
 * A real `func up` process as a new user starts it: what it prints when it is up (the README's
 * "What `npm start` prints"), and the setting it names when it cannot start (a FUNC_PYTHON that
 * cannot be run, a FUNC_HOST that does not resolve).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('a FUNC_PYTHON that cannot be started: a line names FUNC_PYTHON', async () => {
    const p = up({ FUNC_PYTHON: '/nonexistent/py' });
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toMatch(/spawn \/nonexistent\/py ENOENT \(check FUNC_PYTHON/);
    expect(p.stdout()).not.toMatch(/is up/);
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
