/** Script-set export and import: the rules are the domain's (domain/scripts/script-set-bundle.ts). */
import { ScriptSetBundles } from '../../domain/scripts/script-set-bundle.js';
import type { Handlers } from '../handler.js';
import { requireRow } from './lookups.js';

export const scriptSetBundleHandlers: Pick<Handlers, 'exportScriptSet' | 'importScriptSet'> = {
  exportScriptSet: async ({ params }, { ctx }) => {
    const bundle = await new ScriptSetBundles(ctx).export(params.id);
    if (bundle) return bundle;
    // No such set: the same 404 as every entity route.
    await requireRow(ctx, 'scriptSets', params.id);
    throw new Error(`script set ${params.id} appeared during export`);
  },
  importScriptSet: ({ body }, { ctx }) => new ScriptSetBundles(ctx).import(body.data, body.options),
};
