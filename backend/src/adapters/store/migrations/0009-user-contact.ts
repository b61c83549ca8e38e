/** 0009: a user's email and mobile number (DataFlux Func's wat_main_user has both). Frozen once applied. */
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../store-context.js';
import { columnTypes } from './schema-helpers.js';

export function userContactSchema(dialect: Dialect): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // First statement fails when the migration was applied (see migrateToLatest).
      await db.schema.alterTable('users').addColumn('email', t.text).execute();
      await db.schema.alterTable('users').addColumn('mobile', t.text).execute();
    },
  };
}
