/** Script-set export and import (`func-script-set/1` bundles); import can replace a set and publish its scripts. */
import { ApiError } from '../../../../contract/errors.js';
import { SCRIPT_SET_BUNDLE_FORMAT, type ScriptSetBundle } from '../../../../contract/operations/script-set-bundle.js';
import { md5Hex } from '../../domain/ids.js';
import type { AppContext } from '../app-context.js';
import type { Handlers } from '../handler.js';
import { requireRow, scriptService } from './lookups.js';

type BundleScript = ScriptSetBundle['scripts'][number];
interface PublishFailure {
  scriptId: string;
  line: number | null;
  message: string;
}

async function writeSet(ctx: AppContext, b: ScriptSetBundle, now: number): Promise<void> {
  const { id, title, description, requirements } = b.scriptSet;
  if (await ctx.store.entity('scriptSets').get(id)) await ctx.store.entity('scriptSets').update(id, { title, description, requirements, updateTime: now });
  else await ctx.store.entity('scriptSets').insert({ id, title, description, requirements, createTime: now, updateTime: now });
}

async function writeScript(ctx: AppContext, setId: string, s: BundleScript, now: number): Promise<void> {
  const repo = ctx.store.entity('scripts');
  const codeDraftMD5 = md5Hex(s.codeDraft);
  if (await repo.get(s.id)) {
    await ctx.store.scripts.saveDraft(s.id, s.codeDraft, codeDraftMD5, undefined, now);
    await repo.update(s.id, { title: s.title, description: s.description, updateTime: now });
  } else {
    await repo.insert({
      id: s.id,
      scriptSetId: setId,
      title: s.title,
      description: s.description,
      code: null,
      codeMD5: null,
      codeDraft: s.codeDraft,
      codeDraftMD5,
      publishVersion: 0,
      createTime: now,
      updateTime: now,
    });
  }
  scriptService(ctx).changed(s.id);
}

/** Publishes the bundle's published code (its draft when it has none); the stored draft stays the bundle's draft. */
async function publishOne(ctx: AppContext, s: BundleScript, note: string): Promise<PublishFailure | null> {
  const row = await requireRow(ctx, 'scripts', s.id);
  const source = s.code ?? s.codeDraft;
  try {
    await scriptService(ctx).publish({ ...row, codeDraft: source, codeDraftMD5: md5Hex(source) }, note, ctx.now());
    return null;
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 'EScriptPublishFailed') throw err;
    const line = typeof err.detail.line === 'number' ? err.detail.line : null;
    return { scriptId: s.id, line, message: err.message };
  }
}

function publishFailed(setId: string, imported: string[], published: string[], failures: PublishFailure[]): ApiError {
  const first = failures[0]!;
  const list = (ids: string[]): string => (ids.length > 0 ? ids.join(', ') : 'none');
  const message =
    `${first.scriptId}: ${first.message}. Imported script set ${setId} with ${imported.length} script(s) (${list(imported)}); ` +
    `published: ${list(published)}; not published: ${list(failures.map((f) => f.scriptId))}`;
  return new ApiError('EScriptPublishFailed', message, { scriptId: first.scriptId, line: first.line, failures, imported, published });
}

export const scriptSetBundleHandlers: Pick<Handlers, 'exportScriptSet' | 'importScriptSet'> = {
  exportScriptSet: async ({ params }, { ctx }) => {
    const set = await requireRow(ctx, 'scriptSets', params.id);
    const scripts = (await ctx.store.entity('scripts').list({ scriptSetId: set.id })).sort((a, b) => a.id.localeCompare(b.id));
    return {
      format: SCRIPT_SET_BUNDLE_FORMAT,
      exportedAt: new Date(ctx.now()).toISOString(),
      scriptSet: { id: set.id, title: set.title, description: set.description, requirements: set.requirements },
      scripts: scripts.map((s) => ({ id: s.id, title: s.title, description: s.description, code: s.code, codeDraft: s.codeDraft })),
    };
  },
  importScriptSet: async ({ body }, { ctx }) => {
    const bundle = body.data;
    const setId = bundle.scriptSet.id;
    const { overwrite = false, publish = false } = body.options ?? {};
    if (!overwrite && (await ctx.store.entity('scriptSets').get(setId))) {
      throw new ApiError('EClientDuplicated', `Script set "${setId}" exists already; import with overwrite to replace it`, { field: 'data.scriptSet.id', id: setId });
    }
    const now = ctx.now();
    await writeSet(ctx, bundle, now);
    const deleted = await scriptService(ctx).deleteScriptsOf(setId, new Set(bundle.scripts.map((s) => s.id)));
    for (const s of bundle.scripts) await writeScript(ctx, setId, s, now);
    const imported = bundle.scripts.map((s) => s.id);
    const published: string[] = [];
    const failures: PublishFailure[] = [];
    if (publish) {
      const note = `Imported (${SCRIPT_SET_BUNDLE_FORMAT} exported ${bundle.exportedAt})`;
      for (const s of bundle.scripts) {
        const failure = await publishOne(ctx, s, note);
        if (failure) failures.push(failure);
        else published.push(s.id);
      }
    }
    if (failures.length > 0) throw publishFailed(setId, imported, published, failures);
    return { id: setId, scripts: imported, published, deleted };
  },
};
