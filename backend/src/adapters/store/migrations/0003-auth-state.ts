/**
 * 0003: sign-in state kept in the store (it outlives a process and every server sees it): marks
 * with an expiry (signed-out tokens, access-key nonces) and `users.tokensValidAfter`. Frozen once applied.
 */
import type { Migration } from 'kysely';
import type { Dialect } from '../store-context.js';
import { migration } from './schema-helpers.js';

export function authStateSchema(dialect: Dialect): Migration {
  return migration(dialect, async ({ t, table, index, addColumns }) => {
    // First statement fails when the migration was applied (see migrateToLatest).
    await table('auth_marks', [
      ['id', t.id, 'pk'],
      ['expireAt', t.time, 'notNull'],
    ]);
    await index('idx_auth_marks_expire', 'auth_marks', ['expireAt']);
    await addColumns('users', [['tokensValidAfter', t.time, 'null']]);
  });
}
