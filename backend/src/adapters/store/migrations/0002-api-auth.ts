/** 0002: API auth configurations for sync/async APIs. Frozen once applied. */
import type { Migration } from 'kysely';
import type { Dialect } from '../store-context.js';
import { migration } from './schema-helpers.js';

export function apiAuthSchema(dialect: Dialect): Migration {
  return migration(dialect, ({ t, times, table }) =>
    table('api_auth', [['id', t.id, 'pk'], ['title', t.text, 'null'], ['type', t.short, 'notNull'], ['configJSON', t.big, 'notNull'], ['note', t.text, 'null'], ...times]),
  );
}
