/** Generic admin CRUD handlers, one set per entity, applying the entity's rules (domain/entities). */
import type { ListQuery } from '../../../../contract/operations/crud.js';
import { LIST_FILTER_KINDS } from '../../../../contract/operations/entities.js';
import { OLD_FIELD_NAMES, withOldNames } from '../../../../contract/operations/old-names.js';
import { CronOverrideStore } from '../../domain/cron/cron-overrides.js';
import { ENTITY_RULES, type EntityRuleDeps, type EntityRules, type EntityTypes } from '../../domain/entities/index.js';
import type { EntityName, EntityRepo, EntityRows } from '../../domain/ports/store.js';
import type { AppContext } from '../app-context.js';
import { forgetCachedUser } from '../auth.js';
import { deletedRecently, rememberDeleted } from '../recent-deletes.js';
import type { HandlerCall } from '../handler.js';
import { noSuchRow, requireRow, withFuncFields } from './lookups.js';
import { bothKept, MAX_SELECTED, rowSelection } from './row-selection.js';
import { fuzzySearchKeep } from './fuzzy-search.js';

/** Rows per page of an entity list when the query names no pageSize (`docs/operations.md`). */
export const DEFAULT_ENTITY_PAGE_SIZE = 1000;

/** The rows a list's page holds: `pageSize` (bounded by the contract's list query; `defaultSize` when none) from the start of `pageNumber`. */
export function entityPage(query: Pick<ListQuery, 'pageSize' | 'pageNumber'>, defaultSize = DEFAULT_ENTITY_PAGE_SIZE): { limit: number; offset: number } {
  const limit = query.pageSize ?? defaultSize;
  return { limit, offset: ((query.pageNumber ?? 1) - 1) * limit };
}

/** The rules' view of this request's context. */
export function ruleDeps(ctx: AppContext): EntityRuleDeps {
  return {
    store: ctx.store,
    secrets: ctx.secrets,
    now: ctx.now,
    catalog: ctx.catalog,
    discoverer: ctx.discoverer,
    userRevoked: (userId) => forgetCachedUser(ctx, userId),
  };
}

/** The five handlers of one entity, typed by its contract operations (routes/index.ts checks them against the table). */
export interface CrudHandlers<T extends EntityTypes> {
  list: (input: { query: ListQuery }, call: HandlerCall) => Promise<T['view'][]>;
  get: (input: { params: { id: string } }, call: HandlerCall) => Promise<T['view']>;
  add: (input: { body: { data: T['add'] } }, call: HandlerCall) => Promise<T['added'] & { id: string }>;
  modify: (input: { params: { id: string }; body: { data: T['modify'] } }, call: HandlerCall) => Promise<{ id: string }>;
  delete: (input: { params: { id: string } }, call: HandlerCall) => Promise<{ id: string }>;
}

/** What list and get add to a page of views from outside the store (a cron job's dynamic expression and pause, from the func cache). */
export type ViewDecorator<T extends EntityTypes> = (views: T['view'][], ids: string[], ctx: AppContext) => Promise<T['view'][]>;

