/**
 * 0011: the script-set export and import history (DataFlux Func's biz_main_script_set_export_history
 * and biz_main_script_set_import_history): a note and the summary of what went out or came in.
 * Frozen once applied.
 */
import type { Migration } from 'kysely';
import type { Dialect } from '../store-context.js';
import { migration } from './schema-helpers.js';

export function scriptSetHistorySchema(dialect: Dialect): Migration {
  return migration(dialect, async ({ t, table }) => {
    // First statement fails when the migration was applied (see migrateToLatest).
    for (const name of ['script_set_export_history', 'script_set_import_history']) {
      await table(name, [
        ['seq', t.int, 'seq'],
        ['id', t.id, 'unique'],
        ['note', t.text, 'null'],
        ['summaryJSON', t.big, 'notNull'],
        ['createTime', t.time, 'notNull'],
        ['updateTime', t.time, 'notNull'],
      ]);
    }
  });
}
