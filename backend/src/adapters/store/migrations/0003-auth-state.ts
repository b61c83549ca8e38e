/**
 * 0003: sign-in state kept in the store (it outlives a process and every server sees it): marks
 * with an expiry (signed-out tokens, access-key nonces) and `users.tokensValidAfter`. Frozen once applied.
 */
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../store-context.js';
import { columnTypes, createTable } from './schema-helpers.js';

export function authStateSchema(dialect: Dialect): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // First statement fails when the migration was applied (see migrateToLatest).
      await createTable(db, dialect, 'auth_marks')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('expireAt', t.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('idx_auth_marks_expire').on('auth_marks').columns(['expireAt']).execute();
      await db.schema.alterTable('users').addColumn('tokensValidAfter', t.time).execute();
    },
  };
}
