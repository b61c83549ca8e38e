/** `npm run desktop`: build, then start the app with Electron's binary — or say clearly that there is none. */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { electronBinary } from '../electron-binary.js';

const ROOT = resolve(import.meta.dirname, '../..');
const binary = electronBinary();
if (!binary.found) {
  console.error(
    `npm run desktop: no Electron binary on this machine.\n  ${binary.reason}\n  Install it with a plain \`npm install\` (without ELECTRON_SKIP_BINARY_DOWNLOAD) where its download host is reachable; see docs/desktop.md.\n  The web console runs without it: npm start.`,
  );
  process.exit(1);
}
const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync(binary.path, ['.'], { cwd: ROOT, stdio: 'inherit' });
process.exit(run.status ?? 0);
