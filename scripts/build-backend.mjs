// `npm run build:backend`: builds what `func` runs, as plain JavaScript, into dist/ in the
// repository's layout, so every path the code finds relative to import.meta.url resolves inside
// dist/ exactly as it does in the sources (the desktop build's out/main does the same):
//   dist/backend/src/**.js, dist/contract/**.js   tsc -p tsconfig.build.json (emit only, ~10 s on 2 cores)
//   dist/backend/src/**/*.lua (any non-TS file)   copied beside the modules that read them
//   dist/backend/python/                          the Python runtime (runner-pool: ../../../python/), with its bytecode
//   dist/renderer/dist/                           the built console (static-console: ../../../renderer/dist)
// The build goes to dist.tmp/ and replaces dist/ at the end, so an interrupted build leaves the
// previous dist/ (or none) rather than half of one. dist/.stamp marks a finished build for
// scripts/build-if-stale.mjs. Types are checked by `npm run typecheck`, not here.
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = join(import.meta.dirname, '..');
const out = join(root, 'dist.tmp');
const dist = join(root, 'dist');
const t0 = Date.now();

const tsc = join(root, 'node_modules/typescript/lib/tsc.js');
if (!existsSync(tsc)) {
  console.error('build:backend: TypeScript is missing (a dev dependency): run `npm ci` first.');
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', out], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) {
  rmSync(out, { recursive: true, force: true });
  console.error('build:backend: tsc failed (above); dist/ is unchanged.');
  process.exit(r.status ?? 1);
}

const skip = (name) => name === '__pycache__' || name.endsWith('.pyc');
/** Copies every file under `from` that tsc does not emit (not .ts), keeping the layout. */
function copyNonTs(from) {
  for (const name of readdirSync(join(root, from))) {
    const rel = join(from, name);
    if (skip(name)) continue;
    if (statSync(join(root, rel)).isDirectory()) {
      if (name !== 'testing') copyNonTs(rel);
    } else if (!name.endsWith('.ts')) {
      mkdirSync(dirname(join(out, rel)), { recursive: true });
      cpSync(join(root, rel), join(out, rel));
    }
  }
}
copyNonTs('backend/src');
copyNonTs('contract');
cpSync(join(root, 'backend/python'), join(out, 'backend/python'), { recursive: true, filter: (src) => !skip(src.split('/').pop() ?? '') });
// The runtime's bytecode, compiled once here: a runner starts with -B (it may run as another user,
// in a folder it cannot write) and would otherwise compile dff.py and the rest at every start
// (~30 ms of a first call after idling). checked-hash: valid whatever the files' mtimes (npm pack
// resets them), used only by the Python version that wrote it, ignored (compiled as before) by others.
const python = process.env.FUNC_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const pyc = spawnSync(python, ['-m', 'compileall', '-q', '--invalidation-mode', 'checked-hash', join(out, 'backend/python')], { stdio: 'inherit' });
if (pyc.status !== 0) console.warn(`build:backend: ${python} -m compileall failed (above): the runners will compile their modules at each start.`);
if (existsSync(join(root, 'renderer/dist/index.html'))) {
  cpSync(join(root, 'renderer/dist'), join(out, 'renderer/dist'), { recursive: true });
} else {
  console.warn(
    'build:backend: the console is not built (renderer/dist is missing): the server will answer 503 at /. Run `npm run build`, then this again (or `npm start`, which builds both).',
  );
}
writeFileSync(join(out, '.stamp'), `${new Date().toISOString()}\n`);

rmSync(dist, { recursive: true, force: true });
renameSync(out, dist);
console.log(`build:backend: dist/ built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
