/** Script-set export and import: the rules are the domain's (domain/scripts/script-set-bundle.ts; an archive's: routes/script-set-archive.ts). */
import { ScriptSetBundles } from '../../domain/scripts/script-set-bundle.js';
import { badField } from '../../../../contract/errors.js';
import type { Handlers } from '../handler.js';
import { importArchive } from './script-set-archive.js';
import { requireRow } from './lookups.js';

export const scriptSetBundleHandlers: Pick<Handlers, 'exportScriptSet' | 'importScriptSet'> = {
  exportScriptSet: async ({ params }, { ctx }) => {
    const bundle = await new ScriptSetBundles(ctx).export(params.id);
    if (bundle) return bundle;
    // No such set: the same 404 as every entity route.
    await requireRow(ctx, 'scriptSets', params.id);
    throw new Error(`script set ${params.id} appeared during export`);
  },
  importScriptSet: ({ body }, call) => {
    // multipart/form-data: DataFlux Func's .zip archive (script-set-archive.ts); JSON: Func's own bundle.
    if (body.files !== undefined) return importArchive(body, call);
    if (body.data === undefined) throw badField('body.data', 'is required (a JSON bundle), or send a .zip archive as multipart/form-data in files');
    return new ScriptSetBundles(call.ctx).import(body.data, body.options);
  },
};
