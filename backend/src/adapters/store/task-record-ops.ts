/** Task records: the hot insert/update/get, listings and trimming. */
import { CompiledQuery, sql, type SqlBool } from 'kysely';
import type { OriginActivity, RecordCursor, TaskRecordFilter, TaskRecordOps, TaskRecordRow, TaskTiming } from '../../domain/ports/store.js';
import { DuplicateIdError, TIMING_LOOKBACK_MS } from '../../domain/ports/store.js';
import { isDuplicatePrimaryKey } from './db-errors.js';
import { anyContainsCondition, likeLiteral } from './row-filter.js';
import { decodeRow, decodeRows, encodePatch, encodeRow, encodeRowValues } from './row-codec.js';
import { affected, pageBounds } from './store-context.js';
import type { Db, StoreContext } from './store-context.js';
import { TASK_RECORD_TABLE } from './tables.js';
import { createSqliteTaskRecordHotOps } from './task-record-sqlite.js';
import type { TaskRecordHotOps } from './task-record-sqlite.js';

const SPEC = TASK_RECORD_TABLE;
const TABLE = SPEC.table;
const UNFINISHED = ['queued', 'running'];

/** From an unfinished record's message: the latest its task may start (its expiry, after its eta); null without one. */
function startsBefore(messageJSON: unknown): number | null {
  if (typeof messageJSON !== 'string') return null;
  try {
    const m = JSON.parse(messageJSON) as { expiresAt?: unknown; eta?: unknown };
    const expires = typeof m.expiresAt === 'number' && m.expiresAt > 0 ? m.expiresAt : null;
    const eta = typeof m.eta === 'number' ? m.eta : null;
    return expires === null ? null : Math.max(expires, eta ?? 0);
  } catch {
    return null;
  }
}
/** Final states of tasks that ran (the others never started). */
const RAN = ['success', 'failure', 'timeout'];

interface EncodedUpdate {
  id: string;
  values: Record<string, unknown>;
}

/** Updates that set the same columns, so one statement can carry them all. */
function groupByColumns(updates: EncodedUpdate[]): { columns: string[]; rows: EncodedUpdate[] }[] {
  const groups = new Map<string, { columns: string[]; rows: EncodedUpdate[] }>();
  for (const u of updates) {
    const columns = Object.keys(u.values).sort();
    const key = columns.join(',');
    const group = groups.get(key) ?? { columns, rows: [] };
    group.rows.push(u);
    groups.set(key, group);
  }
  return [...groups.values()];
}

const quote = (name: string): string => `\`${name}\``;

/**
 * One MySQL statement for many updates: join the table with the new values as a derived table
 * (`UPDATE t JOIN (SELECT … UNION ALL SELECT …) v ON t.id = v.id SET t.c = v.c, …`). A worker's
 * finished tasks go out as one statement per batch instead of one per task. Built as text with
 * placeholders (column names come from the table spec): building it node by node with Kysely's
 * query builder cost more than the database's own work for a batch.
 */
function coalescedUpdate(group: { columns: string[]; rows: EncodedUpdate[] }): CompiledQuery {
  const { columns, rows } = group;
  const params: unknown[] = [];
  const first = `SELECT ? AS ${quote('id')}, ${columns.map((c) => `? AS ${quote(c)}`).join(', ')}`;
  const more = `SELECT ?, ${columns.map(() => '?').join(', ')}`;
  const selects = rows.map((r, i) => {
    params.push(r.id);
    for (const c of columns) params.push(r.values[c]);
    return i === 0 ? first : more;
  });
  const sets = columns.map((c) => `t.${quote(c)} = v.${quote(c)}`).join(', ');
  return CompiledQuery.raw(`UPDATE ${quote(TABLE)} AS t JOIN (${selects.join(' UNION ALL ')}) AS v ON t.${quote('id')} = v.${quote('id')} SET ${sets}`, params);
}

/** A multi-row INSERT of whole records, built as text with placeholders (see coalescedUpdate). */
function multiInsert(records: readonly TaskRecordRow[]): CompiledQuery {
  const row = `(${SPEC.columns.map(() => '?').join(', ')})`;
  const params = records.flatMap((r) => encodeRowValues(SPEC, r));
  return CompiledQuery.raw(`INSERT INTO ${quote(TABLE)} (${SPEC.columns.map(quote).join(', ')}) VALUES ${records.map(() => row).join(', ')}`, params);
}

