import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openSqlite } from './sqlite-connection.js';

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
});
