/** Opening a MySQL / MariaDB database from a URL, with a mysql2 pool behind Kysely. */
import { CompiledQuery, Kysely, MysqlDialect, sql, type DatabaseConnection } from 'kysely';
import { createPool } from 'mysql2';
import type { TypeCast } from 'mysql2';
import { maskSecrets } from '../../../../contract/redact.js';
import type { Db, LooseDb } from './store-context.js';

const CONNECTION_LIMIT = 10;
const TEXT_TYPES = new Set(['TINY_BLOB', 'MEDIUM_BLOB', 'LONG_BLOB', 'BLOB', 'VAR_STRING', 'STRING', 'JSON']);

/** Text (and any binary-collated text) comes back as a string, never a Buffer. */
const typeCast: TypeCast = (field, next) => (TEXT_TYPES.has(field.type) ? field.string('utf8') : next());

/** `mysql://user:pass@host:3306/db` without the password, for error messages. */
export function describeMysqlUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.username === '' ? '' : `${decodeURIComponent(u.username)}@`}${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/**
 * What every connection runs first: mysql2 puts the values into the SQL text itself, escaping a
 * quote with a backslash, which a server whose sql_mode holds NO_BACKSLASH_ESCAPES would read as
 * a plain character (an injection through any text a caller sends). The mode is taken out of the
 * session, whatever the server's default.
 */
export const SESSION_SETUP_SQL = "SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')";

export async function setUpSession(connection: Pick<DatabaseConnection, 'executeQuery'>): Promise<void> {
  await connection.executeQuery(CompiledQuery.raw(SESSION_SETUP_SQL));
}

/** Opens the pool and checks the server answers, so a wrong URL fails here rather than on first use. */
export async function openMysql(url: string): Promise<Db> {
  let database: string;
  try {
    database = decodeURIComponent(new URL(url).pathname.slice(1));
  } catch {
    throw new Error('mysqlUrl is not a URL: expected mysql://user:pass@host:3306/db');
  }
  if (database === '' || database.includes('/')) {
    throw new Error(`mysqlUrl must name one database: mysql://user:pass@host:3306/db (got ${describeMysqlUrl(url)})`);
  }
  const pool = createPool({
    uri: url,
    connectionLimit: CONNECTION_LIMIT,
    charset: 'utf8mb4',
    // BIGINT epoch-ms values come back as numbers (strings only beyond 2^53, which times never reach).
    supportBigNumbers: true,
    bigNumberStrings: false,
    dateStrings: true,
    typeCast,
  });
  const db = new Kysely<LooseDb>({ dialect: new MysqlDialect({ pool, onCreateConnection: setUpSession }) });
  try {
    await sql`select 1`.execute(db);
  } catch (err) {
    await db.destroy();
    const reason = maskSecrets(err instanceof Error ? err.message : String(err));
    throw new Error(`cannot connect to MySQL at ${describeMysqlUrl(url)}: ${reason}`, { cause: err });
  }
  return db;
}
