/**
 * DataFlux Func's documentation lists: `func-list` (the published functions not hidden, in its
 * "func doc" shape) and `func-api-list` / `auth-link-func-list` (the APIs shown in the docs, with
 * their functions). Filters as its route.yaml gives them: comma = one of, tags = has all, `like`
 * and `_fuzzySearch` (id, title or description) contain the text whatever its case.
 */
import type { z } from 'zod';
import type { funcApiEntry, funcDocEntry } from '../../../../contract/operations/func-catalog.js';
import type { AsyncApiRow, FuncRow, SyncApiRow } from '../../domain/ports/store.js';
import type { AppContext } from '../app-context.js';
import type { Caller } from '../auth.js';
import { funcIntegration } from '../../domain/scripts/publish-script.js';
import { ENTITY_RULES } from '../../domain/entities/index.js';
import { ruleDeps } from './entities.js';
import { commaValues, hasAll, MAX_SELECTED, oneOf } from './row-selection.js';
import { likeMatch } from './fuzzy-search.js';

/** DataFlux Func's `_fuzzySearch` on the function lists: id, title or description holds the text, whatever its case. */
const fuzzyMatch = (f: FuncRow | undefined, text: string | undefined): boolean =>
  text === undefined || text === '' || (f !== undefined && [f.id, f.title, f.description].some((v) => likeMatch(v, text)));

async function allFuncs(ctx: AppContext): Promise<FuncRow[]> {
  return ctx.store.entity('funcs').list(undefined, { limit: MAX_SELECTED });
}

export interface FuncListQuery {
  id?: string | undefined;
  name?: string | undefined;
  title?: string | undefined;
  category?: string | undefined;
  integration?: string | undefined;
  tags?: string | undefined;
  scriptId?: string | undefined;
  scriptSetId?: string | undefined;
  _fuzzySearch?: string | undefined;
}

/** `func-list`: the published functions a doc lists (`is_hidden` ones left out), each with its URL and its script's and script set's titles. */
export async function funcDocList(ctx: AppContext, query: FuncListQuery, caller: Caller): Promise<z.output<typeof funcDocEntry>[]> {
  const want = {
    id: commaValues(query.id),
    category: commaValues(query.category),
    integration: commaValues(query.integration),
    tags: commaValues(query.tags),
    scriptId: commaValues(query.scriptId),
    scriptSetId: commaValues(query.scriptSetId),
  };
  const funcs = (await allFuncs(ctx)).filter(
    (f) =>
      f.extraConfigJSON.isHidden !== true &&
      oneOf(f.id, want.id) &&
      oneOf(f.category, want.category) &&
      oneOf(funcIntegration(f), want.integration) &&
      oneOf(f.scriptId, want.scriptId) &&
      oneOf(f.scriptSetId, want.scriptSetId) &&
      hasAll(f.tagsJSON, want.tags) &&
      likeMatch(f.name, query.name) &&
      likeMatch(f.title, query.title) &&
      fuzzyMatch(f, query._fuzzySearch),
  );
  const scriptIds = [...new Set(funcs.map((f) => f.scriptId))];
  const setIds = [...new Set(funcs.map((f) => f.scriptSetId))];
  const scripts = new Map(scriptIds.length === 0 ? [] : (await ctx.store.entity('scripts').list({ id: scriptIds })).map((s) => [s.id, s]));
  const sets = new Map(setIds.length === 0 ? [] : (await ctx.store.entity('scriptSets').list({ id: setIds })).map((s) => [s.id, s]));
  return funcs.map((f) => ({
    ...ENTITY_RULES.funcs.toApi(f, ruleDeps(ctx), caller),
    // DataFlux Func's doc fields beside the function's own.
    url: `/api/v1/func/${f.id}`,
    scriptTitle: scripts.get(f.scriptId)?.title ?? null,
    scriptDescription: scripts.get(f.scriptId)?.description ?? null,
    scriptSetTitle: sets.get(f.scriptSetId)?.title ?? null,
    scriptSetDescription: sets.get(f.scriptSetId)?.description ?? null,
  }));
}

