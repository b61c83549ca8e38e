/** Operation records, script recover points, system settings and expiring values (see ports/admin-store.ts). */
import { anyContainsCondition, likeLiteral } from './row-filter.js';
import { sql } from 'kysely';
import type { SelectQueryBuilder, SqlBool } from 'kysely';
import type {
  ExpiringValueOps,
  OperationRecordFilter,
  OperationRecordOps,
  OperationRecordRow,
  RecoverPointOps,
  RecoverPointRow,
  RecoverPointSummary,
  RecoverPointType,
  ScriptSetHistoryOps,
  ScriptSetHistoryRow,
  SettingOps,
} from '../../domain/ports/admin-store.js';
import { decodeRows, encodeRow } from './row-codec.js';
import { affected, pageBounds } from './store-context.js';
import type { Db, LooseDb, StoreContext } from './store-context.js';
import type { TableSpec } from './tables.js';

export const OPERATION_RECORD_TABLE: TableSpec<OperationRecordRow> = {
  entity: 'operationRecords',
  table: 'operation_records',
  columns: [
    'id',
    'userId',
    'username',
    'operationId',
    'traceId',
    'clientId',
    'clientIPsJSON',
    'reqMethod',
    'reqRoute',
    'reqURL',
    'reqParamsJSON',
    'reqQueryJSON',
    'reqBodyJSON',
    'respStatusCode',
    'respReason',
    'reqCost',
    'createTime',
  ],
  json: new Set(['clientIPsJSON', 'reqParamsJSON', 'reqQueryJSON', 'reqBodyJSON']),
  bool: new Set(),
};

/** `%`, `_` and the escape character itself are literal in a substring search. */
const likeContains = (text: string): string => `%${likeLiteral(text)}%`;

const likeWhere = (column: string, text: string) => sql<SqlBool>`${sql.ref(column)} like ${likeContains(text)} escape '!'`;

/** Deletes every row of `table` older than its `keep`-th newest (by seq). */
async function keepNewest(db: Db, table: string, keep: number): Promise<number> {
  const cutoff = await db.selectFrom(table).select('seq').orderBy('seq', 'desc').limit(1).offset(Math.max(0, keep)).executeTakeFirst();
  if (cutoff === undefined) return 0;
  const result = await db
    .deleteFrom(table)
    .where('seq', '<=', cutoff.seq as number)
    .executeTakeFirst();
  return affected(result.numDeletedRows);
}

function operationFilter<O>(query: SelectQueryBuilder<LooseDb, string, O>, filter: OperationRecordFilter): SelectQueryBuilder<LooseDb, string, O> {
  let q = query;
  for (const field of ['id', 'userId', 'username', 'traceId', 'reqMethod', 'operationId'] as const) {
    const values = filter[field];
    if (values !== undefined) q = values.length === 0 ? q.where((eb) => eb.lit(false)) : q.where(field, 'in', values);
  }
  if (filter.reqRoute !== undefined) q = q.where(likeWhere('reqRoute', filter.reqRoute));
  if (filter.respStatusCode !== undefined) q = q.where('respStatusCode', '=', filter.respStatusCode);
  if (filter.since !== undefined) q = q.where('createTime', '>=', filter.since);
  if (filter.until !== undefined) q = q.where('createTime', '<=', filter.until);
  const search = anyContainsCondition(OPERATION_RECORD_TABLE, filter.anyContains);
  if (search !== undefined) q = q.where(search);
  return q;
}

