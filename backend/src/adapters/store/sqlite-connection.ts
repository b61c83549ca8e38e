/** Opening an SQLite file with better-sqlite3 behind Kysely. */
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Db, LooseDb } from './store-context.js';

/** How long a writer waits for another process's lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

export function openSqlite(path: string): { db: Db; sqlite: SqliteDatabase } {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory && !path.startsWith('file:')) {
    mkdirSync(dirname(path), { recursive: true });
    makePrivate(path);
  }
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
  const db = new Kysely<LooseDb>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, sqlite };
}

/**
 * A mark that differs after any write to the database: rows changed through this connection
 * (total_changes()) and commits by other connections to the same file (data_version). One
 * prepared statement, a few microseconds: what lets an idle beat skip its tick.
 */
export function changeMarker(sqlite: SqliteDatabase): () => string {
  const stmt = sqlite.prepare('SELECT total_changes() AS t, (SELECT data_version FROM pragma_data_version) AS v');
  return () => {
    const { t, v } = stmt.get() as { t: number; v: number };
    return `${t}:${v}`;
  };
}

/** Prepared statements kept per SQL text, at most (the store's queries are a few hundred shapes). */
const STATEMENT_CACHE = 500;

/**
 * The database as Kysely uses it, with its statements prepared once per SQL text: Kysely prepares
 * each query it runs, and preparing cost more than running most of the store's short queries
 * (a third of an idle stack's query time). A statement still busy (an open iterator) is not reused.
 */
function withStatementCache(sqlite: SqliteDatabase): Pick<SqliteDatabase, 'close' | 'prepare'> {
  const cache = new Map<string, ReturnType<SqliteDatabase['prepare']>>();
  return {
    close: () => sqlite.close(),
    prepare: (sql: string) => {
      const hit = cache.get(sql);
      if (hit && !hit.busy) return hit;
      const stmt = sqlite.prepare(sql);
      if (!hit) {
        if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  } as Pick<SqliteDatabase, 'close' | 'prepare'>;
}

/**
 * The database and its -wal and -shm files are readable by their owner only (0600): the file is
 * created 0600 before SQLite opens it (SQLite gives the -wal and -shm files it creates the mode of
 * the database file), and files of an older version are made 0600.
 */
function makePrivate(path: string): void {
  try {
    closeSync(openSync(path, 'a', 0o600));
  } catch {
    // SQLite reports what is wrong with the path
  }
  for (const f of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      chmodSync(f, 0o600);
    } catch {
      // missing (created later with the database's mode) or not ours to change
    }
  }
}

/**
 * Checkpoints the WAL once a second (PASSIVE: never waits for readers), when it changed since the
 * last one (its size or mtime: an idle stack runs no query for it). Answers a stop function.
 */
export function startCheckpointer(sqlite: SqliteDatabase, everyMs = 1000): () => void {
  const wal = `${sqlite.name}-wal`;
  let seen = '';
  const timer = setInterval(() => {
    const st = statSync(wal, { throwIfNoEntry: false });
    const now = st ? `${st.size}:${st.mtimeMs}` : '';
    if (now === seen) return;
    try {
      sqlite.pragma('wal_checkpoint(PASSIVE)');
      const after = statSync(wal, { throwIfNoEntry: false });
      seen = after ? `${after.size}:${after.mtimeMs}` : '';
    } catch {
      // A busy database skips this round; the next one catches up.
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
