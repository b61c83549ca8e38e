/** 0007: file services (DataFlux Func's biz_main_file_service): a folder of the resources folder served at /api/v1/fs/:id/. Frozen once applied. */
import type { Migration } from 'kysely';
import type { Dialect } from '../store-context.js';
import { migration } from './schema-helpers.js';

export function fileServicesSchema(dialect: Dialect): Migration {
  return migration(dialect, ({ t, times, table }) =>
    table('file_services', [['id', t.id, 'pk'], ['root', t.text, 'notNull'], ['isDisabled', t.bool, 'notNull'], ['note', t.text, 'null'], ...times]),
  );
}
