/** 0001: every table of the first schema. Frozen: later changes go in new migrations. */
import type { Migration } from 'kysely';
import type { Dialect } from '../store-context.js';
import { migration } from './schema-helpers.js';
import type { ColumnDef } from './schema-helpers.js';

export function initialSchema(dialect: Dialect): Migration {
  return migration(dialect, async ({ t, times, table, index }) => {
    const apiCommon: ColumnDef[] = [
      ['id', t.id, 'pk'],
      ['funcId', t.id, 'notNull'],
      ['funcCallKwargsJSON', t.big, 'notNull'],
      ['tagsJSON', t.big, 'null'],
      ['expireTime', t.time, 'null'],
      ['taskRecordLimit', t.int, 'null'],
      ['isDisabled', t.bool, 'notNull'],
      ['note', t.text, 'null'],
    ];
    const httpApi: ColumnDef[] = [
      ['apiAuthId', t.id, 'null'],
      ['throttlingJSON', t.big, 'null'],
      ['showInDoc', t.bool, 'notNull'],
    ];

    const tables: Record<string, readonly ColumnDef[]> = {
      script_sets: [['id', t.id, 'pk'], ['title', t.text, 'null'], ['description', t.text, 'null'], ['requirements', t.text, 'null'], ...times],
      scripts: [
        ['id', t.id, 'pk'],
        ['scriptSetId', t.id, 'notNull'],
        ['title', t.text, 'null'],
        ['description', t.text, 'null'],
        ['code', t.big, 'null'],
        ['codeMD5', t.short, 'null'],
        ['codeDraft', t.big, 'notNull'],
        ['codeDraftMD5', t.short, 'notNull'],
        ['publishVersion', t.int, 'notNull'],
        ...times,
      ],
      funcs: [
        ['id', t.id, 'pk'],
        ['scriptSetId', t.id, 'notNull'],
        ['scriptId', t.id, 'notNull'],
        ['name', t.id, 'notNull'],
        ['title', t.text, 'null'],
        ['description', t.text, 'null'],
        ['definition', t.big, 'notNull'],
        ['argsJSON', t.big, 'notNull'],
        ['kwargsJSON', t.big, 'notNull'],
        ['extraConfigJSON', t.big, 'notNull'],
        ['category', t.id, 'notNull'],
        ['tagsJSON', t.big, 'notNull'],
        ['defOrder', t.int, 'notNull'],
        ...times,
      ],
      sync_apis: [...apiCommon, ...httpApi, ...times],
      async_apis: [...apiCommon, ...httpApi, ...times],
      cron_jobs: [...apiCommon, ['cronExpr', t.id, 'null'], ['timezone', t.short, 'null'], ['nextRunTime', t.time, 'null'], ['lastRunTime', t.time, 'null'], ...times],
      env_variables: [
        ['id', t.id, 'pk'],
        ['title', t.text, 'null'],
        ['description', t.text, 'null'],
        ['autoTypeCasting', t.short, 'notNull'],
        ['valueTEXT', t.big, 'notNull'],
        ...times,
      ],
      users: [
        ['id', t.id, 'pk'],
        ['username', t.id, 'notNull'],
        ['name', t.text, 'null'],
        ['passwordHash', t.text, 'notNull'],
        ['roles', t.big, 'notNull'],
        ['isDisabled', t.bool, 'notNull'],
        ...times,
      ],
      access_keys: [['id', t.id, 'pk'], ['userId', t.id, 'notNull'], ['name', t.text, 'null'], ['secretCipher', t.text, 'notNull'], ['isDisabled', t.bool, 'notNull'], ...times],
      task_records: [
        ['id', t.id, 'pk'],
        ['rootTaskId', t.id, 'null'],
        ['funcId', t.id, 'notNull'],
        ['scriptId', t.id, 'notNull'],
        ['origin', t.short, 'notNull'],
        ['originId', t.id, 'notNull'],
        ['queue', t.int, 'notNull'],
        ['status', t.short, 'notNull'],
        ['triggerTimeMs', t.time, 'notNull'],
        ['startTimeMs', t.time, 'null'],
        ['endTimeMs', t.time, 'null'],
        ['kwargsJSON', t.big, 'notNull'],
        ['returnValueJSON', t.big, 'null'],
        ['printLogsTEXT', t.big, 'null'],
        ['exceptionType', t.text, 'null'],
        ['exceptionTEXT', t.big, 'null'],
        ['tracebackTEXT', t.big, 'null'],
        ['reason', t.text, 'null'],
        ['timeoutMs', t.int, 'notNull'],
        ['attempt', t.int, 'notNull'],
        ['peakMemoryMb', t.real, 'null'],
        ['messageJSON', t.big, 'null'],
      ],
    };
    const compositeKeyTables: Record<string, { columns: readonly ColumnDef[]; key: string[] }> = {
      script_publish_history: {
        columns: [
          ['scriptId', t.id, 'notNull'],
          ['publishVersion', t.int, 'notNull'],
          ['code', t.big, 'notNull'],
          ['codeMD5', t.short, 'notNull'],
          ['note', t.text, 'null'],
          ['createTime', t.time, 'notNull'],
        ],
        key: ['scriptId', 'publishVersion'],
      },
      func_store: {
        columns: [['scope', t.id, 'notNull'], ['key', t.id, 'notNull'], ['valueJSON', t.big, 'notNull'], ['expireAt', t.time, 'null'], ...times],
        key: ['scope', 'key'],
      },
    };
    /** [index name, table, columns, unique]. Index names are global on SQLite, hence the table prefix. */
    const indexes: readonly (readonly [string, string, string[], boolean])[] = [
      ['scripts_script_set', 'scripts', ['scriptSetId'], false],
      ['funcs_script', 'funcs', ['scriptId'], false],
      // `id` last: SQLite secondary indexes hold the rowid, not the id, and due() orders by (nextRunTime, id).
      ['cron_jobs_due', 'cron_jobs', ['isDisabled', 'nextRunTime', 'id'], false],
      ['users_username', 'users', ['username'], true],
      ['access_keys_user', 'access_keys', ['userId'], false],
      ['task_records_func', 'task_records', ['funcId', 'triggerTimeMs'], false],
      ['task_records_origin', 'task_records', ['origin', 'originId', 'triggerTimeMs'], false],
      ['task_records_status', 'task_records', ['status', 'triggerTimeMs'], false],
    ];

    for (const [name, columns] of Object.entries(tables)) await table(name, columns);
    for (const [name, { columns, key }] of Object.entries(compositeKeyTables)) await table(name, columns, { name: `${name}_pk`, columns: key });
    for (const [name, on, columns, unique] of indexes) await index(`idx_${name}`, on, columns, unique);
  });
}
