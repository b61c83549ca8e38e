/**
 * Where runners that run as another user (Func started as root, `FUNC_RUNNER_USER`) find the
 * Python runtime. The checkout or install may sit where that user cannot read (a 0700 home such
 * as /root), so the runtime's `.py` files and their bytecode (`__pycache__/*.pyc`, which the
 * build compiles with checked hashes, so a copy is as valid as the original; without it every
 * runner start compiled the runtime again, ~50 ms) are copied into the temp dir, into a folder
 * named for this user and the files' content hash (shared by every process of the same version,
 * so nothing piles up): written in a fresh mkdtemp folder and renamed into place, 0755 with files
 * 0644. An
 * existing folder of that name is used only when it is a real folder owned by this user and
 * writable by nobody else (the temp dir is sticky: others can neither change nor replace it);
 * otherwise a private fresh copy is used.
 */
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const copies = new Map<string, string>();

const BYTECODE_DIR = '__pycache__';

/** The runtime's files, relative to `dir`: its `.py` files and their bytecode, if any. */
function runtimeFiles(dir: string): string[] {
  const sources = readdirSync(dir).filter((n) => n.endsWith('.py'));
  let bytecode: string[] = [];
  try {
    bytecode = readdirSync(join(dir, BYTECODE_DIR))
      .filter((n) => n.endsWith('.pyc'))
      .map((n) => join(BYTECODE_DIR, n));
  } catch {
    // No bytecode (a checkout never built): the runners compile the runtime as they start.
  }
  return [...sources, ...bytecode].sort();
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
  if (names.some((n) => n.startsWith(`${BYTECODE_DIR}/`))) {
    mkdirSync(join(dir, BYTECODE_DIR));
    chmodSync(join(dir, BYTECODE_DIR), 0o755);
  }
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
  const names = runtimeFiles(sourceDir);
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