export interface ApiListQuery {
  funcId?: string | undefined;
  funcName?: string | undefined;
  funcCategory?: string | undefined;
  funcTags?: string | undefined;
  scriptId?: string | undefined;
  scriptSetId?: string | undefined;
  _fuzzySearch?: string | undefined;
}

/** `{prefix}{Key}` of `row`'s `keys` (null each when there is no row), e.g. func.name as funcName. */
function prefixed<P extends string, T extends object, K extends keyof T & string>(
  prefix: P,
  row: T | undefined,
  keys: readonly K[],
): { [Q in K as `${P}${Capitalize<Q>}`]: T[Q] | null } {
  return Object.fromEntries(keys.map((k) => [`${prefix}${k[0]!.toUpperCase()}${k.slice(1)}`, row?.[k] ?? null])) as { [Q in K as `${P}${Capitalize<Q>}`]: T[Q] | null };
}

/** `func-api-list`: the sync and/or async APIs shown in the docs, with their functions and API auth. */
export async function apiDocList(ctx: AppContext, apiType: 'syncAPI' | 'asyncAPI' | 'ALL', q: ApiListQuery): Promise<z.output<typeof funcApiEntry>[]> {
  const auths = new Map((await ctx.store.entity('apiAuth').list(undefined, { limit: MAX_SELECTED })).map((a) => [a.id, a]));
  const wanted = {
    funcId: commaValues(q.funcId),
    funcName: commaValues(q.funcName),
    funcCategory: commaValues(q.funcCategory),
    funcTags: commaValues(q.funcTags),
    scriptId: commaValues(q.scriptId),
    scriptSetId: commaValues(q.scriptSetId),
  };
  const kinds: ['syncAPI' | 'asyncAPI', SyncApiRow[] | AsyncApiRow[]][] = [];
  if (apiType !== 'asyncAPI') kinds.push(['syncAPI', await ctx.store.entity('syncApis').list({ showInDoc: true }, { limit: MAX_SELECTED })]);
  if (apiType !== 'syncAPI') kinds.push(['asyncAPI', await ctx.store.entity('asyncApis').list({ showInDoc: true }, { limit: MAX_SELECTED })]);
  const out: z.output<typeof funcApiEntry>[] = [];
  for (const [kind, rows] of kinds) {
    for (const api of rows) {
      const func = await ctx.catalog.func(api.funcId);
      if (!oneOf(func?.id, wanted.funcId) || !oneOf(func?.name, wanted.funcName) || !oneOf(func?.category, wanted.funcCategory)) continue;
      if (!oneOf(func?.scriptId, wanted.scriptId) || !oneOf(func?.scriptSetId, wanted.scriptSetId) || (wanted.funcTags && !hasAll(func?.tagsJSON, wanted.funcTags))) continue;
      if (!fuzzyMatch(func, q._fuzzySearch)) continue;
      const auth = api.apiAuthId ? auths.get(api.apiAuthId) : undefined;
      out.push({
        url: `/api/v1/${kind === 'syncAPI' ? 'sync' : 'async'}/${api.id}`,
        apiType: kind,
        id: api.id,
        funcCallKwargsJSON: api.funcCallKwargsJSON,
        expireTime: api.expireTime,
        // Async APIs are not throttled.
        throttlingJSON: kind === 'syncAPI' ? api.throttlingJSON : null,
        isDisabled: api.isDisabled,
        configFuncId: api.funcId,
        ...prefixed('func', func, ['id', 'name', 'title', 'description', 'definition', 'argsJSON', 'kwargsJSON', 'category']),
        funcIntegration: func ? funcIntegration(func) : null,
        ...prefixed('func', func, ['tagsJSON']),
        ...prefixed('apiAuth', auth, ['id', 'title', 'type']),
      });
    }
  }
  return out;
}
