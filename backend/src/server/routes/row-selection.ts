/**
 * DataFlux Func's list filters (`contract/operations/entities.ts` LIST_FILTER_KINDS) on an entity's
 * rows: what a column holds goes to the store as conditions; tags and the row's function (its
 * script set, script and tags) are checked on the rows the store answers. Lists and the
 * many-at-once writes select rows the same way.
 */
import type { ListFilterKind } from '../../../../contract/operations/entities.js';
import { splitFuncId } from '../../domain/ids.js';
import type { EntityName, RowFilter } from '../../domain/ports/store.js';
import type { AppContext } from '../app-context.js';

/** Most rows a selection checks one by one (tags, the function's fields): a list or a many-at-once write filtered so looks at the first 100,000 rows the store's conditions leave. */
export const MAX_SELECTED = 100_000;

/** DataFlux's names for Func's columns. */
const COLUMN_OF: Partial<Record<EntityName, Readonly<Record<string, string>>>> = {
  accessKeys: { title: 'name' },
  apiAuth: { name: 'title' },
};

/** A query's comma-separated values, empty ones left out (`a,,b` is a and b); none given, none. */
export function commaValues(v: string): string[];
export function commaValues(v: string | undefined): string[] | undefined;
export function commaValues(v: string | undefined): string[] | undefined {
  return v === undefined ? undefined : v.split(',').filter((x) => x !== '');
}
/** A query's flag as DataFlux Func reads one (`true` or `1`; anything else, or none, is false): a list's flag filter, `_withCanvas`, `_withCode`. */
export const queryFlag = (v: unknown): boolean => v === 'true' || v === '1';
/** The row's tags hold every one wanted; a condition that names no tag (`?tags=,`) matches nothing, so it never widens a delete-many to every row. */
export const hasAll = (have: readonly string[] | null | undefined, wanted: readonly string[] | undefined): boolean =>
  !wanted || (wanted.length > 0 && wanted.every((t) => (have ?? []).includes(t)));
export const oneOf = (v: string | null | undefined, wanted: readonly string[] | undefined): boolean => !wanted || (v != null && wanted.includes(v));

/** A row's `extraConfigJSON[name]` when it is text. */
const configText = (config: Record<string, unknown> | null | undefined, name: string): string | undefined => {
  const v = config && Object.hasOwn(config, name) ? config[name] : undefined;
  return typeof v === 'string' ? v : undefined;
};

export interface RowSelection<R> {
  /** The conditions the store applies. */
  where: RowFilter<R>;
  /** The rows of those that the other conditions keep; null when there are none (the store can page). */
  keep: ((rows: R[]) => Promise<R[]>) | null;
}

type Keep<R> = (rows: R[]) => Promise<R[]>;

/** The rows both keep (either may be null: no condition). */
export function bothKept<R>(a: Keep<R> | null, b: Keep<R> | null): Keep<R> | null {
  if (!a || !b) return a ?? b;
  return async (rows) => b(await a(rows));
}

/** The selection `query` makes on `entity`'s rows by its filter kinds; fields not in `kinds` are ignored. */
export function rowSelection<R>(ctx: AppContext, entity: EntityName, query: Readonly<Record<string, unknown>>, kinds: Readonly<Record<string, ListFilterKind>>): RowSelection<R> {
  const where: Record<string, unknown> = {};
  let tags: string[] | undefined;
  let setIds: string[] | undefined;
  let scriptIds: string[] | undefined;
  let funcTags: string[] | undefined;
  const extraConfig: [string, string[]][] = [];
  for (const [field, kind] of Object.entries(kinds)) {
    const v = query[field];
    if (typeof v !== 'string') continue;
    const column = COLUMN_OF[entity]?.[field] ?? field;
    if (kind === 'oneOf') where[column] = v.includes(',') ? v.split(',') : v;
    else if (kind === 'flag') where[column] = queryFlag(v);
    else if (kind === 'contains') where[column] = { contains: v };
    else if (kind === 'hasAllTags') tags = commaValues(v);
    else if (kind === 'funcScriptSet') setIds = commaValues(v);
    else if (kind === 'funcScript') scriptIds = commaValues(v);
    else if (kind === 'extraConfigOneOf') extraConfig.push([field, commaValues(v)]);
    else funcTags = commaValues(v);
  }
  const keep =
    tags || setIds || scriptIds || funcTags || extraConfig.length > 0
      ? async (rows: R[]): Promise<R[]> => {
          const kept: R[] = [];
          for (const row of rows) {
            const r = row as { tagsJSON?: string[] | null; funcId?: string; extraConfigJSON?: Record<string, unknown> | null };
            if (!hasAll(r.tagsJSON, tags)) continue;
            if (extraConfig.some(([name, wanted]) => !oneOf(configText(r.extraConfigJSON, name), wanted))) continue;
            if (setIds || scriptIds || funcTags) {
              if (r.funcId === undefined) continue;
              const parts = splitFuncId(r.funcId);
              if (!oneOf(parts?.scriptSetId, setIds) || !oneOf(parts?.scriptId, scriptIds)) continue;
              if (funcTags && !hasAll((await ctx.catalog.func(r.funcId))?.tagsJSON, funcTags)) continue;
            }
            kept.push(row);
          }
          return kept;
        }
      : null;
  // Built from the query's fields checked against the entity's kinds: TypeScript cannot tie those strings to the row's columns.
  return { where: where as RowFilter<R>, keep };
}
