/** Script drafts, publishing (with its funcs and history) and deletion. */
import type { FuncRow, ScriptOps, ScriptPublishRow } from '../../domain/ports/store.js';
import { DuplicateIdError, RowGoneError } from '../../domain/ports/store.js';
import { decodeRows, encodeRow } from './row-codec.js';
import { affected } from './store-context.js';
import type { StoreContext, Trx } from './store-context.js';
import { ENTITY_TABLES, SCRIPT_PUBLISH_TABLE } from './tables.js';
import { anyContainsCondition } from './row-filter.js';

const SCRIPTS = ENTITY_TABLES.scripts.table;
const FUNCS = ENTITY_TABLES.funcs;
const HISTORY = SCRIPT_PUBLISH_TABLE;
/** Rows per multi-row insert (keeps well under both dialects' parameter limits). */
const INSERT_CHUNK = 100;

async function replaceFuncs(trx: Trx, scriptId: string, funcs: readonly FuncRow[]): Promise<void> {
  await trx.deleteFrom(FUNCS.table).where('scriptId', '=', scriptId).execute();
  if (funcs.length === 0) return;
  const seen = new Set<string>();
  for (const f of funcs) {
    if (seen.has(f.id)) throw new DuplicateIdError(FUNCS.entity, f.id);
    seen.add(f.id);
  }
  // Ids of another script's funcs: report which one instead of a bare constraint error.
  const taken = await trx
    .selectFrom(FUNCS.table)
    .select('id')
    .where('id', 'in', [...seen])
    .executeTakeFirst();
  if (taken !== undefined) throw new DuplicateIdError(FUNCS.entity, String(taken.id));
  for (let i = 0; i < funcs.length; i += INSERT_CHUNK) {
    const rows = funcs.slice(i, i + INSERT_CHUNK).map((f) => encodeRow(FUNCS, f));
    await trx.insertInto(FUNCS.table).values(rows).execute();
  }
}

export function createScriptOps(ctx: StoreContext): ScriptOps {
  const { db } = ctx;
  return {
    async saveDraft(id, codeDraft, codeDraftMD5, prevMD5, now): Promise<boolean> {
      let query = db.updateTable(SCRIPTS).set({ codeDraft, codeDraftMD5, updateTime: now }).where('id', '=', id);
      if (prevMD5 !== undefined) query = query.where('codeDraftMD5', '=', prevMD5);
      const result = await query.executeTakeFirst();
      return affected(result.numUpdatedRows) > 0;
    },

    publish({ scriptId, code, codeMD5, note, funcs, now }): Promise<number> {
      return ctx.transaction(async (trx) => {
        // The update comes first: on MySQL it locks the row, so concurrent publishes get distinct versions.
        const updated = await trx
          .updateTable(SCRIPTS)
          .set((eb) => ({ code, codeMD5, publishVersion: eb('publishVersion', '+', 1), updateTime: now }))
          .where('id', '=', scriptId)
          .executeTakeFirst();
        if (affected(updated.numUpdatedRows) === 0) throw new RowGoneError('script', scriptId);
        const row = await trx.selectFrom(SCRIPTS).select('publishVersion').where('id', '=', scriptId).executeTakeFirstOrThrow();
        const publishVersion = Number(row.publishVersion);
        const history: ScriptPublishRow = { scriptId, publishVersion, code, codeMD5, note, createTime: now };
        await trx.insertInto(HISTORY.table).values(encodeRow(HISTORY, history)).execute();
        await replaceFuncs(trx, scriptId, funcs);
        return publishVersion;
      });
    },

    async history(scriptId): Promise<ScriptPublishRow[]> {
      const rows = await db.selectFrom(HISTORY.table).selectAll().where('scriptId', '=', scriptId).orderBy('publishVersion', 'desc').execute();
      return decodeRows(HISTORY, rows);
    },

    async listHistory(filter, page, withCode): Promise<ScriptPublishRow[]> {
      let q = db.selectFrom(HISTORY.table).selectAll();
      if (filter.scriptId?.length) q = q.where('scriptId', 'in', [...filter.scriptId]);
      if (filter.publishVersion?.length) q = q.where('publishVersion', 'in', [...filter.publishVersion]);
      const search = anyContainsCondition(HISTORY, filter.anyContains);
      if (search !== undefined) q = q.where(search);
      const rows = await q.orderBy('createTime', 'desc').orderBy('scriptId').orderBy('publishVersion', 'desc').limit(page.limit).offset(page.offset).execute();
      return decodeRows(HISTORY, rows).map((r) => (withCode ? r : { ...r, code: '' }));
    },

    deleteScript(id): Promise<boolean> {
      return ctx.transaction(async (trx) => {
        await trx.deleteFrom(FUNCS.table).where('scriptId', '=', id).execute();
        await trx.deleteFrom(HISTORY.table).where('scriptId', '=', id).execute();
        const result = await trx.deleteFrom(SCRIPTS).where('id', '=', id).executeTakeFirst();
        return affected(result.numDeletedRows) > 0;
      });
    },
  };
}
