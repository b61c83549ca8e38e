/**
 * Process counts with Python processes started on demand, as `func up` runs by default (the shared
 * e2e stack starts them with the stack instead): a `func up` of the spec's own, two processes per
 * unit. Idle, a unit has none started but may run two: the overview and the topology say
 * "0 busy · 0 of 2 started" (they read "0/0 busy" beside "2 proc / replica"); a slow task on #3
 * starts one: "1 busy · 1 of 2 started".
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anonymousTest as test, expect } from '../support/fixtures.js';
import { signInTo } from '../support/own-stack.js';
import { ConsolePage } from '../pages/console-page.js';
import { freePort, ROOT } from '../../backend/src/testing/processes.js';
import { E2E_ADMIN_PASSWORD, E2E_SECRET, rememberSecret } from '../../backend/src/testing/test-secrets.js';

let child: ChildProcess | undefined;
let home = '';
let url = '';
let token = '';

test.beforeAll(async () => {
  test.setTimeout(90_000);
  home = mkdtempSync(join(tmpdir(), 'func-e2e-ondemand-'));
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  // No FUNC_RUNNER_IDLE_STOP_S: processes start on demand and stop when idle, func up's default. Nor a
  // database or Redis of the shell's: the stack keeps to its FUNC_HOME, beside the shared one.
  const { FUNC_RUNNER_IDLE_STOP_S: _idle, FUNC_DB_URL: _db, FUNC_REDIS_URL: _redis, FUNC_REDIS_PREFIX: _prefix, ...shell } = process.env;
  child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['backend/src/cli.ts', 'up'], {
    cwd: ROOT,
    env: {
      ...shell,
      FUNC_HOME: home,
      FUNC_PORT: String(port),
      FUNC_HOST: '127.0.0.1',
      FUNC_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
      FUNC_WORKER_PROCESSES: '2',
      FUNC_SECRET: E2E_SECRET,
    },
    stdio: 'ignore',
    detached: true,
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error("the spec's func up did not become healthy in 60 s");
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const res = await fetch(`${url}/api/v1/auth/do/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ signIn: { username: 'admin', password: E2E_ADMIN_PASSWORD } }),
  });
  token = ((await res.json()) as { data: { xAuthToken: string } }).data.xAuthToken;
  rememberSecret(token);
});

test.afterAll(async () => {
  const pid = child?.pid;
  if (pid !== undefined) {
    try {
      process.kill(-pid, 'SIGTERM');
      for (let i = 0; i < 100; i++) {
        process.kill(pid, 0);
        await new Promise((r) => setTimeout(r, 100));
      }
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  rmSync(home, { recursive: true, force: true });
});

test('idle units started on demand show their capacity, on the overview and the topology alike', async ({ page }) => {
  test.setTimeout(90_000);
  await signInTo(page, token);
  const p = new ConsolePage(page);
  await page.goto(`${url}/overview`);
  await expect(p.byTestId('live-indicator')).toHaveAttribute('data-live', 'true');
  await expect(p.byTestId('service-worker-3-busy')).toHaveText('0 busy · 0 of 2 started');
  await expect(p.byTestId('overview-busy-sub')).toHaveText(/^\d+ of \d+ started$/);
  // Six units of two processes each (the standalone preset).
  await expect(p.byTestId('overview-busy-sub')).toHaveText(/ of 12 started$/);
  await page.screenshot({ path: 'test-results/screenshots/on-demand-overview-1280.png' });

  await p.nav('topology');
  await expect(p.byTestId('unit-worker-3-busy')).toHaveText('0 busy · 0 of 2 started');
  await expect(p.byTestId('unit-worker-3-processes')).toHaveText('2 per replica');
  await page.screenshot({ path: 'test-results/screenshots/on-demand-topology-1280.png' });

  // A slow task on #3 starts one of the two.
  const call = await fetch(`${url}/api/v1/func/demo__basics.slow`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-dff-auth-token': token },
    body: JSON.stringify({ kwargs: { seconds: 8 }, options: { async: true, queue: 3 } }),
  });
  expect(call.ok).toBe(true);
  await expect(p.byTestId('unit-worker-3-busy')).toHaveText('1 busy · 1 of 2 started', { timeout: 30_000 });
  await p.nav('overview');
  await expect(p.byTestId('service-worker-3-busy')).toHaveText('1 busy · 1 of 2 started');
  await expect(p.byTestId('overview-busy')).toHaveText('1 busy');
});
