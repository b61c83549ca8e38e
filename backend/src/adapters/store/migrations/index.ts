/** The versioned migrations, listed statically (no filesystem scan), and a runner. */
import { Migrator } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely';
import type { Db, Dialect } from '../store-context.js';
import { initialSchema } from './0001-initial.js';
import { apiAuthSchema } from './0002-api-auth.js';
import { authStateSchema } from './0003-auth-state.js';
import { fileServicesSchema } from './0007-file-services.js';
import { connectorsSchema } from './0008-connectors.js';
import { userContactSchema } from './0009-user-contact.js';
import { blueprintsSchema } from './0010-blueprints.js';
import { scriptSetHistorySchema } from './0011-script-set-history.js';
import { connectorOriginData } from './0012-connector-origin.js';
import { adminRecordsSchema } from './0004-admin-records.js';
import { autoscaleSchema } from './0005-autoscale.js';
import { taskDebuggingSchema } from './0006-task-debugging.js';

/** Names sort in application order; never rename or edit an applied migration. SQLite: see migrateToLatest for how a migration must begin. */
export function migrationsFor(dialect: Dialect): Record<string, Migration> {
  return {
    '0001-initial': initialSchema(dialect),
    '0002-api-auth': apiAuthSchema(dialect),
    '0003-auth-state': authStateSchema(dialect),
    '0004-admin-records': adminRecordsSchema(dialect),
    '0005-autoscale': autoscaleSchema(dialect),
    '0006-task-debugging': taskDebuggingSchema(dialect),
    '0007-file-services': fileServicesSchema(dialect),
    '0008-connectors': connectorsSchema(dialect),
    '0009-user-contact': userContactSchema(dialect),
    '0010-blueprints': blueprintsSchema(dialect),
    '0011-script-set-history': scriptSetHistorySchema(dialect),
    '0012-connector-origin': connectorOriginData(),
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
 * no-op) and Kysely runs SQLite migrations outside a transaction: two processes on one file
 * (`func server` and `func worker` started together) both see a migration pending, both run it,
 * and the one that comes second fails on the first statement the other has already applied
 * (statements run in the same order), having changed nothing. It tries again after a pause and
 * finds the migration recorded. Hence the rule for SQLite migrations: begin with a statement that
 * fails when the migration was applied (a CREATE TABLE or ADD COLUMN without IF NOT EXISTS),
 * never with a data change that a second run would repeat.
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
