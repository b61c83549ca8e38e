/** FUNC_HOME: created private to Func's user (0700); its files (secret, func.sqlite) are 0600. */
import { chmodSync, existsSync, mkdirSync } from 'node:fs';

/** Creates `home` (and missing parents) with mode 0700; an existing directory is left as it is. */
export function ensureHome(home: string): void {
  if (existsSync(home)) return;
  mkdirSync(home, { recursive: true, mode: 0o700 });
  chmodSync(home, 0o700); // whatever the umask
}
