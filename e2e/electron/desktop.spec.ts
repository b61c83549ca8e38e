/**
 * start → console visible → run a function → quit with no processes left.
 * In Electron where a binary exists; otherwise skipped with the reason, and the same flow runs
 * against the web console of a stack started by the desktop's own StackSupervisor (forked stack entry).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { electronBinary } from '../../electron/electron-binary.js';
import { freePort } from '../../electron/main/free-port.js';
import { forkSpawner } from '../../electron/main/spawn-fork.js';
import { stackEnv } from '../../electron/main/stack-env.js';
import { StackSupervisor } from '../../electron/main/stack-supervisor.js';
import { runnersWithEnv } from '../../electron/stack/proc-tree.js';
import { ScriptsPage } from '../pages/scripts-page.js';
import { SignInPage } from '../pages/sign-in-page.js';
import { ensureGreeter } from '../support/fixtures.js';

const ROOT = resolve(import.meta.dirname, '../..');
const binary = electronBinary();
const hasElectron = binary.found;
const PASSWORD = 'desktop-e2e-password';

test('Electron: start → console visible → quit with no processes left', async () => {
  const reason = `no Electron binary on this machine: ${binary.found ? '' : binary.reason}`;
  if (!hasElectron) console.log(`skipped: ${reason}`);
  test.skip(!hasElectron, reason);
  const userData = mkdtempSync(join(tmpdir(), 'func-electron-e2e-'));
  const app = await electron.launch({ executablePath: binary.found ? binary.path : '', args: [ROOT, `--user-data-dir=${userData}`], cwd: ROOT });
  try {
    const win = await app.firstWindow();
    await expect(win.getByTestId('sign-in-form')).toBeVisible({ timeout: 60_000 });
    expect(await win.evaluate('typeof window.funcDesktop')).toBe('object');
  } finally {
    await app.close();
  }
  await expect.poll(() => runnersWithEnv(`FUNC_HOME=${userData}/stack`)).toEqual([]);
  rmSync(userData, { recursive: true, force: true });
});

test('web console (the fallback): desktop stack start → console visible → run a function → stop with no processes left', async ({ page }) => {
  const userData = mkdtempSync(join(tmpdir(), 'func-desktop-web-'));
  const env = stackEnv({
    userData,
    port: await freePort(),
    adminPassword: PASSWORD,
    secret: 'desktop-e2e-secret-desktop-e2e-secret',
    base: { ...process.env, FUNC_PYTHON: '/usr/bin/python3', FUNC_WORKER_PROCESSES: '1' },
  });
  const sup = new StackSupervisor({ spawn: forkSpawner({ entry: join(ROOT, 'electron/stack/stack-entry.ts'), execArgv: ['--import', 'tsx'] }), env, fetch: (u) => fetch(u) });
  try {
    const url = await sup.start();
    // The page objects read the stack from this state file (e2e/support/stack.ts).
    const res = await fetch(`${url}/api/v1/auth/do/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ signIn: { username: 'admin', password: PASSWORD } }),
    });
    const token = ((await res.json()) as { data: { xAuthToken: string } }).data.xAuthToken;
    const state = join(userData, 'e2e-state.json');
    writeFileSync(state, JSON.stringify({ url, password: PASSWORD, token, home: env.FUNC_HOME, pid: sup.pid ?? 0 }));
    process.env.FUNC_E2E_STATE = state;
    await ensureGreeter();

    const signIn = new SignInPage(page);
    await signIn.signIn('admin', PASSWORD);
    await expect(signIn.byTestId('page-title')).toHaveText('Overview');
    const scripts = new ScriptsPage(page);
    await scripts.open('/scripts/e2eapi__hello');
    await scripts.pickFunction('greet');
    await scripts.byTestId('run-button').click();
    await expect(scripts.byTestId('run-result')).toContainText('Hello, world!');
  } finally {
    await sup.stop();
  }
  expect(sup.current.status).toBe('stopped');
  expect(runnersWithEnv(`FUNC_HOME=${env.FUNC_HOME}`)).toEqual([]);
  rmSync(userData, { recursive: true, force: true });
});
