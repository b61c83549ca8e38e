// The desktop flow: Electron where a binary exists (skipped with the reason where not), and the same
// flow against the web console served by the desktop's own stack supervisor, in Debian's Chromium.
import { defineConfig } from '@playwright/test';
import { chromiumConfig } from '../support/playwright-base.js';

export default defineConfig(
  chromiumConfig({
    testDir: '.',
    outputDir: '../../test-results/e2e-electron',
    timeout: 90_000,
  }),
);
