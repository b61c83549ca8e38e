/**
 * 0004: what administration keeps: operation records (the audit log of admin writes), script
 * recover points, system settings and expiring values (temporary flags, captcha answers).
 * Frozen once applied.
 */
import type { Migration } from 'kysely';
import type { Dialect } from '../store-context.js';
import { migration } from './schema-helpers.js';

export function adminRecordsSchema(dialect: Dialect): Migration {
  return migration(dialect, async ({ t, times, table, index }) => {
    // First statement fails when the migration was applied (see migrateToLatest).
    await table('operation_records', [
      ['seq', t.int, 'seq'],
      ['id', t.id, 'unique'],
      ['userId', t.id, 'null'],
      ['username', t.id, 'null'],
      ['operationId', t.short, 'notNull'],
      ['traceId', t.id, 'notNull'],
      ['clientId', t.id, 'null'],
      ['clientIPsJSON', t.big, 'notNull'],
      ['reqMethod', t.short, 'notNull'],
      ['reqRoute', t.text, 'notNull'],
      ['reqURL', t.big, 'notNull'],
      ['reqParamsJSON', t.big, 'null'],
      ['reqQueryJSON', t.big, 'null'],
      ['reqBodyJSON', t.big, 'null'],
      ['respStatusCode', t.int, 'notNull'],
      ['respReason', t.short, 'null'],
      ['reqCost', t.int, 'notNull'],
      ['createTime', t.time, 'notNull'],
    ]);
    await index('idx_operation_records_time', 'operation_records', ['createTime']);
    await index('idx_operation_records_user', 'operation_records', ['userId', 'createTime']);
    await table('script_recover_points', [
      ['seq', t.int, 'seq'],
      ['id', t.id, 'unique'],
      ['type', t.short, 'notNull'],
      ['note', t.text, 'null'],
      ['exportDataJSON', t.big, 'notNull'],
      ['scriptSetCount', t.int, 'notNull'],
      ['scriptCount', t.int, 'notNull'],
      ['createTime', t.time, 'notNull'],
    ]);
    await table('system_settings', [['id', t.id, 'pk'], ['valueJSON', t.big, 'notNull'], ...times]);
    await table('expiring_values', [
      ['id', t.id, 'pk'],
      ['valueJSON', t.big, 'notNull'],
      ['expireAt', t.time, 'null'],
    ]);
    await index('idx_expiring_values_expire', 'expiring_values', ['expireAt']);
  });
}
