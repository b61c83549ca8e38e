/**
 * Where runners that run as another user (Func started as root, `FUNC_RUNNER_USER`) find the
 * Python runtime. The checkout or install may sit where that user cannot read (a 0700 home such
 * as /root), so the runtime's `.py` files are copied once per process into a fresh folder of the
 * temp dir: created by mkdtemp (our own, nobody else's), made 0755 with files 0644 (readable,
 * not writable, by the runner user), removed when the process exits.
 */
import { chmodSync, copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const copies = new Map<string, string>();

export function readableRuntimeDir(sourceDir: string): string {
  const known = copies.get(sourceDir);
  if (known !== undefined) return known;
  const dir = mkdtempSync(join(tmpdir(), 'func-python-'));
  for (const name of readdirSync(sourceDir)) {
    if (!name.endsWith('.py')) continue;
    copyFileSync(join(sourceDir, name), join(dir, name));
    chmodSync(join(dir, name), 0o644);
  }
  chmodSync(dir, 0o755);
  copies.set(sourceDir, dir);
  if (copies.size === 1) process.once('exit', () => { for (const d of copies.values()) rmSync(d, { recursive: true, force: true }); });
  return dir;
}
