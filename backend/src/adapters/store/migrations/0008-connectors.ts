/** 0008: connectors (DataFlux Func's biz_main_connector): named connections scripts use with DFF.CONN. Frozen once applied. */
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../store-context.js';
import { columnTypes, createTable } from './schema-helpers.js';

export function connectorsSchema(dialect: Dialect): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await createTable(db, dialect, 'connectors')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('title', t.text)
        .addColumn('description', t.text)
        .addColumn('type', t.short, (c) => c.notNull())
        .addColumn('configJSON', t.big, (c) => c.notNull())
        .addColumn('isBuiltin', t.bool, (c) => c.notNull())
        .addColumn('pinTime', t.time)
        .addColumn('createTime', t.time, (c) => c.notNull())
        .addColumn('updateTime', t.time, (c) => c.notNull())
        .execute();
    },
  };
}
