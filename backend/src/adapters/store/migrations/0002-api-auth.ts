/** 0002: API auth configurations for sync/async APIs. Frozen once applied. */
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../store-context.js';
import { columnTypes, createTable } from './schema-helpers.js';

export function apiAuthSchema(dialect: Dialect): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await createTable(db, dialect, 'api_auth')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('title', t.text)
        .addColumn('type', t.short, (c) => c.notNull())
        .addColumn('configJSON', t.big, (c) => c.notNull())
        .addColumn('note', t.text)
        .addColumn('createTime', t.time, (c) => c.notNull())
        .addColumn('updateTime', t.time, (c) => c.notNull())
        .execute();
    },
  };
}
