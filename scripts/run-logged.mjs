// Runs a command with its stdout and stderr shown as usual and also written to a log file, and
// exits with its exit code: `npm test` keeps the whole run's output for scripts/check-no-secrets.mjs.
// Usage: node scripts/run-logged.mjs <log file> <command> [args…]. The log file's folder is emptied first.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';

const [logFile, command, ...args] = process.argv.slice(2);
if (!logFile || !command) {
  console.error('usage: node scripts/run-logged.mjs <log file> <command> [args…]');
  process.exit(2);
}
rmSync(dirname(logFile), { recursive: true, force: true });
mkdirSync(dirname(logFile), { recursive: true });
const log = createWriteStream(logFile);
const child = spawn(command, args, { stdio: ['inherit', 'pipe', 'pipe'] });
child.stdout.on('data', (d) => {
  process.stdout.write(d);
  log.write(d);
});
child.stderr.on('data', (d) => {
  process.stderr.write(d);
  log.write(d);
});
const forward = (signal) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('close', (code, signal) => {
  log.end(() => process.exit(code ?? (signal ? 1 : 0)));
});
