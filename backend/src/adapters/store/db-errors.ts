/** Recognising driver errors the port gives a meaning to. */

interface DriverError {
  code?: unknown;
  errno?: unknown;
  message?: unknown;
}

/** A duplicate primary key (not another unique index): SQLite's SQLITE_CONSTRAINT_PRIMARYKEY, MySQL's ER_DUP_ENTRY on PRIMARY. */
export function isDuplicatePrimaryKey(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as DriverError;
  if (e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
  if (e.code === 'ER_DUP_ENTRY' || e.errno === 1062) {
    // MariaDB / MySQL 5.7: "for key 'PRIMARY'"; MySQL 8: "for key 'table.PRIMARY'".
    return typeof e.message === 'string' && /for key '(?:[^']*\.)?PRIMARY'/.test(e.message);
  }
  return false;
}

/** Any unique-key violation (primary key or unique index). */
export function isDuplicateKey(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as DriverError;
  return e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'ER_DUP_ENTRY' || e.errno === 1062;
}

/**
 * The column of a unique index a violation names, when it is one column of `columns`: SQLite
 * "UNIQUE constraint failed: users.username", MySQL "Duplicate entry 'x' for key 'idx_users_username'"
 * (MySQL 8: 'users.idx_users_username'; the migrations name a one-column index idx_<table>_<column>).
 */
export function duplicateKeyColumn(err: unknown, table: string, columns: readonly string[]): string | undefined {
  if (!isDuplicateKey(err)) return undefined;
  const message = (err as DriverError).message;
  if (typeof message !== 'string') return undefined;
  const sqlite = /UNIQUE constraint failed: ([\w.]+)$/.exec(message);
  const mysql = /for key '(?:[^']*\.)?idx_([^']+)'/.exec(message);
  const name = sqlite ? sqlite[1] : mysql ? mysql[1] : undefined;
  if (name === undefined) return undefined;
  return columns.find((c) => name === `${table}.${c}` || name === `${table}_${c}`);
}

/**
 * The database did not answer: no connection could be made or the one in use dropped (mysql2's
 * socket and protocol errors, which it marks `fatal`), as opposed to a statement it refused.
 */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
]);

export function isConnectionError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as DriverError & { fatal?: unknown };
  return (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) || e.fatal === true;
}
