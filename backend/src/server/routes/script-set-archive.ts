/**
 * DataFlux Func's script-set archive: export (a .zip download), import of one (the multipart
 * branch of `importScriptSet`), confirm of a check-only import, and the two history lists. The
 * rules are the domain's (domain/scripts/script-set-archive*.ts). A check-only import is checked
 * as an import is, then staged in the func cache (Redis in production, so any server can confirm
 * it; memory in `func up`) for DataFlux Func's 900 s, encrypted with the server's secret box (an
 * archive may give secrets); a confirmId is good once. A server stages at most STAGE_MAX_PENDING
 * archives at once, and at most STAGE_MAX_BYTES_FACTOR times its archive limit in all.
 */
import { ApiError, badField } from '../../../../contract/errors.js';
import { SCRIPT_ARCHIVE, type archiveImportResult } from '../../../../contract/operations/script-set-archive.js';
import type { z } from 'zod';
import { newId } from '../../domain/ids.js';
import { ArchiveImporter } from '../../domain/scripts/script-set-archive-import.js';
import { exportArchive, exportUserOf } from '../../domain/scripts/script-set-archive-export.js';
import { archiveMaxBytes, readArchive, type ArchiveData } from '../../domain/scripts/script-set-archive.js';
import { perContext, type AppContext } from '../app-context.js';
import { attachment } from '../content-disposition.js';
import type { Handlers, HandlerCall } from '../handler.js';
import { entityPage, ruleDeps } from './entities.js';

const stageKey = (confirmId: string): string => `func:stage:importScriptSet:${confirmId}`;

/** Check-only imports one server keeps staged (not confirmed, not past their time) at once. */
export const STAGE_MAX_PENDING = 10;
/** What they hold in all (the staged text's length): this many times the server's archive limit. */
export const STAGE_MAX_BYTES_FACTOR = 3;

/**
 * This server's staged imports: confirmId → the staged text's length, and whether its key has been
 * written (a reservation whose key is still being written is not pruned as gone by a concurrent one).
 */
const pendingStages = perContext(() => new Map<string, { size: number; written: boolean }>());

/** Counts a staging of `size` against this server's bounds, or refuses it (429 naming checkOnly); stagings confirmed or past their time no longer count. */
async function reserveStage(ctx: AppContext, confirmId: string, size: number): Promise<void> {
  const pending = pendingStages(ctx);
  for (const [id, stage] of [...pending]) if (stage.written && Number(await ctx.cache.command('exists', [stageKey(id)])) === 0) pending.delete(id);
  // From here to the reservation nothing is awaited: concurrent imports cannot all pass the check.
  const held = [...pending.values()].reduce((a, b) => a + b.size, 0);
  const maxBytes = STAGE_MAX_BYTES_FACTOR * archiveMaxBytes(ctx.config.uploadLimitBytes);
  if (pending.size >= STAGE_MAX_PENDING || held + size > maxBytes) {
    throw new ApiError(
      'EClientRateLimit',
      `checkOnly: this server holds ${pending.size} check-only imports not confirmed yet (${held} bytes; at most ${STAGE_MAX_PENDING}, ${maxBytes} bytes): confirm one, or wait for its ${SCRIPT_ARCHIVE.confirmTimeoutS} s to pass, before checking another`,
      { field: 'checkOnly', pending: pending.size, maxPending: STAGE_MAX_PENDING, maxBytes },
    );
  }
  pending.set(confirmId, { size, written: false });
}

/** DataFlux Func's reading of a form flag (its toBoolean): true, 1, yes, on…; false, 0, no, off…; absent is false. */
function formFlag(value: string | undefined, field: string): boolean {
  if (value === undefined || value === '') return false;
  const v = value.toLowerCase();
  if (['true', '1', 'o', 'y', 'yes', 'ok', 'on'].includes(v)) return true;
  if (['false', '0', 'x', 'n', 'no', 'ng', 'off'].includes(v)) return false;
  throw badField(`body.${field}`, `must be true or false, not ${JSON.stringify(value.slice(0, 20))}`);
}

type ImportBody = Parameters<Handlers['importScriptSet']>[0]['body'];

