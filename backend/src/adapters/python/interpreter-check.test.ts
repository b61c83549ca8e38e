/**
 * FUNC_PYTHON checked before a role starts: the real interpreter passes (a bare name found on
 * PATH), and each kind of bad value is told apart: missing, not runnable, not Python, too old.
 */
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkInterpreter } from './interpreter-check.js';

const PYTHON = process.env.FUNC_PYTHON ?? '/usr/bin/python3';
const dir = mkdtempSync(join(tmpdir(), 'func-interpreter-'));
chmodSync(dir, 0o755);

/** An executable script in `dir`. */
function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return path;
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('checkInterpreter', () => {
  it('passes the real interpreter, with its version', async () => {
    const check = await checkInterpreter(PYTHON);
    expect(check).toMatchObject({ ok: true, path: PYTHON });
    expect(check.ok && check.version).toMatch(/^3\.\d+$/);
  });

  it('finds a bare name on PATH and answers with its absolute path (the runners are started by one)', async () => {
    symlinkSync(PYTHON, join(dir, 'func-test-python'));
    const saved = process.env.PATH;
    process.env.PATH = `/nonexistent-folder:${dir}:${saved ?? ''}`;
    try {
      expect(await checkInterpreter('func-test-python')).toMatchObject({ ok: true, path: join(dir, 'func-test-python') });
      expect(await checkInterpreter('func-no-such-python')).toEqual({ ok: false, problem: 'is no command found on PATH' });
    } finally {
      process.env.PATH = saved;
    }
  });

  it('tells a missing path, a folder, a program that is no Python and an old Python apart', async () => {
    expect(await checkInterpreter('/nonexistent/python3')).toEqual({ ok: false, problem: 'does not exist' });
    expect(await checkInterpreter(dir)).toEqual({ ok: false, problem: 'cannot be run (permission denied)' });
    expect(await checkInterpreter('/bin/true')).toEqual({ ok: false, problem: 'is not a Python interpreter: asked its version, it printed ""' });
    expect(await checkInterpreter(script('fails', 'echo "no such option" >&2; exit 3'))).toEqual({
      ok: false,
      problem: 'is not a Python interpreter: asked its version, it exited with code 3: no such option',
    });
    expect(await checkInterpreter(script('py27', 'printf 2.7'))).toEqual({ ok: false, problem: 'is Python 2.7, older than 3.9' });
  });

  // Only root can start a process as another user.
  it.runIf(process.getuid?.() === 0)('runs it as the runners user: one that user cannot run is refused', async () => {
    const closed = mkdtempSync(join(tmpdir(), 'func-interpreter-closed-'));
    try {
      chmodSync(closed, 0o700);
      symlinkSync(PYTHON, join(closed, 'python3'));
      const nobody = { name: 'nobody', uid: 65534, gid: 65534, home: '/nonexistent' };
      expect(await checkInterpreter(join(closed, 'python3'))).toMatchObject({ ok: true });
      expect(await checkInterpreter(join(closed, 'python3'), { user: nobody })).toEqual({ ok: false, problem: 'cannot be run as user nobody (permission denied)' });
    } finally {
      rmSync(closed, { recursive: true, force: true });
    }
  });
});
