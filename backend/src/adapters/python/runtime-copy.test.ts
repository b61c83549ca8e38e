/** Runners as another user start even when the runtime sits where that user cannot read (a 0700 home such as /root). */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RunnerHost } from '../../domain/ports/runner.js';
import { createRunnerPool } from './runner-pool.js';
import { readableRuntimeDir } from './runtime-copy.js';

const PYTHON = process.env.FUNC_PYTHON ?? '/usr/bin/python3';
const SOURCE = fileURLToPath(new URL('../../../python/', import.meta.url));
const isRoot = process.getuid?.() === 0;
const host: RunnerHost = { getScript: () => Promise.resolve(null), call: () => Promise.resolve(null) };

describe('the runtime of runners running as another user', () => {
  it('is a readable copy: 0755 folder, 0644 files, the same .py files, one per source and version', () => {
    const dir = readableRuntimeDir(SOURCE);
    expect(readableRuntimeDir(SOURCE)).toBe(dir);
    expect(dir.startsWith(join(tmpdir(), 'func-python-'))).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o755);
    for (const name of ['func_runner.py', 'dff.py', 'protocol.py']) {
      expect(readFileSync(join(dir, name), 'utf8')).toBe(readFileSync(join(SOURCE, name), 'utf8'));
      expect(statSync(join(dir, name)).mode & 0o777).toBe(0o644);
    }
  });

  it('carries the bytecode the build compiled, and the runner user imports from it instead of compiling', () => {
    const source = mkdtempSync(join(tmpdir(), 'func-runtime-src-'));
    writeFileSync(join(source, 'func_runner.py'), `# version ${Date.now()}\nimport helper\n`);
    writeFileSync(join(source, 'helper.py'), 'VALUE = 42\n');
    // As scripts/build-backend.mjs does: checked hashes, valid wherever the .py goes.
    const built = spawnSync(PYTHON, ['-m', 'compileall', '-q', '--invalidation-mode', 'checked-hash', source], { encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    const dir = readableRuntimeDir(source);
    try {
      const cache = join(dir, '__pycache__');
      expect(statSync(cache).mode & 0o777).toBe(0o755);
      const pycs = readdirSync(cache);
      expect(pycs.filter((n) => n.startsWith('helper.') && n.endsWith('.pyc'))).toHaveLength(1);
      for (const n of pycs) expect(statSync(join(cache, n)).mode & 0o777).toBe(0o644);
      // -B as the runners start; as nobody when we can (the user the copy is for).
      const ids = isRoot ? { uid: 65534, gid: 65534 } : {};
      const r = spawnSync(PYTHON, ['-B', '-v', '-c', 'import helper; print(helper.VALUE)'], { cwd: dir, encoding: 'utf8', ...ids });
      expect(r.stdout.trim(), r.stderr).toBe('42');
      expect(r.stderr).toMatch(/code object from '?[^\n]*__pycache__\/helper\.cpython-\d+\.pyc/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(source, { recursive: true, force: true });
    }
  });

  it('does not use a folder of that name that others may write', () => {
    const source = mkdtempSync(join(tmpdir(), 'func-runtime-src-'));
    writeFileSync(join(source, 'func_runner.py'), `# version ${Date.now()}\n`);
    const first = readableRuntimeDir(source);
    chmodSync(first, 0o777);
    try {
      // A new process (a fresh module state) must not trust it: simulate by another source with the same content.
      const twin = mkdtempSync(join(tmpdir(), 'func-runtime-src-'));
      writeFileSync(join(twin, 'func_runner.py'), readFileSync(join(source, 'func_runner.py')));
      const second = readableRuntimeDir(twin);
      expect(second).not.toBe(first);
      expect(readFileSync(join(second, 'func_runner.py'), 'utf8')).toBe(readFileSync(join(source, 'func_runner.py'), 'utf8'));
      rmSync(twin, { recursive: true, force: true });
      rmSync(second, { recursive: true, force: true });
    } finally {
      rmSync(first, { recursive: true, force: true });
      rmSync(source, { recursive: true, force: true });
    }
  });

  it.runIf(isRoot)('starts and discovers from a checkout in a 0700 folder, as nobody', async () => {
    const home = mkdtempSync(join(tmpdir(), 'func-private-home-'));
    chmodSync(home, 0o700);
    const runtime = join(home, 'python');
    cpSync(SOURCE, runtime, { recursive: true });
    const cwd = process.cwd();
    process.chdir(home); // a process started from a closed folder, as `npm start` in /root/app is
    const pool = await createRunnerPool({
      python: PYTHON,
      processes: 1,
      memoryLimitMb: 0,
      host,
      runtimeDir: runtime,
      user: { name: 'nobody', uid: 65534, gid: 65534, home: '/nonexistent' },
    });
    try {
      const found = await pool.discover('demo__x', "@DFF.API('T')\ndef f():\n    return 1\n");
      expect(found).toMatchObject({ ok: true });
    } finally {
      await pool.close();
      process.chdir(cwd);
      rmSync(home, { recursive: true, force: true });
    }
  });
  if (!isRoot) console.log('runtime-copy: not root, so runners cannot run as another user here; the copy itself is still checked');
});
