/**
 * Starts one real `func up` (temp FUNC_HOME, free port, 1 Python process per unit) for all specs.
 * It allows its own 127.0.0.1 origin by CORS, so the console can reach the same stack as a remote
 * stack at http://localhost:PORT (another origin: real preflights and signed requests). It logs at
 * `debug` (every request line) into test-results/logs/e2e-stack.log, which `npm test`'s secrets
 * check greps.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ROOT } from '../../backend/src/testing/processes.js';
import { E2E_ADMIN_PASSWORD, E2E_SECRET, rememberSecret, TEST_LOG_DIR } from '../../backend/src/testing/test-secrets.js';
import { STATE_FILE, type StackInfo } from './stack.js';

const PASSWORD = E2E_ADMIN_PASSWORD;

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
    env: {
      ...process.env,
      FUNC_HOME: home,
      FUNC_PORT: String(port),
      FUNC_HOST: '127.0.0.1',
      FUNC_ADMIN_PASSWORD: PASSWORD,
      FUNC_WORKER_PROCESSES: '1',
      // The specs watch running processes (busy counts, live logs, capacity): the runners start with
      // the stack here. Starting on demand is tested by runner-pool.test.ts and the footprint bench.
      FUNC_RUNNER_IDLE_STOP_S: '0',
      FUNC_CORS_ORIGINS: url,
      FUNC_SECRET: E2E_SECRET,
      FUNC_LOG_LEVEL: 'debug',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  mkdirSync(TEST_LOG_DIR, { recursive: true });
  const log = createWriteStream(join(TEST_LOG_DIR, 'e2e-stack.log'));
  const collect = (d: Buffer): void => {
    if (output.length < 1_000_000) output += d.toString();
    log.write(d);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  await waitHealthy(url, child, () => output);
  const res = await fetch(`${url}/api/v1/auth/do/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ signIn: { username: 'admin', password: PASSWORD } }),
  });
  const token = ((await res.json()) as { data: { xAuthToken: string } }).data.xAuthToken;
  rememberSecret(token); // the console puts it in the query of its event streams: the check greps for it
  const info: StackInfo = { url, password: PASSWORD, token, home, pid: child.pid ?? 0 };
  writeFileSync(STATE_FILE, JSON.stringify(info));
  process.env.FUNC_E2E_STATE = STATE_FILE;
}