export function createOperationRecordOps(ctx: StoreContext): OperationRecordOps {
  const { db } = ctx;
  const SPEC = OPERATION_RECORD_TABLE;
  return {
    async insertMany(rows): Promise<void> {
      if (rows.length === 0) return;
      await db
        .insertInto(SPEC.table)
        .values(rows.map((r) => encodeRow(SPEC, r)))
        .execute();
    },
    async list(filter, options): Promise<OperationRecordRow[]> {
      let query = operationFilter(db.selectFrom(SPEC.table).select(SPEC.columns as string[]), filter).orderBy('seq', 'desc');
      const { limit, offset } = pageBounds(options);
      if (limit !== undefined) query = query.limit(limit);
      if (offset !== undefined) query = query.offset(offset);
      return decodeRows(SPEC, await query.execute());
    },
    async count(filter): Promise<number> {
      const row = await operationFilter(db.selectFrom(SPEC.table), filter)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    trim: (keep) => keepNewest(db, SPEC.table, keep),
  };
}

const RECOVER_TABLE = 'script_recover_points';
const SUMMARY_COLUMNS = ['id', 'type', 'note', 'scriptSetCount', 'scriptCount', 'createTime'];

function toSummary(r: Record<string, unknown>): RecoverPointSummary {
  return {
    id: String(r.id),
    type: r.type as RecoverPointType,
    note: typeof r.note === 'string' ? r.note : null,
    scriptSetCount: Number(r.scriptSetCount),
    scriptCount: Number(r.scriptCount),
    createTime: Number(r.createTime),
  };
}

export function createRecoverPointOps(ctx: StoreContext): RecoverPointOps {
  const { db } = ctx;
  return {
    async insert(row: RecoverPointRow): Promise<void> {
      await db
        .insertInto(RECOVER_TABLE)
        .values({
          id: row.id,
          type: row.type,
          note: row.note,
          exportDataJSON: JSON.stringify(row.exportData),
          scriptSetCount: row.exportData.scriptSets.length,
          scriptCount: row.exportData.scripts.length,
          createTime: row.createTime,
        })
        .execute();
    },
    async get(id): Promise<RecoverPointRow | undefined> {
      const r = await db.selectFrom(RECOVER_TABLE).selectAll().where('id', '=', id).executeTakeFirst();
      if (r === undefined) return undefined;
      const { scriptSetCount: _s, scriptCount: _c, ...summary } = toSummary(r);
      return { ...summary, exportData: JSON.parse(String(r.exportDataJSON)) as RecoverPointRow['exportData'] };
    },
    async list(filter, options): Promise<RecoverPointSummary[]> {
      let query = db.selectFrom(RECOVER_TABLE).select(SUMMARY_COLUMNS);
      if (filter.id !== undefined) query = filter.id.length === 0 ? query.where((eb) => eb.lit(false)) : query.where('id', 'in', filter.id);
      if (filter.type !== undefined) query = filter.type.length === 0 ? query.where((eb) => eb.lit(false)) : query.where('type', 'in', filter.type);
      if (filter.note !== undefined) query = query.where(likeWhere('note', filter.note));
      query = query.orderBy('seq', 'desc');
      const { limit, offset } = pageBounds(options);
      if (limit !== undefined) query = query.limit(limit);
      if (offset !== undefined) query = query.offset(offset);
      return (await query.execute()).map(toSummary);
    },
    async delete(id): Promise<boolean> {
      const result = await db.deleteFrom(RECOVER_TABLE).where('id', '=', id).executeTakeFirst();
      return affected(result.numDeletedRows) > 0;
    },
    trim: (keep) => keepNewest(db, RECOVER_TABLE, keep),
  };
}

/** The export or import history of script sets (`script_set_export_history`, `script_set_import_history`). */
export function createScriptSetHistoryOps(ctx: StoreContext, table: 'script_set_export_history' | 'script_set_import_history'): ScriptSetHistoryOps {
  const { db } = ctx;
  return {
    async insert(row: ScriptSetHistoryRow): Promise<void> {
      await db
        .insertInto(table)
        .values({ id: row.id, note: row.note, summaryJSON: JSON.stringify(row.summaryJSON), createTime: row.createTime, updateTime: row.updateTime })
        .execute();
    },
    async list(filter, options) {
      let query = db.selectFrom(table).select(['seq', 'id', 'note', 'summaryJSON', 'createTime', 'updateTime']);
      if (filter.id !== undefined) query = filter.id.length === 0 ? query.where((eb) => eb.lit(false)) : query.where('id', 'in', filter.id);
      if (filter.note !== undefined) query = query.where(likeWhere('note', filter.note));
      query = query.orderBy('seq', 'desc');
      const { limit, offset } = pageBounds(options);
      if (limit !== undefined) query = query.limit(limit);
      if (offset !== undefined) query = query.offset(offset);
      return (await query.execute()).map((r) => ({
        seq: Number(r.seq),
        id: String(r.id),
        note: typeof r.note === 'string' ? r.note : null,
        summaryJSON: JSON.parse(String(r.summaryJSON)) as Record<string, unknown>,
        createTime: Number(r.createTime),
        updateTime: Number(r.updateTime),
      }));
    },
  };
}

const SETTINGS_TABLE = 'system_settings';

export function createSettingOps(ctx: StoreContext): SettingOps {
  const { db, dialect } = ctx;
  return {
    async all(): Promise<Record<string, unknown>> {
      const rows = await db.selectFrom(SETTINGS_TABLE).select(['id', 'valueJSON']).execute();
      return Object.fromEntries(rows.map((r) => [String(r.id), JSON.parse(String(r.valueJSON)) as unknown]));
    },
    async set(id, value, now): Promise<void> {
      const valueJSON = JSON.stringify(value) ?? 'null';
      const insert = db.insertInto(SETTINGS_TABLE).values({ id, valueJSON, createTime: now, updateTime: now });
      const changes = { valueJSON, updateTime: now };
      await (dialect === 'mysql' ? insert.onDuplicateKeyUpdate(changes) : insert.onConflict((oc) => oc.column('id').doUpdateSet(changes))).execute();
    },
    async delete(id): Promise<boolean> {
      const result = await db.deleteFrom(SETTINGS_TABLE).where('id', '=', id).executeTakeFirst();
      return affected(result.numDeletedRows) > 0;
    },
  };
}

const EXPIRING_TABLE = 'expiring_values';

export function createExpiringValueOps(ctx: StoreContext): ExpiringValueOps {
  const { db, dialect } = ctx;
  const live = (now: number) => sql<SqlBool>`(${sql.ref('expireAt')} is null or ${sql.ref('expireAt')} > ${now})`;
  const read = async (id: string, now: number): Promise<{ value: unknown; expireAt: number | null } | undefined> => {
    const r = await db.selectFrom(EXPIRING_TABLE).select(['valueJSON', 'expireAt']).where('id', '=', id).where(live(now)).executeTakeFirst();
    if (r === undefined) return undefined;
    return { value: JSON.parse(String(r.valueJSON)) as unknown, expireAt: r.expireAt === null ? null : Number(r.expireAt) };
  };
  return {
    async set(id, value, expireAt, _now): Promise<void> {
      const valueJSON = JSON.stringify(value) ?? 'null';
      const insert = db.insertInto(EXPIRING_TABLE).values({ id, valueJSON, expireAt });
      const changes = { valueJSON, expireAt };
      await (dialect === 'mysql' ? insert.onDuplicateKeyUpdate(changes) : insert.onConflict((oc) => oc.column('id').doUpdateSet(changes))).execute();
    },
    get: read,
    async take(id, now): Promise<unknown> {
      const found = await read(id, now);
      if (found === undefined) return undefined;
      // Only the caller whose delete removed the row gets the value (two takes race: one wins).
      const result = await db.deleteFrom(EXPIRING_TABLE).where('id', '=', id).executeTakeFirst();
      return affected(result.numDeletedRows) > 0 ? found.value : undefined;
    },
    async delete(id): Promise<boolean> {
      const result = await db.deleteFrom(EXPIRING_TABLE).where('id', '=', id).executeTakeFirst();
      return affected(result.numDeletedRows) > 0;
    },
    async prune(now): Promise<number> {
      const result = await db.deleteFrom(EXPIRING_TABLE).where('expireAt', 'is not', null).where('expireAt', '<=', now).executeTakeFirst();
      return affected(result.numDeletedRows);
    },
  };
}