/** insert/update/get through Kysely (MySQL, and the reference for the SQLite fast path). */
export function createKyselyTaskRecordHotOps(db: Db, transaction: StoreContext['transaction']): TaskRecordHotOps {
  return {
    async insert(record: TaskRecordRow): Promise<void> {
      try {
        await db.insertInto(TABLE).values(encodeRow(SPEC, record)).execute();
      } catch (err) {
        if (isDuplicatePrimaryKey(err)) throw new DuplicateIdError(SPEC.entity, record.id);
        throw err;
      }
    },
    async update(id, patch): Promise<void> {
      const values = encodePatch(SPEC, patch, id);
      if (Object.keys(values).length === 0) return;
      await db.updateTable(TABLE).set(values).where('id', '=', id).execute();
    },
    async writeBatch(inserts, updates): Promise<void> {
      const statements: CompiledQuery[] = [];
      if (inserts.length > 0) statements.push(multiInsert(inserts));
      for (const group of groupByColumns(updates.map(({ id, patch }) => ({ id, values: encodePatch(SPEC, patch, id) })))) {
        if (group.columns.length > 0) statements.push(coalescedUpdate(group));
      }
      const run = async (exec: (q: CompiledQuery) => Promise<unknown>): Promise<void> => {
        for (const [i, q] of statements.entries()) {
          try {
            await exec(q);
          } catch (err) {
            if (i === 0 && inserts.length > 0 && isDuplicatePrimaryKey(err)) throw new DuplicateIdError(SPEC.entity, inserts.map((r) => r.id).join(','));
            throw err;
          }
        }
      };
      // One statement is atomic on its own (autocommit): BEGIN and COMMIT would triple its round
      // trips. A stream of sync calls' outcomes is one multi-row INSERT per batch.
      if (statements.length === 1) await run((q) => db.executeQuery(q));
      else if (statements.length > 1) await transaction((trx) => run((q) => trx.executeQuery(q)));
    },
    async get(id): Promise<TaskRecordRow | undefined> {
      const row = await db.selectFrom(TABLE).selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : decodeRow(SPEC, row);
    },
  };
}

