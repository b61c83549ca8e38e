/** 0008: connectors (DataFlux Func's biz_main_connector): named connections scripts use with DFF.CONN. Frozen once applied. */
import type { Migration } from 'kysely';
import type { Dialect } from '../store-context.js';
import { migration } from './schema-helpers.js';

export function connectorsSchema(dialect: Dialect): Migration {
  return migration(dialect, ({ t, times, table }) =>
    table('connectors', [
      ['id', t.id, 'pk'],
      ['title', t.text, 'null'],
      ['description', t.text, 'null'],
      ['type', t.short, 'notNull'],
      ['configJSON', t.big, 'notNull'],
      ['isBuiltin', t.bool, 'notNull'],
      ['pinTime', t.time, 'null'],
      ...times,
    ]),
  );
}
