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
    // Checkpoints run from a timer (see startCheckpointer), not inside whichever commit crosses
    // the WAL threshold: that commit would otherwise stall a call for milliseconds.
    if (!inMemory) sqlite.pragma('wal_autocheckpoint = 0');
  } catch (err) {
    sqlite.close();
    throw err;
  }
  const db = new Kysely<LooseDb>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, sqlite };
}

/** Checkpoints the WAL once a second (PASSIVE: never waits for readers). Answers a stop function. */
export function startCheckpointer(sqlite: SqliteDatabase, everyMs = 1000): () => void {
  const timer = setInterval(() => {
    try {
      sqlite.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // A busy database skips this round; the next one catches up.
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
