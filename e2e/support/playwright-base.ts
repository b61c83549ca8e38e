/** What both Playwright configs share: one worker, no retries, Debian's Chromium at the same size, traces kept on failure. */
import type { PlaywrightTestConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium-path.js';

/** `own`: the config's own settings, over the shared ones (its `use` over the shared `use`). */
export function chromiumConfig(own: PlaywrightTestConfig): PlaywrightTestConfig {
  return {
    fullyParallel: false,
    workers: 1,
    retries: 0,
    expect: { timeout: 15_000 },
    reporter: [['list']],
    ...own,
    use: {
      browserName: 'chromium',
      viewport: { width: 1280, height: 800 },
      trace: 'retain-on-failure',
      launchOptions: chromiumLaunchOptions(),
      ...own.use,
    },
  };
}
