/** Scripts: CRUD with draft conflict detection, publish, discovery of a draft's functions, publish history. */
import { ApiError, badField } from '../../../../contract/errors.js';
import { MAX_CODE_CHARS, type EntityAddData, type EntityModifyData, type EntityOperations, type EntityView } from '../../../../contract/operations/entities.js';
import { md5Hex } from '../../domain/ids.js';
import type { ScriptRow } from '../../domain/ports/store.js';
import { discoverDraft } from '../../domain/scripts/discover-draft.js';
import type { Handler, Handlers } from '../handler.js';
import { entityPage } from './entities.js';
import { noSuchRow, requireRow, scriptService } from './lookups.js';
import { MAX_SELECTED, queryFlag } from './row-selection.js';
import { fuzzySearchKeep, recordSearch } from './fuzzy-search.js';
import { deletedRecently, rememberDeleted } from '../recent-deletes.js';

export const EXAMPLE_CODE = `import time

@DFF.API('Hello')
def hello(name='world'):
    '''Says hello.'''
    return f'Hello, {name}!'
`;

function draftOf(data: EntityAddData<'scripts'> | EntityModifyData<'scripts'>): string | undefined {
  if (data.codeDraft !== undefined) return data.codeDraft;
  if (data.codeDraftBase64 !== undefined) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(data.codeDraftBase64, 'base64'));
    } catch {
      throw badField('codeDraftBase64', 'decodes to bytes that are not UTF-8 text');
    }
    if (text.length > MAX_CODE_CHARS) throw badField('codeDraftBase64', `decodes to ${text.length} characters, more than codeDraft's ${MAX_CODE_CHARS}`);
    return text;
  }
  return undefined;
}

function view(row: ScriptRow, withCode: boolean, withDraft: boolean): EntityView<'scripts'> {
  const { code, codeDraft, ...rest } = row;
  return { ...rest, type: 'python', ...(withCode ? { code } : {}), ...(withDraft ? { codeDraft } : {}) };
}

