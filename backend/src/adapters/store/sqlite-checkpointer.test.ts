/** The WAL checkpointer of the SQLite store (autocheckpoint is off): it copies what was written into the database file, and runs no query while nothing changes. */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openSqlite, startCheckpointer } from './sqlite-connection.js';

const dir = mkdtempSync(join(tmpdir(), 'func-checkpointer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite checkpointer', () => {
  it('checkpoints what was written, and runs no checkpoint while the WAL does not change', async () => {
    const path = join(dir, 'db.sqlite');
    const { db, sqlite } = openSqlite(path);
    sqlite.exec('CREATE TABLE t (v TEXT)');
    const pragma = vi.spyOn(sqlite, 'pragma');
    const stop = startCheckpointer(sqlite, 20);
    try {
      await new Promise((r) => setTimeout(r, 100));
      pragma.mockClear();
      const size0 = statSync(path).size;
      const insert = sqlite.prepare('INSERT INTO t (v) VALUES (?)');
      for (let i = 0; i < 200; i++) insert.run('x'.repeat(2000));
      expect(statSync(path).size).toBe(size0); // in the WAL only
      await new Promise((r) => setTimeout(r, 200));
      expect(statSync(path).size).toBeGreaterThan(size0 + 200 * 2000);
      expect(pragma).toHaveBeenCalledWith('wal_checkpoint(PASSIVE)');
      // Idle: the timer runs, no checkpoint query does.
      pragma.mockClear();
      await new Promise((r) => setTimeout(r, 200));
      expect(pragma).not.toHaveBeenCalled();
    } finally {
      stop();
      await db.destroy();
    }
  });
});