export function crudHandlers<N extends EntityName, T extends EntityTypes>(spec: EntityRules<N, T>, decorate?: ViewDecorator<T>): CrudHandlers<T> {
  const repo = (ctx: AppContext): EntityRepo<EntityRows[N]> => ctx.store.entity(spec.name);
  const oldNames: Readonly<Record<string, string>> = spec.name in OLD_FIELD_NAMES ? OLD_FIELD_NAMES[spec.name as keyof typeof OLD_FIELD_NAMES] : {};
  const view = (row: EntityRows[N], ctx: AppContext, caller: HandlerCall['caller']): T['view'] => withOldNames(oldNames, spec.toApi(row, ruleDeps(ctx), caller!));
  const views = async (rows: EntityRows[N][], ctx: AppContext, caller: HandlerCall['caller']): Promise<T['view'][]> => {
    const out = rows.map((r) => view(r, ctx, caller));
    return decorate
      ? decorate(
          out,
          rows.map((r) => r.id),
          ctx,
        )
      : out;
  };
  return {
    list: async ({ query }, { ctx, caller }) => {
      const selection = rowSelection<EntityRows[N]>(ctx, spec.name, query, LIST_FILTER_KINDS[spec.name]);
      const { where } = selection;
      const keep = bothKept(selection.keep, fuzzySearchKeep<EntityRows[N]>(ctx, spec.name, query._fuzzySearch));
      const page = entityPage(query);
      // Conditions the store cannot apply (tags, the function's fields): the page is cut after them.
      const rows = keep ? (await keep(await repo(ctx).list(where, { limit: MAX_SELECTED }))).slice(page.offset, page.offset + page.limit) : await repo(ctx).list(where, page);
      return views(rows, ctx, caller);
    },
    get: async ({ params }, { ctx, caller }) => (await views([await requireRow(ctx, spec.name, params.id)], ctx, caller))[0]!,
    add: async ({ body }, { ctx, caller }) => {
      const row = await spec.fromAdd(body.data, ruleDeps(ctx), caller!);
      await repo(ctx).insert(row);
      return { ...spec.addedView(row, ruleDeps(ctx)), id: row.id };
    },
    modify: async ({ params, body }, { ctx }) => {
      const existing = await requireRow(ctx, spec.name, params.id);
      const patch = await spec.fromModify(body.data, existing, ruleDeps(ctx));
      await repo(ctx).update(params.id, patch);
      return { id: params.id };
    },
    delete: async ({ params }, { ctx }) => {
      const gone = (): { id: string } => {
        // A repeated delete answers as the first did (server/recent-deletes.ts).
        if (deletedRecently(ctx, spec.name, params.id)) return { id: params.id };
        throw noSuchRow(spec.name, params.id);
      };
      const row = await repo(ctx).get(params.id);
      if (!row) return gone();
      if (spec.beforeDelete) await spec.beforeDelete(row, ruleDeps(ctx));
      if (!(await repo(ctx).delete(params.id))) return gone();
      rememberDeleted(ctx, spec.name, params.id);
      for (const cascade of (await spec.afterDelete?.(params.id, ruleDeps(ctx))) ?? []) for (const id of cascade.ids) rememberDeleted(ctx, cascade.name, id);
      return { id: params.id };
    },
  };
}

export const syncApiCrud = crudHandlers(ENTITY_RULES.syncApis, (views, _ids, ctx) => withFuncFields(views, ctx));
export const asyncApiCrud = crudHandlers(ENTITY_RULES.asyncApis, (views, _ids, ctx) => withFuncFields(views, ctx));
/** DataFlux Func's fields of what scripts set: dynamicCronExpr, dynamicCronExprExpireTime, isPaused, pauseExpireTime; and the function's. */
export const cronJobCrud = crudHandlers(ENTITY_RULES.cronJobs, async (views, ids, ctx) => {
  const fields = await new CronOverrideStore(ctx.cache, ctx.now).fieldsFor(ids);
  return withFuncFields(
    views.map((v, i) => ({ ...v, ...fields.get(ids[i]!) })),
    ctx,
  );
});
export const envVariableCrud = crudHandlers(ENTITY_RULES.envVariables);
export const userCrud = crudHandlers(ENTITY_RULES.users, (views) => Promise.resolve(views.map((v) => ({ ...v, sessions: [] }))));
export const accessKeyCrud = crudHandlers(ENTITY_RULES.accessKeys);
export const funcCrud = crudHandlers(ENTITY_RULES.funcs);
export const apiAuthCrud = crudHandlers(ENTITY_RULES.apiAuth);
export const scriptSetCrud = crudHandlers(ENTITY_RULES.scriptSets);
export const fileServiceCrud = crudHandlers(ENTITY_RULES.fileServices);
