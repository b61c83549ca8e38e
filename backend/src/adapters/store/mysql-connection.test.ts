/**
 * Every MySQL connection takes NO_BACKSLASH_ESCAPES out of its session (mysql2 escapes a quote in
 * a value with a backslash): on the local MariaDB, a session given that mode as a server default
 * would give it.
 */
import type { CompiledQuery } from 'kysely';
import { createConnection } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { setUpSession } from './mysql-connection.js';

const SERVER_URL = process.env.FUNC_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';

describe('a MySQL session', () => {
  it('reads a quote in a value as a quote when the server sets NO_BACKSLASH_ESCAPES', async () => {
    const conn = await createConnection({ uri: SERVER_URL, connectTimeout: 5000 });
    try {
      await conn.query("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES')");
      await setUpSession({ executeQuery: async (q: CompiledQuery) => ({ rows: (await conn.query(q.sql))[0] as never[] }) });
      const [modes] = await conn.query('SELECT @@SESSION.sql_mode AS mode');
      expect((modes as { mode: string }[])[0]!.mode).not.toContain('NO_BACKSLASH_ESCAPES');
      // A search text that would leave its string under that mode comes back whole.
      const text = "x' OR 1=1 -- ";
      const [rows] = await conn.query('SELECT ? AS v', [text]);
      expect((rows as { v: string }[])[0]!.v).toBe(text);
    } finally {
      await conn.end();
    }
  });
});
