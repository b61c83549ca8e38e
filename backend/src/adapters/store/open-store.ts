/** Opens the Store on SQLite (embedded) or MySQL/MariaDB. Does not migrate: call `store.migrate()`. */
import type { EntityName, EntityRepo, EntityRows, Store } from '../../domain/ports/store.js';
import { createExpiringValueOps, createOperationRecordOps, createRecoverPointOps, createScriptSetHistoryOps, createSettingOps } from './admin-store-ops.js';
import { createAuthStateOps } from './auth-state-ops.js';
import { createAutoscaleOps } from './autoscale-ops.js';
import { createCronIndexOps } from './cron-index-ops.js';
import { createEntityRepo } from './entity-repo.js';
import { createFuncStoreOps } from './func-store-ops.js';
import { migrateToLatest } from './migrations/index.js';
import { isConnectionError } from './db-errors.js';
import { openMysql } from './mysql-connection.js';
import { createScriptOps } from './script-ops.js';
import { changeMarker, openSqlite, startCheckpointer } from './sqlite-connection.js';
import { createStoreContext } from './store-context.js';
import { storeReport } from './store-report.js';
import type { StoreContext } from './store-context.js';
import { ENTITY_TABLES } from './tables.js';
import { createTaskRecordOps } from './task-record-ops.js';

export type OpenStoreOptions = { sqlitePath: string } | { mysqlUrl: string };

/** The Store plus the Kysely context, for tests and tools that need raw SQL (EXPLAIN, bulk loads). */
export interface OpenedStore extends Store {
  readonly context: StoreContext;
}

export async function openStore(opts: OpenStoreOptions): Promise<OpenedStore> {
  let context: StoreContext;
  if ('sqlitePath' in opts) {
    const { db, sqlite } = openSqlite(opts.sqlitePath);
    context = createStoreContext('sqlite', db, sqlite);
    return buildStore(context, startCheckpointer(sqlite), changeMarker(sqlite));
  }
  context = createStoreContext('mysql', await openMysql(opts.mysqlUrl), null);
  return buildStore(context, () => undefined, undefined);
}

function buildStore(context: StoreContext, stopBackground: () => void, changeMark: (() => string) | undefined): OpenedStore {
  const { db, dialect } = context;
  const repos = new Map<EntityName, EntityRepo<EntityRows[EntityName]>>();
  let closed = false;
  return {
    dialect,
    context,
    entity<N extends EntityName>(name: N): EntityRepo<EntityRows[N]> {
      let repo = repos.get(name);
      if (repo === undefined) {
        repo = createEntityRepo<EntityRows[N]>(db, ENTITY_TABLES[name]);
        repos.set(name, repo);
      }
      return repo as EntityRepo<EntityRows[N]>;
    },
    scripts: createScriptOps(context),
    taskRecords: createTaskRecordOps(context),
    funcStore: createFuncStoreOps(context),
    cron: createCronIndexOps(db),
    authState: createAuthStateOps(db),
    operationRecords: createOperationRecordOps(context),
    recoverPoints: createRecoverPointOps(context),
    scriptSetExportHistory: createScriptSetHistoryOps(context, 'script_set_export_history'),
    scriptSetImportHistory: createScriptSetHistoryOps(context, 'script_set_import_history'),
    settings: createSettingOps(context),
    expiring: createExpiringValueOps(context),
    autoscale: createAutoscaleOps(context),
    ...(changeMark ? { changeMark } : {}),
    isUnreachable: isConnectionError,
    report: () => storeReport(context),
    migrate: () => migrateToLatest(db, dialect),
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      stopBackground();
      await db.destroy();
    },
  };
}