export function createTaskRecordOps(ctx: StoreContext): TaskRecordOps {
  const { db } = ctx;
  const hot = ctx.sqlite === null ? createKyselyTaskRecordHotOps(db, (fn) => ctx.transaction(fn)) : createSqliteTaskRecordHotOps(ctx, ctx.sqlite);
  return {
    insert: hot.insert,
    update: hot.update,
    get: hot.get,
    writeBatch: hot.writeBatch,

    async list(filter: TaskRecordFilter, options): Promise<TaskRecordRow[]> {
      let query = db.selectFrom(TABLE).selectAll();
      for (const field of ['id', 'funcId', 'origin', 'originId', 'rootTaskId', 'scriptId', 'queue'] as const) {
        const value = filter[field];
        if (value !== undefined) query = query.where(field, '=', value);
      }
      // A script of set S is `S__name`.
      if (filter.scriptSetId !== undefined) query = query.where(sql<SqlBool>`${sql.ref('scriptId')} like ${`${likeLiteral(filter.scriptSetId)}!_!_%`} escape '!'`);
      if (filter.status !== undefined) {
        const status = filter.status;
        query = Array.isArray(status) ? (status.length === 0 ? query.where((eb) => eb.lit(false)) : query.where('status', 'in', status)) : query.where('status', '=', status);
      }
      if (filter.since !== undefined) query = query.where('triggerTimeMs', '>=', filter.since);
      if (filter.until !== undefined) query = query.where('triggerTimeMs', '<=', filter.until);
      const search = anyContainsCondition(SPEC, filter.anyContains);
      if (search !== undefined) query = query.where(search);
      query = query.orderBy('triggerTimeMs', 'desc').orderBy('id', 'desc');
      const { limit, offset } = pageBounds(options);
      if (limit !== undefined) query = query.limit(limit);
      if (offset !== undefined) query = query.offset(offset);
      return decodeRows(SPEC, await query.execute());
    },

    async unfinishedUntil(status, until, after, limit): Promise<TaskRecordRow[]> {
      // (status, triggerTimeMs) is indexed; a keyset page, so records ending meanwhile shift nothing.
      let query = db.selectFrom(TABLE).selectAll().where('status', '=', status).where('triggerTimeMs', '<=', until);
      if (after) {
        query = query.where((eb) => eb.or([eb('triggerTimeMs', '>', after.triggerTimeMs), eb.and([eb('triggerTimeMs', '=', after.triggerTimeMs), eb('id', '>', after.id)])]));
      }
      const rows = await query.orderBy('triggerTimeMs').orderBy('id').limit(limit).execute();
      return decodeRows(SPEC, rows);
    },

    async updateIf(id, expected, patch): Promise<boolean> {
      const values = encodePatch(SPEC, patch, id);
      if (Object.keys(values).length === 0) return false;
      let query = db.updateTable(TABLE).set(values).where('id', '=', id).where('status', '=', expected.status);
      if (expected.attempt !== undefined) query = query.where('attempt', '=', expected.attempt);
      const result = await query.executeTakeFirst();
      return affected(result.numUpdatedRows) > 0;
    },

    async timingsSince(since, limit): Promise<TaskTiming[]> {
      // (status, triggerTimeMs) is indexed: the trigger-time bound keeps the scan to the window.
      const rows = await db
        .selectFrom(TABLE)
        .select(['queue', 'startTimeMs', 'endTimeMs'])
        .where('status', 'in', RAN)
        .where('triggerTimeMs', '>=', since - TIMING_LOOKBACK_MS)
        .where('endTimeMs', '>=', since)
        .where('startTimeMs', 'is not', null)
        .orderBy('triggerTimeMs', 'desc')
        .limit(Math.max(0, Math.floor(limit)))
        .execute();
      return rows.map((r) => ({ queue: Number(r.queue), startTimeMs: Number(r.startTimeMs), endTimeMs: Number(r.endTimeMs) }));
    },

    async countBy(field, ids): Promise<Record<string, number>> {
      if (ids.length === 0) return {};
      const rows = await db
        .selectFrom(TABLE)
        .select((eb) => [eb.ref(field).as('groupId'), eb.fn.countAll().as('n')])
        .where(field, 'in', [...ids])
        .groupBy(field)
        .execute();
      return Object.fromEntries(rows.map((r) => [String(r.groupId), Number(r.n)]));
    },

    async originActivity(origin, originIds, since, until): Promise<OriginActivity[]> {
      if (originIds.length === 0) return [];
      const rows = await db
        .selectFrom(TABLE)
        .select((eb) => [
          'id',
          'originId',
          'triggerTimeMs',
          'status',
          'startTimeMs',
          'timeoutMs',
          // The message only of the unfinished ones (few): when their task may still start.
          eb.case().when('status', 'in', UNFINISHED).then(eb.ref('messageJSON')).else(null).end().as('messageJSON'),
        ])
        .where('origin', '=', origin)
        .where('originId', 'in', [...originIds])
        .where((eb) => eb.or([eb.and([eb('triggerTimeMs', '>=', since), eb('triggerTimeMs', '<=', until)]), eb('status', 'in', UNFINISHED)]))
        .execute();
      return rows.map((r) => ({
        id: String(r.id),
        originId: String(r.originId),
        triggerTimeMs: Number(r.triggerTimeMs),
        status: String(r.status),
        startTimeMs: r.startTimeMs === null ? null : Number(r.startTimeMs),
        timeoutMs: Number(r.timeoutMs),
        startsBefore: startsBefore(r.messageJSON),
      }));
    },

    async trim(origin, originId, keep, from): Promise<{ deleted: number; cutoff: RecordCursor | undefined }> {
      // Finished records only: a queued or running task's record is what answers for it and what
      // it runs again from after a restart (embedded) or a Redis that lost its data. The cutoff is
      // the newest `keep` records' whatever their status (read off the index alone): looking for
      // the `keep`-th finished one walked past every queued record of a backlog on each trim.
      let query = db.deleteFrom(TABLE).where('origin', '=', origin).where('originId', '=', originId).where('status', 'not in', UNFINISHED);
      let cutoff: RecordCursor | undefined;
      if (keep > 0) {
        // The oldest record kept; every finished one older (by triggerTimeMs, then id) goes.
        const row = await db
          .selectFrom(TABLE)
          .select(['triggerTimeMs', 'id'])
          .where('origin', '=', origin)
          .where('originId', '=', originId)
          .orderBy('triggerTimeMs', 'desc')
          .orderBy('id', 'desc')
          .limit(1)
          .offset(keep - 1)
          .executeTakeFirst();
        if (row === undefined) return { deleted: 0, cutoff: undefined };
        cutoff = { triggerTimeMs: Number(row.triggerTimeMs), id: String(row.id) };
        const { triggerTimeMs, id } = cutoff;
        query = query.where('triggerTimeMs', '<=', triggerTimeMs).where((eb) => eb.or([eb('triggerTimeMs', '<', triggerTimeMs), eb('id', '<', id)]));
        // Only from an earlier cutoff on: the index range starts there, not at the origin's oldest record.
        if (from !== undefined)
          query = query.where('triggerTimeMs', '>=', from.triggerTimeMs).where((eb) => eb.or([eb('triggerTimeMs', '>', from.triggerTimeMs), eb('id', '>=', from.id)]));
      }
      const result = await query.executeTakeFirst();
      return { deleted: affected(result.numDeletedRows), cutoff };
    },
  };
}
