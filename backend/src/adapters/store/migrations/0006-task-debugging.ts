/**
 * 0006: what debugging needs of a task record: the HTTP request an API call came with (without
 * credentials, for replay), the task a replay or requeue re-ran, and each attempt of a retried
 * task. Frozen once applied.
 */
import type { Migration } from 'kysely';
import type { Dialect } from '../store-context.js';
import { migration } from './schema-helpers.js';

export function taskDebuggingSchema(dialect: Dialect): Migration {
  // First statement fails when the migration was applied (see migrateToLatest).
  return migration(dialect, ({ t, addColumns }) =>
    addColumns('task_records', [
      ['httpRequestJSON', t.big, 'null'],
      ['replayOf', t.id, 'null'],
      ['attemptsJSON', t.big, 'null'],
    ]),
  );
}
