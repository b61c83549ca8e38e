/** Task records: the hot insert/update/get, listings and trimming. */
import type { TaskRecordFilter, TaskRecordOps, TaskRecordRow, TaskTiming } from '../../domain/ports/store.js';
import { DuplicateIdError, TIMING_LOOKBACK_MS } from '../../domain/ports/store.js';
import { isDuplicatePrimaryKey } from './db-errors.js';
import { decodeRow, decodeRows, encodePatch, encodeRow } from './row-codec.js';
import { affected, pageBounds } from './store-context.js';
import type { Db, StoreContext } from './store-context.js';
import { TASK_RECORD_TABLE } from './tables.js';
import { createSqliteTaskRecordHotOps } from './task-record-sqlite.js';
import type { TaskRecordHotOps } from './task-record-sqlite.js';

const SPEC = TASK_RECORD_TABLE;
const TABLE = SPEC.table;
const UNFINISHED = ['queued', 'running'];
/** Final states of tasks that ran (the others never started). */
const RAN = ['success', 'failure', 'timeout'];

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
      // One write needs no transaction: BEGIN and COMMIT would triple its round trips.
      if (inserts.length + updates.length === 1) {
        if (inserts[0]) await this.insert(inserts[0]);
        else await this.update(updates[0]!.id, updates[0]!.patch);
        return;
      }
      await transaction(async (trx) => {
        if (inserts.length > 0) {
          try {
            await trx.insertInto(TABLE).values(inserts.map((r) => encodeRow(SPEC, r))).execute();
          } catch (err) {
            if (isDuplicatePrimaryKey(err)) throw new DuplicateIdError(SPEC.entity, inserts.length === 1 ? inserts[0]!.id : inserts.map((r) => r.id).join(','));
            throw err;
          }
        }
        for (const { id, patch } of updates) {
          const values = encodePatch(SPEC, patch, id);
          if (Object.keys(values).length > 0) await trx.updateTable(TABLE).set(values).where('id', '=', id).execute();
        }
      });
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
      for (const field of ['id', 'funcId', 'origin', 'originId', 'rootTaskId'] as const) {
        const value = filter[field];
        if (value !== undefined) query = query.where(field, '=', value);
      }
      if (filter.status !== undefined) {
        const status = filter.status;
        query = Array.isArray(status)
          ? status.length === 0
            ? query.where((eb) => eb.lit(false))
            : query.where('status', 'in', status)
          : query.where('status', '=', status);
      }
      if (filter.since !== undefined) query = query.where('triggerTimeMs', '>=', filter.since);
      if (filter.until !== undefined) query = query.where('triggerTimeMs', '<=', filter.until);
      query = query.orderBy('triggerTimeMs', 'desc').orderBy('id', 'desc');
      const { limit, offset } = pageBounds(options);
      if (limit !== undefined) query = query.limit(limit);
      if (offset !== undefined) query = query.offset(offset);
      return decodeRows(SPEC, await query.execute());
    },

    async unfinished(limit): Promise<TaskRecordRow[]> {
      const rows = await db
        .selectFrom(TABLE)
        .selectAll()
        .where('status', 'in', UNFINISHED)
        .orderBy('triggerTimeMs')
        .orderBy('id')
        .limit(limit)
        .execute();
      return decodeRows(SPEC, rows);
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

    async trim(origin, originId, keep): Promise<number> {
      let query = db.deleteFrom(TABLE).where('origin', '=', origin).where('originId', '=', originId);
      if (keep > 0) {
        // The oldest record kept; everything older (by triggerTimeMs, then id) goes.
        const cutoff = await db
          .selectFrom(TABLE)
          .select(['triggerTimeMs', 'id'])
          .where('origin', '=', origin)
          .where('originId', '=', originId)
          .orderBy('triggerTimeMs', 'desc')
          .orderBy('id', 'desc')
          .limit(1)
          .offset(keep - 1)
          .executeTakeFirst();
        if (cutoff === undefined) return 0;
        const { triggerTimeMs, id } = cutoff;
        query = query.where((eb) =>
          eb.or([eb('triggerTimeMs', '<', triggerTimeMs), eb.and([eb('triggerTimeMs', '=', triggerTimeMs), eb('id', '<', id)])]),
        );
      }
      const result = await query.executeTakeFirst();
      return affected(result.numDeletedRows);
    },
  };
}
