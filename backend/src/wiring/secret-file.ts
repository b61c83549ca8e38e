/** FUNC_SECRET, or a key generated once into $FUNC_HOME/secret (mode 600). */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureHome } from './func-home.js';

export function loadOrCreateSecret(home: string, given: string | undefined): string {
  if (given) return given;
  const file = join(home, 'secret');
  if (existsSync(file)) {
    tighten(file);
    return readFileSync(file, 'utf8').trim();
  }
  ensureHome(home);
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}

/** A secret file readable by others (written by an older version or by hand) is made 0600. */
function tighten(file: string): void {
  try {
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  } catch {
    // not ours to change (another owner, read-only mount): read it as it is
  }
}
