// electron-vite: main (+ the stack entry), preload (CommonJS, sandboxed) and the console renderer.
// Main keeps the repository's module layout (preserveModules) so the backend's
// `new URL('../../../python/', import.meta.url)` paths resolve inside out/main exactly as in the repo:
// the console is built to out/main/renderer/dist and the Python runtime copied to out/main/backend/python.
import { cpSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import type { Plugin } from 'vite';

const ROOT = import.meta.dirname;
const OUT_MAIN = resolve(ROOT, 'out/main');

function copyPythonRuntime(): Plugin {
  return {
    name: 'func-copy-python-runtime',
    writeBundle() {
      cpSync(resolve(ROOT, 'backend/python'), resolve(OUT_MAIN, 'backend/python'), { recursive: true, filter: (src) => !src.includes('__pycache__') });
    },
  };
}

export default defineConfig({
  main: {
    plugins: [copyPythonRuntime()],
    build: {
      outDir: OUT_MAIN,
      rolldownOptions: {
        input: {
          index: resolve(ROOT, 'electron/main/index.ts'),
          'stack-entry': resolve(ROOT, 'electron/stack/stack-entry.ts'),
        },
        output: { format: 'es', preserveModules: true, preserveModulesRoot: ROOT, entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(ROOT, 'out/preload'),
      // Sandboxed preloads cannot require node_modules: bundle everything (zod, the contract) but electron.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(ROOT, 'electron/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(ROOT, 'renderer'),
    plugins: [react(), tailwindcss()],
    resolve: { alias: { '@contract': resolve(ROOT, 'contract') } },
    worker: { format: 'es' },
    build: {
      outDir: resolve(OUT_MAIN, 'renderer/dist'),
      emptyOutDir: true,
      chunkSizeWarningLimit: 4000,
      rolldownOptions: { input: { index: resolve(ROOT, 'renderer/index.html') } },
    },
  },
});
