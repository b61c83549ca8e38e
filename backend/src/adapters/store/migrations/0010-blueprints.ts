/** 0010: blueprints (DataFlux Func's biz_main_blueprint): a flow canvas that deploy turns into a script. Frozen once applied. */
import type { Migration } from 'kysely';
import type { Dialect } from '../store-context.js';
import { migration } from './schema-helpers.js';

export function blueprintsSchema(dialect: Dialect): Migration {
  return migration(dialect, ({ t, times, table }) =>
    table('blueprints', [
      ['id', t.id, 'pk'],
      ['title', t.text, 'null'],
      ['description', t.text, 'null'],
      ['canvasJSON', t.big, 'notNull'],
      ['viewJSON', t.big, 'notNull'],
      ['isDeployed', t.bool, 'notNull'],
      ...times,
    ]),
  );
}
