// The secrets check of `npm test`: greps every log of the run (test-results/logs/: the combined
// output of vitest and Playwright, the e2e stack's log, the spawned roles' logs) for each secret the
// tests gave Func (backend/src/testing/test-secrets.ts), for the secrets the server made and the
// helpers recorded (runtime-secrets.txt, the one file not scanned), and for any `s3cr3t-<hex>`.
// Fails naming the file and line (never printing the secret). Run with tsx loaded:
// node --import tsx scripts/check-no-secrets.mjs [log dir]
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RUNTIME_SECRETS_FILE, TEST_LOG_DIR, TEST_SECRET_PATTERN, TEST_SECRETS } from '../backend/src/testing/test-secrets.ts';

const dir = process.argv[2] ?? TEST_LOG_DIR;
const MIN_LENGTH = 8; // shorter values are not secrets worth grepping for (and would match anything)

if (!existsSync(dir)) {
  console.error(`check-no-secrets: no logs in ${dir} (run npm test)`);
  process.exit(1);
}
const runtime = existsSync(RUNTIME_SECRETS_FILE)
  ? readFileSync(RUNTIME_SECRETS_FILE, 'utf8')
      .split('\n')
      .filter((s) => s !== '')
  : [];
const secrets = [...new Set([...TEST_SECRETS, ...runtime])].filter((s) => s.length >= MIN_LENGTH);
const described = (s) =>
  TEST_SECRETS.includes(s)
    ? `test secret "${s.slice(0, 3)}…" (${s.length} characters, backend/src/testing/test-secrets.ts)`
    : `a secret the server made during the run (${s.length} characters, runtime-secrets.txt)`;

function* files(folder) {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (path !== RUNTIME_SECRETS_FILE) yield path;
  }
}

const found = [];
let fileCount = 0;
let lineCount = 0;
for (const file of files(dir)) {
  fileCount++;
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    lineCount++;
    for (const s of secrets) if (line.includes(s)) found.push(`${relative(process.cwd(), file)}:${i + 1}: ${described(s)}`);
    if (TEST_SECRET_PATTERN.test(line)) found.push(`${relative(process.cwd(), file)}:${i + 1}: a value of the form s3cr3t-<hex> (testSecret())`);
  });
}
if (found.length > 0) {
  console.error(`check-no-secrets: ${found.length} secret(s) in the logs of the test run:\n  ${found.slice(0, 50).join('\n  ')}`);
  process.exit(1);
}
console.log(
  `check-no-secrets: ${secrets.length} secrets (${runtime.length} made at run time) and s3cr3t-<hex> not found in ${fileCount} log files (${lineCount} lines) under ${relative(process.cwd(), dir) || '.'}`,
);
