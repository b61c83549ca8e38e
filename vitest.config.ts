import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The console's modules import the contract as `@contract/*` (renderer/vite.config.ts, renderer/tsconfig.json).
  resolve: { alias: { '@contract': `${import.meta.dirname}/contract` } },
  test: {
    // renderer/: unit tests of the console's pure modules (no DOM: they run in Node like the rest).
    include: ['contract/**/*.test.ts', 'backend/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
