/** 0007: file services (DataFlux Func's biz_main_file_service): a folder of the resources folder served at /api/v1/fs/:id/. Frozen once applied. */
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../store-context.js';
import { columnTypes, createTable } from './schema-helpers.js';

export function fileServicesSchema(dialect: Dialect): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await createTable(db, dialect, 'file_services')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('root', t.text, (c) => c.notNull())
        .addColumn('isDisabled', t.bool, (c) => c.notNull())
        .addColumn('note', t.text)
        .addColumn('createTime', t.time, (c) => c.notNull())
        .addColumn('updateTime', t.time, (c) => c.notNull())
        .execute();
    },
  };
}
