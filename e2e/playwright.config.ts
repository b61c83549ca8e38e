// Playwright: Debian's Chromium against one `func up` started by global-setup on a free port.
import { defineConfig } from '@playwright/test';
import { chromiumConfig } from './support/playwright-base.js';

export default defineConfig(
  chromiumConfig({
    testDir: './specs',
    outputDir: '../test-results/e2e',
    globalSetup: './support/global-setup.ts',
    globalTeardown: './support/global-teardown.ts',
    timeout: 60_000,
    use: { screenshot: 'only-on-failure' },
  }),
);
