/**
 * The built console served by the stack: bundle size (raw and gzip; what the first page loads
 * vs the lazily loaded editor) and time to interactive in Debian's Chromium, from the
 * Performance API (navigation timing, first contentful paint) and the moment the page's data is
 * on screen. Baseline printed beside it: an empty HTML page from the same server.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { chromium, type Page } from '@playwright/test';
import { parseConfig } from '../backend/src/config/config.js';
import { startEmbeddedStack } from '../backend/src/wiring/embedded-stack.js';
import { CONSOLE_DIR } from '../backend/src/server/static-console.js';
import { chromiumLaunchOptions } from '../e2e/support/chromium-path.js';
import { printTable, summarize, type Row } from './stats.js';

const RUNS = Number(process.env.BENCH_CONSOLE_RUNS ?? 7);

interface Asset {
  file: string;
  raw: number;
  gzip: number;
}

function assets(): Asset[] {
  const dir = join(CONSOLE_DIR, 'assets');
  return readdirSync(dir).map((f) => {
    const body = readFileSync(join(dir, f));
    return { file: f, raw: statSync(join(dir, f)).size, gzip: gzipSync(body).length };
  });
}

function initialAssets(all: Asset[]): Asset[] {
  const html = readFileSync(join(CONSOLE_DIR, 'index.html'), 'utf8');
  return all.filter((a) => html.includes(a.file));
}

const kb = (n: number): string => `${(n / 1024).toFixed(1)} kB`;

async function timeToData(page: Page, url: string, testId: string): Promise<{ tti: number; fcp: number; dcl: number }> {
  await page.goto(url);
  await page.getByTestId(testId).waitFor({ state: 'visible' });
  const tti = await page.evaluate<number>('performance.now()');
  const timing = await page.evaluate<{ dcl: number; fcp: number }>(`(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    return { dcl: nav ? nav.domContentLoadedEventEnd : 0, fcp: fcp ? fcp.startTime : 0 };
  })()`);
  return { tti, ...timing };
}

export async function benchConsole(): Promise<void> {
  if (!existsSync(join(CONSOLE_DIR, 'index.html'))) spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  const all = assets();
  const first = initialAssets(all);
  const sum = (xs: Asset[], k: 'raw' | 'gzip'): number => xs.reduce((a, x) => a + x[k], 0);
  console.log('\nConsole bundle (renderer/dist)');
  console.log(`  first load (index.html's scripts and styles): ${kb(sum(first, 'raw'))} raw, ${kb(sum(first, 'gzip'))} gzip`);
  console.log(`  everything incl. the lazily loaded Monaco editor and its worker: ${kb(sum(all, 'raw'))} raw, ${kb(sum(all, 'gzip'))} gzip`);
  for (const a of [...all].sort((x, y) => y.raw - x.raw).slice(0, 5)) console.log(`    ${a.file.padEnd(40)} ${kb(a.raw).padStart(10)} ${kb(a.gzip).padStart(10)} gzip`);

  const home = mkdtempSync(join(tmpdir(), 'func-bench-console-'));
  const config = parseConfig({ FUNC_HOME: home, FUNC_PORT: '0', FUNC_ADMIN_PASSWORD: 'bench-password', FUNC_WORKER_PROCESSES: '1', FUNC_LOG_LEVEL: 'silent' });
  const stack = await startEmbeddedStack(config, { beatTimer: false });
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const base = await stack.listen();
    const signIn = await stack.app.inject({ method: 'POST', url: '/api/v1/auth/do/sign-in', payload: { signIn: { username: 'admin', password: 'bench-password' } } });
    const token = (JSON.parse(signIn.body) as { data: { xAuthToken: string } }).data.xAuthToken;
    const profiles = JSON.stringify([{ id: 'local', name: 'This stack', baseUrl: '', token, username: 'admin' }]);
    const overview: number[] = [];
    const editor: number[] = [];
    const fcp: number[] = [];
    const blank: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // A fresh context per run: a cold cache, as a first visit.
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addInitScript(`localStorage.setItem('func.profiles', ${JSON.stringify(profiles)})`);
      const page = await context.newPage();
      const t0 = Date.now();
      await page.goto(`${base}/healthz`);
      blank.push(Date.now() - t0);
      const o = await timeToData(page, `${base}/overview`, 'queue-table');
      overview.push(o.tti);
      fcp.push(o.fcp);
      const page2 = await context.newPage();
      editor.push((await timeToData(page2, `${base}/scripts/demo__basics`, 'run-panel')).tti);
      await page2.locator('.monaco-editor').waitFor();
      await context.close();
    }
    const rows: Row[] = [
      summarize('GET /healthz in the browser (floor)', blank),
      summarize('first contentful paint, /overview', fcp),
      summarize('interactive: /overview with live queues', overview, 'target ≤ 1000 ms'),
      summarize('interactive: /scripts editor + run panel', editor, 'Monaco loaded lazily'),
    ];
    printTable(`Console time to interactive, ${RUNS} cold loads each (Chromium ${browser.version()}, served by func up on loopback)`, rows, rows[0]!);
  } finally {
    await browser.close();
    await stack.close();
    rmSync(home, { recursive: true, force: true });
  }
}
