/** FUNC_HOME: created private to Func's user (0700); its files (secret, func.sqlite) are 0600. */
import { chmodSync, existsSync } from 'node:fs';
import { makeDirs } from './make-dirs.js';

/** Creates `home` (and missing parents) with mode 0700; an existing directory is left as it is. */
export function ensureHome(home: string): void {
  if (existsSync(home)) return;
  makeDirs(home, 0o700);
  chmodSync(home, 0o700); // whatever the umask
}