/** The archive import: checked and staged for a confirm (`checkOnly`), or imported at once. */
export async function importArchive(body: ImportBody, { ctx, caller }: HandlerCall): Promise<z.output<typeof archiveImportResult>> {
  const file = body.files![0]!;
  const checkOnly = formFlag(body.checkOnly, 'checkOnly');
  // setBuiltin marks the rows' origin in DataFlux Func; Func keeps no origin on sets or APIs.
  formFlag(body.setBuiltin, 'setBuiltin');
  // A view of the upload, not a copy.
  const zip = Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength);
  const data = readArchive(zip, { maxTotalBytes: archiveMaxBytes(ctx.config.uploadLimitBytes) });
  const importer = new ArchiveImporter(ruleDeps(ctx), caller!);
  const diff = await importer.diff(data);
  if (checkOnly) {
    // What a confirm would refuse before writing is refused now.
    await importer.check(data);
    const confirmId = newId('import');
    // The archive may give secrets (a connector's password, a password variable): staged encrypted, never in clear.
    const staged = ctx.secrets.encrypt(JSON.stringify(data));
    await reserveStage(ctx, confirmId, staged.length);
    try {
      await ctx.cache.command('set', [stageKey(confirmId), staged, SCRIPT_ARCHIVE.confirmTimeoutS]);
    } catch (err) {
      pendingStages(ctx).delete(confirmId);
      throw err;
    }
    pendingStages(ctx).get(confirmId)!.written = true;
    return { requirements: {}, confirmId, diff, note: data.note };
  }
  const { requirements } = await importer.import(data);
  return { requirements, confirmId: null, diff, note: data.note };
}

function confirmTimeout(confirmId: string): ApiError {
  return new ApiError(
    'EBizCondition',
    `confirmId: no import is staged under ${confirmId} (unknown, confirmed already, or its ${SCRIPT_ARCHIVE.confirmTimeoutS} s passed): import the archive again with checkOnly`,
    { field: 'confirmId' },
    'ConfirmingImportTimeout',
  );
}

/** Takes the staged archive (one caller wins a race); put back for what is left of its time when its import is refused. */
async function takeStaged(ctx: AppContext, confirmId: string): Promise<{ data: ArchiveData; putBack: () => Promise<void> }> {
  const key = stageKey(confirmId);
  const text = await ctx.cache.command('get', [key]);
  const ttlMs = Number(await ctx.cache.command('pttl', [key]));
  if (typeof text !== 'string' || Number(await ctx.cache.command('del', [key])) !== 1) throw confirmTimeout(confirmId);
  pendingStages(ctx).delete(confirmId);
  let data: ArchiveData;
  try {
    data = JSON.parse(ctx.secrets.decrypt(text)) as ArchiveData;
  } catch {
    // Staged under another FUNC_SECRET (or not by Func): as good as gone.
    throw confirmTimeout(confirmId);
  }
  return {
    data,
    putBack: async () => {
      if (ttlMs > 1000 && (await ctx.cache.command('set', [key, text, Math.floor(ttlMs / 1000), true])) === true)
        pendingStages(ctx).set(confirmId, { size: text.length, written: true });
    },
  };
}

export const scriptSetArchiveHandlers: Pick<Handlers, 'exportScriptSets' | 'confirmImportScriptSets' | 'listScriptSetExportHistory' | 'listScriptSetImportHistory'> = {
  exportScriptSets: async ({ body }, { ctx, caller, reply }) => {
    const out = await exportArchive(ctx, body, exportUserOf(caller!.user));
    reply.type('application/zip').header('Content-Disposition', attachment(out.fileName)).header('Content-Length', out.zip.length);
    await reply.send(out.zip);
    return null;
  },
  confirmImportScriptSets: async ({ body }, call) => {
    const staged = await takeStaged(call.ctx, body.confirmId);
    try {
      return await new ArchiveImporter(ruleDeps(call.ctx), call.caller!).import(staged.data);
    } catch (err) {
      await staged.putBack();
      throw err;
    }
  },
  listScriptSetExportHistory: ({ query }, { ctx }) => ctx.store.scriptSetExportHistory.list({ id: query.id, note: query.note ?? query._fuzzySearch }, entityPage(query, 100)),
  listScriptSetImportHistory: ({ query }, { ctx }) => ctx.store.scriptSetImportHistory.list({ id: query.id, note: query.note ?? query._fuzzySearch }, entityPage(query, 100)),
};
