// Builds the console into renderer/dist (served by `func server` at /). Monaco is bundled: no CDN.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react(), tailwindcss()],
  resolve: { alias: { '@contract': `${import.meta.dirname}/../contract` } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
  },
  worker: { format: 'es' },
  server: { proxy: { '/api': 'http://127.0.0.1:8088' } },
});
