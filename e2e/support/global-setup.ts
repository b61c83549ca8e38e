/**
 * Starts one real `func up` (temp FUNC_HOME, free port, 1 Python process per unit) for all specs.
 * It allows its own 127.0.0.1 origin by CORS, so the console can reach the same stack as a remote
 * stack at http://localhost:PORT (another origin: real preflights and signed requests).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { STATE_FILE, type StackInfo } from './stack.js';

const ROOT = resolve(import.meta.dirname, '../..');
const PASSWORD = 'e2e-admin-password';

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

async function waitHealthy(url: string, child: { exitCode: number | null }, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`func up exited with ${child.exitCode}:\n${log()}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`func up did not become healthy in 60 s:\n${log()}`);
}

export default async function globalSetup(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'func-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['backend/src/cli.ts', 'up'], {
    cwd: ROOT,
    env: { ...process.env, FUNC_HOME: home, FUNC_PORT: String(port), FUNC_HOST: '127.0.0.1', FUNC_ADMIN_PASSWORD: PASSWORD, FUNC_WORKER_PROCESSES: '1', FUNC_CORS_ORIGINS: url, FUNC_SECRET: 'e2e-secret-e2e-secret-e2e-secret' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  await waitHealthy(url, child, () => output);
  const res = await fetch(`${url}/api/v1/auth/do/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ signIn: { username: 'admin', password: PASSWORD } }) });
  const token = ((await res.json()) as { data: { xAuthToken: string } }).data.xAuthToken;
  const info: StackInfo = { url, password: PASSWORD, token, home, pid: child.pid ?? 0 };
  writeFileSync(STATE_FILE, JSON.stringify(info));
  process.env.FUNC_E2E_STATE = STATE_FILE;
}
