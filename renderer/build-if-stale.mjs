// `npm start` runs this first: builds the console when renderer/dist is missing or older than
// its sources (renderer/src, renderer/index.html, contract/), so a fresh clone serves it at /.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = join(import.meta.dirname, '..');
const built = join(root, 'renderer/dist/index.html');

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), st.mtimeMs);
}

const sources = ['renderer/src', 'renderer/public', 'renderer/index.html', 'renderer/vite.config.ts', 'contract'].map((p) => join(root, p)).filter(existsSync);
const stale = !existsSync(built) || sources.some((p) => newest(p) > statSync(built).mtimeMs);
if (stale) {
  console.log('Building the console (renderer/dist is missing or older than its sources)…');
  const r = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
