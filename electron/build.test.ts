/**
 * `npm run desktop:build` (electron-vite: main + stack entry, preload, renderer) runs here, then:
 * the preload is CommonJS (sandboxed preloads cannot be ES modules), and the built stack entry
 * starts, serves the built console and stops when forked exactly as the app forks it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './main/free-port.js';
import { forkSpawner } from './main/spawn-fork.js';
import { stackEnv } from './main/stack-env.js';
import { StackSupervisor } from './main/stack-supervisor.js';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'out');

describe('desktop build', () => {
  beforeAll(() => {
    execFileSync('npm', ['run', '--silent', 'desktop:build'], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
  }, 150_000);

  it('builds main, the stack entry, the preload and the renderer', () => {
    for (const f of ['main/index.js', 'main/stack-entry.js', 'preload/index.cjs', 'main/renderer/dist/index.html', 'main/backend/python/func_runner.py'])
      expect(existsSync(join(OUT, f)), f).toBe(true);
  });

  it('the preload is CommonJS: require("electron"), no import statements, no raw ipcRenderer exposed', () => {
    const code = readFileSync(join(OUT, 'preload/index.cjs'), 'utf8');
    expect(code).toMatch(/require\(["']electron["']\)/);
    expect(code).not.toMatch(/^\s*import\s|^\s*export\s|\bimport\(/m);
    expect(code).toMatch(/exposeInMainWorld\(["']funcDesktop["']/);
    expect(code).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*[,)]/);
  });

  it('main imports electron as a module (ESM) and is not bundled with it', () => {
    expect(readFileSync(join(OUT, 'main/index.js'), 'utf8')).toMatch(/from "electron"/);
  });

  it('the built stack entry runs, serves the built console, and stops', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'func-desktop-build-'));
    const sup = new StackSupervisor({
      spawn: forkSpawner({ entry: join(OUT, 'main/stack-entry.js') }),
      env: stackEnv({
        userData,
        port: await freePort(),
        adminPassword: 'build-test-password',
        secret: 'build-test-secret-build-test-secret',
        base: { ...process.env, FUNC_PYTHON: '/usr/bin/python3', FUNC_WORKER_PROCESSES: '1' },
      }),
      fetch: (u) => fetch(u),
    });
    try {
      const url = await sup.start();
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
    } finally {
      await sup.stop();
      rmSync(userData, { recursive: true, force: true });
    }
  }, 60_000);
});