type ScriptOperations = EntityOperations['scripts'];
export const scriptCrud: { [K in keyof ScriptOperations]: Handler<ScriptOperations[K]> } = {
  list: async ({ query }, { ctx }) => {
    const filter: Record<string, unknown> = {};
    if (typeof query.id === 'string' && query.id) filter.id = query.id.split(',');
    if (typeof query.scriptSetId === 'string' && query.scriptSetId) filter.scriptSetId = query.scriptSetId.split(',');
    // Paged as every entity list is (its pageInfo says which page this is).
    const fuzzy = fuzzySearchKeep<ScriptRow>(ctx, 'scripts', query._fuzzySearch);
    const page = entityPage(query);
    const rows = fuzzy
      ? (await fuzzy(await ctx.store.entity('scripts').list(filter, { limit: MAX_SELECTED }))).slice(page.offset, page.offset + page.limit)
      : await ctx.store.entity('scripts').list(filter, page);
    return rows.map((r) => view(r, queryFlag(query._withCode), queryFlag(query._withCodeDraft)));
  },
  get: async ({ params }, { ctx }) => view(await requireRow(ctx, 'scripts', params.id), true, true),
  add: async ({ body }, { ctx }) => {
    const d = body.data;
    const id = d.id;
    const scriptSetId = id.split('__')[0]!;
    if (!(await ctx.store.entity('scriptSets').get(scriptSetId))) throw badField('id', `script set ${scriptSetId} does not exist`);
    const codeDraft = draftOf(d) ?? EXAMPLE_CODE;
    const now = ctx.now();
    await ctx.store.entity('scripts').insert({
      id,
      scriptSetId,
      title: d.title ?? null,
      description: d.description ?? null,
      code: null,
      codeMD5: null,
      codeDraft,
      codeDraftMD5: md5Hex(codeDraft),
      publishVersion: 0,
      createTime: now,
      updateTime: now,
    });
    // A delete of the set that ran meanwhile removes the set's row first, then the scripts it
    // lists: one listed before this insert missed it. Checked again so no script outlives its set.
    if (!(await ctx.store.entity('scriptSets').get(scriptSetId))) {
      await scriptService(ctx).deleteScript(id);
      throw badField('id', `script set ${scriptSetId} does not exist (deleted meanwhile)`);
    }
    return { id };
  },
  modify: async ({ params, body }, { ctx }) => {
    const existing = await requireRow(ctx, 'scripts', params.id);
    const d = body.data;
    // DataFlux Func clients send it beside `data` or inside it (both pass through the loose body).
    const prev = body.prevCodeDraftMD5 ?? d.prevCodeDraftMD5;
    if (prev !== undefined && prev !== null && typeof prev !== 'string') throw badField('prevCodeDraftMD5', 'must be a string');
    const codeDraft = draftOf(d);
    const now = ctx.now();
    let codeDraftMD5: string | null = null;
    if (codeDraft !== undefined) {
      codeDraftMD5 = md5Hex(codeDraft);
      const saved = await ctx.store.scripts.saveDraft(params.id, codeDraft, codeDraftMD5, prev ?? undefined, now);
      if (!saved) {
        const current = await requireRow(ctx, 'scripts', params.id);
        throw new ApiError('EBizRequestConflict', 'The draft was changed by someone else since you loaded it (prevCodeDraftMD5 does not match)', {
          field: 'prevCodeDraftMD5',
          codeDraftMD5: current.codeDraftMD5,
          codeDraft: current.codeDraft,
        });
      }
    }
    const meta: Partial<ScriptRow> = {};
    if (d.title !== undefined) meta.title = d.title;
    if (d.description !== undefined) meta.description = d.description;
    if (Object.keys(meta).length > 0) await ctx.store.entity('scripts').update(existing.id, { ...meta, updateTime: now });
    return { id: params.id, codeDraftMD5 };
  },
  delete: async ({ params }, { ctx }) => {
    if (await scriptService(ctx).deleteScript(params.id)) rememberDeleted(ctx, 'scripts', params.id);
    // A repeated delete answers as the first did (server/recent-deletes.ts).
    else if (!deletedRecently(ctx, 'scripts', params.id)) throw noSuchRow('scripts', params.id);
    return { id: params.id };
  },
};

export const publishHandlers: Pick<Handlers, 'publishScript' | 'discoverScriptDraft' | 'listPublishHistory' | 'listScriptPublishHistory'> = {
  publishScript: async ({ params, body }, { ctx }) => {
    const script = await requireRow(ctx, 'scripts', params.id);
    const note = body?.data?.note ?? null;
    return scriptService(ctx).publish(script, note, ctx.now());
  },
  discoverScriptDraft: async ({ params }, { ctx }) => discoverDraft(ctx.discoverer, await requireRow(ctx, 'scripts', params.id)),
  listPublishHistory: async ({ query }, { ctx }) => {
    await requireRow(ctx, 'scripts', query.scriptId);
    return (await ctx.store.scripts.history(query.scriptId)).map((h) => ({ ...h }));
  },
  listScriptPublishHistory: async ({ query }, { ctx }) => {
    const limit = query.pageSize ?? 100;
    const withCode = query._withScriptCode_cache === true;
    const rows = await ctx.store.scripts.listHistory(
      { scriptId: query.scriptId, publishVersion: query.scriptPublishVersion, anyContains: recordSearch('scriptPublishHistory', query._fuzzySearch) },
      { limit, offset: ((query.pageNumber ?? 1) - 1) * limit },
      withCode,
    );
    return rows.map((h) => ({
      id: `${h.scriptId}@${h.publishVersion}`,
      scriptId: h.scriptId,
      scriptSetId: h.scriptId.split('__')[0] ?? h.scriptId,
      scriptPublishVersion: h.publishVersion,
      scriptCodeMD5: h.codeMD5,
      note: h.note,
      createTime: h.createTime,
      ...(withCode ? { scriptCode_cache: h.code } : {}),
    }));
  },
};
