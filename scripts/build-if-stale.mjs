// Builds what is missing or older than its sources, in order: the console (renderer/dist, by
// Vite), then dist/ (scripts/build-backend.mjs: the backend as JavaScript, with the console copied
// in). `npm start` runs it first (prestart), `npm pack` too (prepack), and stack/build-image.sh
// before the image build, so a fresh clone serves the console and runs built files.
// bin/func.js uses `staleBuilds` to warn when a checkout runs an outdated dist/.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

const ROOT = join(import.meta.dirname, '..');

/** Newest mtime under a path (tests, __pycache__ and .pyc files do not count). */
function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === '__pycache__' || name.endsWith('.pyc') || name.endsWith('.test.ts')) continue;
    m = Math.max(m, newest(join(path, name)));
  }
  return m;
}

/** What each build makes (its newest-written file) and what it is made from. */
export const BUILDS = [
  {
    name: 'console',
    what: 'renderer/dist',
    target: 'renderer/dist/index.html',
    sources: ['renderer/src', 'renderer/public', 'renderer/index.html', 'renderer/vite.config.ts', 'contract'],
    command: ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'],
  },
  {
    name: 'backend',
    what: 'dist/',
    target: 'dist/.stamp',
    sources: ['backend/src', 'backend/python', 'contract', 'renderer/dist', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build-backend.mjs'],
    command: ['scripts/build-backend.mjs'],
  },
];

function isStale(build, root) {
  const target = join(root, build.target);
  if (!existsSync(target)) return true;
  const builtAt = statSync(target).mtimeMs;
  return build.sources
    .map((p) => join(root, p))
    .filter(existsSync)
    .some((p) => newest(p) > builtAt);
}

/** The builds whose output is missing or older than their sources. */
export function staleBuilds(root = ROOT) {
  return BUILDS.filter((b) => isStale(b, root));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // In order: a console build makes dist/ stale (it holds a copy of renderer/dist).
  for (const build of BUILDS) {
    if (!isStale(build, ROOT)) continue;
    console.log(`Building the ${build.name} (${build.what} is missing or older than its sources)…`);
    const r = spawnSync(process.execPath, build.command, { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}
