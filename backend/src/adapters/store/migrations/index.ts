/** The versioned migrations, listed statically (no filesystem scan), and a runner. */
import { Migrator } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely';
import type { Db, Dialect } from '../store-context.js';
import { initialSchema } from './0001-initial.js';
import { apiAuthSchema } from './0002-api-auth.js';

/** Names sort in application order; never rename or edit an applied migration. */
export function migrationsFor(dialect: Dialect): Record<string, Migration> {
  return {
    '0001-initial': initialSchema(dialect),
    '0002-api-auth': apiAuthSchema(dialect),
  };
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  const migrations = migrationsFor(dialect);
  return { getMigrations: () => Promise.resolve(migrations) };
}

/** How often a SQLite migration is tried before its error is thrown (see migrateToLatest). */
const SQLITE_TRIES = 5;

/**
 * Applies pending migrations; a no-op when up to date. Throws the failing migration's error.
 * MySQL: Kysely's migration lock serializes processes. SQLite has no such lock (Kysely's is a
 * no-op): two processes on one file (`func server` and `func worker` started together) both see
 * a migration pending and the second one's CREATE fails. Each migration runs in a transaction
 * (SQLite's DDL is transactional), so the loser rolled back: it tries again after a pause and
 * finds the migration applied.
 */
export async function migrateToLatest(db: Db, dialect: Dialect): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrateOnce(db, dialect);
      return;
    } catch (err) {
      if (dialect !== 'sqlite' || attempt >= SQLITE_TRIES) throw err;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 150));
    }
  }
}

async function migrateOnce(db: Db, dialect: Dialect): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const cause = error instanceof Error ? error : new Error(typeof error === 'string' ? error : 'unknown error');
    throw new Error(`store migration ${failed ?? ''} failed: ${cause.message}`, { cause });
  }
}
