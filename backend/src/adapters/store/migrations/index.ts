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

/** Applies pending migrations; a no-op when up to date. Throws the failing migration's error. */
export async function migrateToLatest(db: Db, dialect: Dialect): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const cause = error instanceof Error ? error : new Error(typeof error === 'string' ? error : 'unknown error');
    throw new Error(`store migration ${failed ?? ''} failed: ${cause.message}`, { cause });
  }
}
