/** 0005: autoscaling policies of a stack's worker units and the autoscaler's state. Frozen once applied. */
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../store-context.js';
import { columnTypes, createTable } from './schema-helpers.js';

export function autoscaleSchema(dialect: Dialect): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // First statement fails when the migration was applied (see migrateToLatest).
      await createTable(db, dialect, 'autoscale_policies')
        .addColumn('stack', t.short, (c) => c.notNull())
        .addColumn('unit', t.short, (c) => c.notNull())
        .addColumn('specJSON', t.text, (c) => c.notNull())
        .addColumn('paused', t.bool, (c) => c.notNull())
        .addColumn('error', t.text)
        .addColumn('stateJSON', t.big, (c) => c.notNull())
        .addColumn('updateTime', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('pk_autoscale_policies', ['stack', 'unit'])
        .execute();
    },
  };
}
