/**
 * Where runners that run as another user (Func started as root, `FUNC_RUNNER_USER`) find the
 * Python runtime. The checkout or install may sit where that user cannot read (a 0700 home such
 * as /root), so the runtime's `.py` files are copied into the temp dir, into a folder named for
 * this user and the files' content hash (shared by every process of the same version, so nothing
 * piles up): written in a fresh mkdtemp folder and renamed into place, 0755 with files 0644. An
 * existing folder of that name is used only when it is a real folder owned by this user and
 * writable by nobody else (the temp dir is sticky: others can neither change nor replace it);
 * otherwise a private fresh copy is used.
 */
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, lstatSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const copies = new Map<string, string>();

function pyFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.py'))
    .sort();
}

function trusted(dir: string): boolean {
  try {
    const st = lstatSync(dir);
    return st.isDirectory() && st.uid === process.getuid?.() && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

function freshCopy(sourceDir: string, names: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'func-python-'));
  for (const name of names) {
    copyFileSync(join(sourceDir, name), join(dir, name));
    chmodSync(join(dir, name), 0o644);
  }
  chmodSync(dir, 0o755);
  return dir;
}

export function readableRuntimeDir(sourceDir: string): string {
  const known = copies.get(sourceDir);
  if (known !== undefined) return known;
  const names = pyFiles(sourceDir);
  const hash = createHash('sha256');
  for (const name of names)
    hash
      .update(name)
      .update('\0')
      .update(readFileSync(join(sourceDir, name)));
  const target = join(tmpdir(), `func-python-${process.getuid?.() ?? 'u'}-${hash.digest('hex').slice(0, 16)}`);
  let dir = target;
  if (!trusted(target)) {
    const fresh = freshCopy(sourceDir, names);
    try {
      renameSync(fresh, target);
    } catch {
      // Another process put it there first (then it is ours and trusted), or something else holds the name.
      if (trusted(target)) rmSync(fresh, { recursive: true, force: true });
      else dir = fresh;
    }
  }
  copies.set(sourceDir, dir);
  return dir;
}
