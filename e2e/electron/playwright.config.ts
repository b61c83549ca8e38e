// The desktop flow: Electron where a binary exists (skipped with the reason where not), and the same
// flow against the web console served by the desktop's own stack supervisor, in Debian's Chromium.
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '../support/chromium-path.js';

export default defineConfig({
  testDir: '.',
  outputDir: '../../test-results/e2e-electron',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions(),
  },
});
