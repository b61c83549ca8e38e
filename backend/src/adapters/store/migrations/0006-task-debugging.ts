/**
 * 0006: what debugging needs of a task record: the HTTP request an API call came with (without
 * credentials, for replay), the task a replay or requeue re-ran, and each attempt of a retried
 * task. Frozen once applied.
 */
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../store-context.js';
import { columnTypes } from './schema-helpers.js';

export function taskDebuggingSchema(dialect: Dialect): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // First statement fails when the migration was applied (see migrateToLatest).
      await db.schema.alterTable('task_records').addColumn('httpRequestJSON', t.big).execute();
      await db.schema.alterTable('task_records').addColumn('replayOf', t.id).execute();
      await db.schema.alterTable('task_records').addColumn('attemptsJSON', t.big).execute();
    },
  };
}
