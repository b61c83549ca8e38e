/** 0009: a user's email and mobile number (DataFlux Func's wat_main_user has both). Frozen once applied. */
import type { Migration } from 'kysely';
import type { Dialect } from '../store-context.js';
import { migration } from './schema-helpers.js';

export function userContactSchema(dialect: Dialect): Migration {
  // First statement fails when the migration was applied (see migrateToLatest).
  return migration(dialect, ({ t, addColumns }) =>
    addColumns('users', [
      ['email', t.text, 'null'],
      ['mobile', t.text, 'null'],
    ]),
  );
}
