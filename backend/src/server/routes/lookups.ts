/** Loading what a route needs, or answering a clear 4xx. */
import { ApiError } from '../../../../contract/errors.js';
import type { EntityName, EntityRows, FuncRow } from '../../domain/ports/store.js';
import { ScriptService } from '../../domain/scripts/script-service.js';
import type { AppContext } from '../app-context.js';
import { entityLabel } from '../entity-labels.js';

export async function requireFunc(ctx: AppContext, funcId: string, field = 'funcId'): Promise<FuncRow> {
  const func = await ctx.catalog.func(funcId);
  if (!func) throw new ApiError('EClientNotFound', `No such Func: ${funcId}`, { field, funcId });
  return func;
}

/** The 404 of every entity route (get, modify, delete) given an id there is no row for. */
export function noSuchRow(name: EntityName, id: string): ApiError {
  return new ApiError('EClientNotFound', `No such ${entityLabel(name)}: ${id}`, { field: 'id', id });
}

export async function requireRow<N extends EntityName>(ctx: AppContext, name: N, id: string): Promise<EntityRows[N]> {
  const row = await ctx.store.entity(name).get(id);
  if (!row) throw noSuchRow(name, id);
  return row;
}

/** The script rules (publish, delete, cascade) on this request's context. */
export function scriptService(ctx: AppContext): ScriptService {
  return new ScriptService(ctx);
}

/** DataFlux Func's names of the function's fields it joins into lists, and the field of each. */
const JOINED_FUNC_FIELDS = {
  func_id: 'id',
  func_name: 'name',
  func_title: 'title',
  func_description: 'description',
  func_definition: 'definition',
  func_argsJSON: 'argsJSON',
  func_kwargsJSON: 'kwargsJSON',
  func_extraConfigJSON: 'extraConfigJSON',
  func_category: 'category',
  func_tagsJSON: 'tagsJSON',
  scpt_id: 'scriptId',
  sset_id: 'scriptSetId',
} as const satisfies Record<string, keyof FuncRow>;

/** The function each row calls, as DataFlux Func joins it into its lists (`func_*`, `scpt_id`, `sset_id`; nulls when it is gone). */
export async function withFuncFields<V extends { funcId: string }>(views: V[], ctx: AppContext): Promise<V[]> {
  const funcs = new Map<string, FuncRow | undefined>();
  for (const funcId of new Set(views.map((v) => v.funcId))) funcs.set(funcId, await ctx.catalog.func(funcId));
  return views.map((v) => {
    const f = funcs.get(v.funcId);
    return { ...v, ...Object.fromEntries(Object.entries(JOINED_FUNC_FIELDS).map(([name, field]) => [name, f?.[field] ?? null])) };
  });
}
