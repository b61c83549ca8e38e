/** Loading what a route needs, or answering a clear 4xx. */
import { ApiError } from '../../../../contract/errors.js';
import type { EntityName, EntityRows, FuncRow } from '../../domain/ports/store.js';
import { ScriptService } from '../../domain/scripts/script-service.js';
import type { AppContext } from '../app-context.js';

const NAMES: Record<EntityName, string> = {
  scriptSets: 'Script set',
  scripts: 'Script',
  funcs: 'Func',
  syncApis: 'Sync API',
  asyncApis: 'Async API',
  cronJobs: 'Cron job',
  envVariables: 'Env variable',
  users: 'User',
  accessKeys: 'Access key',
  apiAuth: 'API auth',
  fileServices: 'File service',
  connectors: 'Connector',
};

export function entityLabel(name: EntityName): string {
  return NAMES[name];
}

export async function requireFunc(ctx: AppContext, funcId: string, field = 'funcId'): Promise<FuncRow> {
  const func = await ctx.catalog.func(funcId);
  if (!func) throw new ApiError('EClientNotFound', `No such Func: ${funcId}`, { field, funcId });
  return func;
}

export async function requireRow<N extends EntityName>(ctx: AppContext, name: N, id: string): Promise<EntityRows[N]> {
  const row = await ctx.store.entity(name).get(id);
  if (!row) throw new ApiError('EClientNotFound', `No such ${NAMES[name]}: ${id}`, { field: 'id', id });
  return row;
}

/** The script rules (publish, delete, cascade) on this request's context. */
export function scriptService(ctx: AppContext): ScriptService {
  return new ScriptService(ctx);
}

/** The function each row calls, as DataFlux Func joins it into its lists (`func_*`, `scpt_id`, `sset_id`; nulls when it is gone). */
export async function withFuncFields<V extends { funcId: string }>(views: V[], ctx: AppContext): Promise<V[]> {
  const funcs = new Map<string, FuncRow | undefined>();
  for (const funcId of new Set(views.map((v) => v.funcId))) funcs.set(funcId, await ctx.catalog.func(funcId));
  return views.map((v) => {
    const f = funcs.get(v.funcId);
    return {
      ...v,
      func_id: f?.id ?? null,
      func_name: f?.name ?? null,
      func_title: f?.title ?? null,
      func_description: f?.description ?? null,
      func_definition: f?.definition ?? null,
      func_argsJSON: f?.argsJSON ?? null,
      func_kwargsJSON: f?.kwargsJSON ?? null,
      func_extraConfigJSON: f?.extraConfigJSON ?? null,
      func_category: f?.category ?? null,
      func_tagsJSON: f?.tagsJSON ?? null,
      scpt_id: f?.scriptId ?? null,
      sset_id: f?.scriptSetId ?? null,
    };
  });
}
