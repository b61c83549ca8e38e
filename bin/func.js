#!/usr/bin/env node
// The `func` command: runs the built CLI (dist/backend/src/cli.js) in this process, so the
// process a user starts (or a supervisor signals) is the one running the roles. dist/ ships in the
// package; a git checkout builds it (`npm run build:backend`, or `npm start`, which builds what is
// stale). `npm run func` runs the TypeScript sources through tsx instead (development).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'backend', 'src', 'cli.js');
const checkout = existsSync(join(root, 'backend', 'src', 'cli.ts'));

if (!existsSync(cli)) {
  console.error(
    checkout
      ? 'func: the CLI is not built (dist/ is missing): run `npm run build:backend` (or `npm start`, which builds what is stale), or `npm run func -- …` to run the sources through tsx.'
      : `func: ${cli} is missing: this installation is incomplete; reinstall the package.`,
  );
  process.exit(1);
}
if (checkout && existsSync(join(root, 'scripts', 'build-if-stale.mjs'))) {
  const { staleBuilds } = await import(pathToFileURL(join(root, 'scripts', 'build-if-stale.mjs')).href);
  const stale = staleBuilds(root).map((b) => b.what);
  if (stale.length > 0)
    console.error(`func: warning: ${stale.join(' and ')} ${stale.length > 1 ? 'are' : 'is'} older than the sources; run \`node scripts/build-if-stale.mjs\` to rebuild.`);
}

const { main } = await import(pathToFileURL(cli).href);
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
