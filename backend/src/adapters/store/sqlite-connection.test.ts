import { sql } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { changeMarker, openSqlite } from './sqlite-connection.js';

describe('openSqlite', () => {
  it('prepares each SQL text once, a statement a stream left half-read included', async () => {
    const { db, sqlite } = openSqlite(':memory:');
    try {
      await sql`CREATE TABLE t (n INTEGER)`.execute(db);
      for (let n = 1; n <= 3; n++) await db.insertInto('t').values({ n }).execute();
      let prepared = 0;
      const prepare = sqlite.prepare.bind(sqlite);
      sqlite.prepare = (text: string) => {
        prepared++;
        return prepare(text);
      };
      const all = () => db.selectFrom('t').select('n').orderBy('n').execute();
      for (let i = 0; i < 5; i++) expect((await all()).map((r) => r.n)).toEqual([1, 2, 3]);
      expect(prepared).toBe(1);
      // A stream left half-read frees its statement: the same query runs again on it.
      for await (const row of db.selectFrom('t').select('n').orderBy('n').stream()) {
        expect(row.n).toBe(1);
        break;
      }
      expect((await all()).map((r) => r.n)).toEqual([1, 2, 3]);
      expect(prepared).toBe(1);
    } finally {
      await db.destroy();
    }
  });

  it('has a change mark that stays without writes and differs after one, by this connection or another', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'func-change-mark-'));
    const path = join(dir, 'func.sqlite');
    const { db, sqlite } = openSqlite(path);
    const other = new Database(path);
    try {
      await sql`CREATE TABLE t (n INTEGER)`.execute(db);
      const mark = changeMarker(sqlite);
      const first = mark();
      await db.selectFrom('t').selectAll().execute();
      expect(mark()).toBe(first);
      await db.insertInto('t').values({ n: 1 }).execute();
      const afterOwn = mark();
      expect(afterOwn).not.toBe(first);
      expect(mark()).toBe(afterOwn);
      other.prepare('UPDATE t SET n = 2').run();
      expect(mark()).not.toBe(afterOwn);
    } finally {
      other.close();
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
