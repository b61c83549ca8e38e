/** What every store operation module receives: the Kysely instance, its dialect and a transaction runner. */
import type { Database as SqliteDatabase } from 'better-sqlite3';
import type { Kysely, Transaction } from 'kysely';

/**
 * Tables are described at runtime (see tables.ts) and rows are encoded/decoded by row-codec.ts,
 * so Kysely is used with a loose schema: any table, any column, unknown values.
 */
export type LooseDb = Record<string, Record<string, unknown>>;
export type Db = Kysely<LooseDb>;
export type Trx = Transaction<LooseDb>;
export type Dialect = 'sqlite' | 'mysql';

export interface StoreContext {
  readonly dialect: Dialect;
  readonly db: Db;
  /** The better-sqlite3 handle behind `db` (SQLite only), for the few hot statements run directly. */
  readonly sqlite: SqliteDatabase | null;
  /** Run `fn` in one transaction. On SQLite, statements run directly wait until it is over. */
  transaction<T>(fn: (trx: Trx) => Promise<T>): Promise<T>;
  /** A promise to await before a direct statement, or null when no transaction is open. */
  transactionInProgress(): Promise<void> | null;
}

/**
 * Builds the context. Kysely keeps other Kysely queries out of an open SQLite transaction
 * (one connection behind a mutex), but statements run on the raw handle would land inside it,
 * so they wait for `transactionInProgress()` first.
 */
export function createStoreContext(dialect: Dialect, db: Db, sqlite: SqliteDatabase | null): StoreContext {
  let current: Promise<void> | null = null;
  return {
    dialect,
    db,
    sqlite,
    async transaction<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
      if (sqlite === null) return db.transaction().execute(fn);
      while (current !== null) await current;
      let release: () => void = () => undefined;
      current = new Promise<void>((resolve) => {
        release = resolve;
      });
      try {
        return await db.transaction().execute(fn);
      } finally {
        current = null;
        release();
      }
    },
    transactionInProgress: () => current,
  };
}

/** Kysely reports affected rows as bigint (or undefined); callers want a number. */
export function affected(n: bigint | undefined): number {
  return n === undefined ? 0 : Number(n);
}

/** SQLite and MySQL both require a LIMIT with an OFFSET. */
export function pageBounds(options: { limit?: number; offset?: number } | undefined): { limit?: number; offset?: number } {
  if (options === undefined) return {};
  const { limit, offset } = options;
  if (offset !== undefined && offset > 0) return { limit: limit ?? Number.MAX_SAFE_INTEGER, offset };
  return limit === undefined ? {} : { limit };
}
