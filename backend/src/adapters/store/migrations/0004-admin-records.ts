/**
 * 0004: what administration keeps: operation records (the audit log of admin writes), script
 * recover points, system settings and expiring values (temporary flags, captcha answers).
 * Frozen once applied.
 */
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../store-context.js';
import { columnTypes, createTable } from './schema-helpers.js';

export function adminRecordsSchema(dialect: Dialect): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // First statement fails when the migration was applied (see migrateToLatest).
      await createTable(db, dialect, 'operation_records')
        .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('id', t.id, (c) => c.notNull().unique())
        .addColumn('userId', t.id)
        .addColumn('username', t.id)
        .addColumn('operationId', t.short, (c) => c.notNull())
        .addColumn('traceId', t.id, (c) => c.notNull())
        .addColumn('clientId', t.id)
        .addColumn('clientIPsJSON', t.big, (c) => c.notNull())
        .addColumn('reqMethod', t.short, (c) => c.notNull())
        .addColumn('reqRoute', t.text, (c) => c.notNull())
        .addColumn('reqURL', t.big, (c) => c.notNull())
        .addColumn('reqParamsJSON', t.big)
        .addColumn('reqQueryJSON', t.big)
        .addColumn('reqBodyJSON', t.big)
        .addColumn('respStatusCode', t.int, (c) => c.notNull())
        .addColumn('respReason', t.short)
        .addColumn('reqCost', t.int, (c) => c.notNull())
        .addColumn('createTime', t.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('idx_operation_records_time').on('operation_records').columns(['createTime']).execute();
      await db.schema.createIndex('idx_operation_records_user').on('operation_records').columns(['userId', 'createTime']).execute();

      await createTable(db, dialect, 'script_recover_points')
        .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('id', t.id, (c) => c.notNull().unique())
        .addColumn('type', t.short, (c) => c.notNull())
        .addColumn('note', t.text)
        .addColumn('exportDataJSON', t.big, (c) => c.notNull())
        .addColumn('scriptSetCount', t.int, (c) => c.notNull())
        .addColumn('scriptCount', t.int, (c) => c.notNull())
        .addColumn('createTime', t.time, (c) => c.notNull())
        .execute();

      await createTable(db, dialect, 'system_settings')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('valueJSON', t.big, (c) => c.notNull())
        .addColumn('createTime', t.time, (c) => c.notNull())
        .addColumn('updateTime', t.time, (c) => c.notNull())
        .execute();

      await createTable(db, dialect, 'expiring_values')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('valueJSON', t.big, (c) => c.notNull())
        .addColumn('expireAt', t.time)
        .execute();
      await db.schema.createIndex('idx_expiring_values_expire').on('expiring_values').columns(['expireAt']).execute();
    },
  };
}
