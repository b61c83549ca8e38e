/**
 * Data files are private to Func's user (issue 14, finding 9): a FUNC_HOME that Func creates is
 * 0700 — 0701 when the runners run as another user (root: `nobody`), who must pass through it to
 * the resources folders inside (search only, nothing listed); the secret, func.sqlite and its
 * -wal and -shm files are 0600 (also when an older version left them readable by others).
 */
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../src/adapters/store/sqlite-connection.js';
import { startTestStack } from '../src/testing/test-stack.js';

const parent = mkdtempSync(join(tmpdir(), 'func-modes-'));
const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);
/** Root runs the runners as `nobody`: FUNC_HOME gets the search bit for others. */
const asRoot = process.getuid?.() === 0;

afterAll(() => {
  rmSync(parent, { recursive: true, force: true });
});

describe('modes of the data files', () => {
  it('a new FUNC_HOME is 0700 and its secret, func.sqlite, -wal and -shm are 0600', async () => {
    const home = join(parent, 'new', 'home');
    const t = await startTestStack({}, { home });
    try {
      await t.client.addScriptSet({ body: { data: { id: 'modes' } } }); // a write: the WAL has frames
      expect(mode(join(parent, 'new'))).toBe('700');
      expect(mode(home)).toBe(asRoot ? '701' : '700');
      expect(mode(join(home, 'secret'))).toBe('600');
      expect(mode(join(home, 'func.sqlite'))).toBe('600');
      expect(mode(join(home, 'func.sqlite-wal'))).toBe('600');
      expect(mode(join(home, 'func.sqlite-shm'))).toBe('600');
    } finally {
      await t.close();
    }
  }, 60_000);

  it('files left readable by others are made 0600; an existing FUNC_HOME keeps its mode', async () => {
    const home = join(parent, 'old');
    const t0 = await startTestStack({}, { home, keepHome: true });
    await t0.close();
    chmodSync(home, 0o750);
    for (const f of ['secret', 'func.sqlite']) chmodSync(join(home, f), 0o644);
    writeFileSync(join(home, 'func.sqlite-shm'), Buffer.alloc(0), { mode: 0o644 });
    chmodSync(join(home, 'func.sqlite-shm'), 0o644);
    const t = await startTestStack({}, { home });
    try {
      await t.client.addScriptSet({ body: { data: { id: 'modes' } } });
      expect(mode(home)).toBe(asRoot ? '751' : '750');
      for (const f of ['secret', 'func.sqlite', 'func.sqlite-wal', 'func.sqlite-shm']) expect([f, mode(join(home, f))]).toEqual([f, '600']);
    } finally {
      await t.close();
    }
  }, 60_000);

  it('openSqlite creates the database 0600 whatever the umask', () => {
    const path = join(parent, 'umask', 'x.sqlite');
    const old = process.umask(0o000);
    try {
      const { sqlite } = openSqlite(path);
      sqlite.exec('create table t (x); insert into t values (1)');
      expect([mode(path), mode(`${path}-wal`), mode(`${path}-shm`)]).toEqual(['600', '600', '600']);
      sqlite.close();
    } finally {
      process.umask(old);
    }
  });
});
