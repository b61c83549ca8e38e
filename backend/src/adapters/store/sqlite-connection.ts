/** Opening an SQLite file with better-sqlite3 behind Kysely. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Db, LooseDb } from './store-context.js';

/** How long a writer waits for another process's lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

export function openSqlite(path: string): { db: Db; sqlite: SqliteDatabase } {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory && !path.startsWith('file:')) mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  try {
    sqlite.pragma('journal_mode = WAL');
    // Durable across process crashes; a power loss may lose the last commits (WAL stays consistent).
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    sqlite.pragma('foreign_keys = OFF');
  } catch (err) {
    sqlite.close();
    throw err;
  }
  const db = new Kysely<LooseDb>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, sqlite };
}
