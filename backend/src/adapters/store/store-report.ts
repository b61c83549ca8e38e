/**
 * The store's part of the system report: every table with its rows and sizes, and the
 * database's settings. MySQL: `information_schema.TABLES` of the current database (rows are
 * InnoDB's estimate, as DataFlux Func's `SHOW TABLE STATUS`) and `SHOW VARIABLES`; SQLite: an
 * exact COUNT(*) per table, sizes from the `dbstat` table (an index counted for its table), and
 * the pragmas that shape it.
 */
import { sql } from 'kysely';
import type { StoreReport, TableStatus } from '../../domain/ports/store.js';
import type { StoreContext } from './store-context.js';

const SQLITE_PRAGMAS = ['journal_mode', 'synchronous', 'page_size', 'page_count', 'freelist_count', 'auto_vacuum', 'foreign_keys', 'busy_timeout'] as const;

function status(name: string, rows: number, dataSize: number, indexSize: number): TableStatus {
  const totalSize = dataSize + indexSize;
  return { name, rows, dataSize, indexSize, totalSize, avgRowSize: rows > 0 ? Math.floor(totalSize / rows) : 0 };
}

async function mysqlReport(context: StoreContext): Promise<StoreReport> {
  const variables = await sql<{ Variable_name: string; Value: string | null }>`SHOW VARIABLES`.execute(context.db);
  const settings: Record<string, string> = {};
  for (const v of variables.rows) settings[v.Variable_name] = v.Value ?? '';
  const tables = await sql<{ name: string; tableRows: number | string | null; dataLength: number | string | null; indexLength: number | string | null }>`
    SELECT TABLE_NAME AS name, TABLE_ROWS AS tableRows, DATA_LENGTH AS dataLength, INDEX_LENGTH AS indexLength
    FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME`.execute(context.db);
  return { settings, tables: tables.rows.map((t) => status(t.name, Number(t.tableRows ?? 0), Number(t.dataLength ?? 0), Number(t.indexLength ?? 0))) };
}

function sqliteReport(context: StoreContext): StoreReport {
  const db = context.sqlite!;
  const settings: Record<string, string> = { sqlite_version: String(db.prepare('SELECT sqlite_version() AS v').pluck().get()) };
  for (const name of SQLITE_PRAGMAS) settings[name] = String(db.pragma(name, { simple: true }));
  const objects = db.prepare(`SELECT name, type, tbl_name AS tableName FROM sqlite_master WHERE type = 'index' OR (type = 'table' AND substr(name, 1, 7) <> 'sqlite_')`).all() as {
    name: string;
    type: string;
    tableName: string;
  }[];
  const sizes = new Map<string, number>();
  try {
    for (const row of db.prepare('SELECT name, SUM(pgsize) AS size FROM dbstat GROUP BY name').all() as { name: string; size: number }[]) sizes.set(row.name, row.size);
  } catch {
    // A build without the dbstat table: sizes stay 0, rows are still counted.
  }
  const tables = objects.filter((o) => o.type === 'table').map((o) => o.name);
  return {
    settings,
    tables: tables.sort().map((name) => {
      const rows = Number(
        db
          .prepare(`SELECT COUNT(*) FROM "${name.replaceAll('"', '""')}"`)
          .pluck()
          .get(),
      );
      const indexSize = objects.filter((o) => o.type === 'index' && o.tableName === name).reduce((sum, o) => sum + (sizes.get(o.name) ?? 0), 0);
      return status(name, rows, sizes.get(name) ?? 0, indexSize);
    }),
  };
}

export async function storeReport(context: StoreContext): Promise<StoreReport> {
  if (context.sqlite === null) return mysqlReport(context);
  await context.transactionInProgress();
  return sqliteReport(context);
}
