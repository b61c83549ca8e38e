/**
 * `mkdir -p` without Node 20's `{ recursive: true }`, which loops for ever where a parent exists
 * but refuses new entries with ENOENT (anything under /proc): a `--home /proc/x` hung the CLI.
 * Each missing folder is made in turn, so such a path fails at once with its own error.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function makeDirs(dir: string, mode: number): void {
  const missing: string[] = [];
  for (let at = resolve(dir); !existsSync(at); at = dirname(at)) {
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const d of missing) {
    try {
      mkdirSync(d, { mode });
    } catch (err) {
      // Made meanwhile by another process: fine while it is a folder.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(d).isDirectory()) throw err;
    }
  }
}
