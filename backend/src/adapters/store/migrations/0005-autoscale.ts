/** 0005: autoscaling policies of a stack's worker units and the autoscaler's state. Frozen once applied. */
import type { Migration } from 'kysely';
import type { Dialect } from '../store-context.js';
import { migration } from './schema-helpers.js';

export function autoscaleSchema(dialect: Dialect): Migration {
  // First statement fails when the migration was applied (see migrateToLatest).
  return migration(dialect, ({ t, table }) =>
    table(
      'autoscale_policies',
      [
        ['stack', t.short, 'notNull'],
        ['unit', t.short, 'notNull'],
        ['specJSON', t.text, 'notNull'],
        ['paused', t.bool, 'notNull'],
        ['error', t.text, 'null'],
        ['stateJSON', t.big, 'notNull'],
        ['updateTime', t.time, 'notNull'],
      ],
      { name: 'pk_autoscale_policies', columns: ['stack', 'unit'] },
    ),
  );
}
