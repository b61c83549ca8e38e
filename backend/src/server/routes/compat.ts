/**
 * DataFlux Func's routes beside the core CRUD: many-at-once writes of sync/async APIs and cron jobs,
 * a cron job's recent triggers, the function catalog (the docs lists: func-docs.ts), the overview, func-many.
 * Each applies the same entity rules as the one-at-a-time routes (it calls their handlers).
 */
import { ApiError } from '../../../../contract/errors.js';
import type { BulkFilter } from '../../../../contract/operations/bulk.js';
import { LIST_FILTER_KINDS } from '../../../../contract/operations/entities.js';
import { RECENT_TRIGGERED_LIMIT } from '../../../../contract/operations/func-catalog.js';
import { nextFireTimes } from '../../domain/cron/cron-expr.js';
import { CronOverrideStore } from '../../domain/cron/cron-overrides.js';
import { dynamicAt, effectiveCronExpr } from '../../domain/cron/cron-schedule.js';
import { ENTITY_RULES, type EntityTypes } from '../../domain/entities/index.js';
import { DuplicateIdError } from '../../domain/ports/store.js';
import { buildTask, checkKwargs } from '../../domain/tasks/build-task.js';
import { topologyStatus } from '../../domain/topology/topology-status.js';
import type { AppContext } from '../app-context.js';
import { globMatcher } from '../../domain/glob.js';
import type { HandlerCall, Handlers } from '../handler.js';
import { asyncApiCrud, cronJobCrud, ruleDeps, syncApiCrud, type CrudHandlers } from './entities.js';
import { requireFunc, requireRow } from './lookups.js';
import { apiDocList, funcDocList } from './func-docs.js';
import { commaValues, MAX_SELECTED, oneOf, rowSelection } from './row-selection.js';

type BulkEntity = 'syncApis' | 'asyncApis' | 'cronJobs';
interface BulkRow {
  id: string;
  funcId: string;
  tagsJSON: string[] | null;
  funcCallKwargsJSON: Record<string, unknown>;
}

/** The rows of `name` the query's conditions select (each condition narrows; the contract refuses a query with none). */
async function selectRows(ctx: AppContext, name: BulkEntity, query: BulkFilter): Promise<BulkRow[]> {
  const { where, keep } = rowSelection<BulkRow>(ctx, name, query, LIST_FILTER_KINDS[name]);
  const rows: BulkRow[] = await ctx.store.entity(name).list(where, { limit: MAX_SELECTED });
  return keep ? keep(rows) : rows;
}

/** An error of item `i` of a many-at-once body, its field named within the body, once (`data.0.x: problem`). */
function itemError(e: unknown, i: number): unknown {
  if (e instanceof DuplicateIdError) return new ApiError('EClientDuplicated', `data.${i}.id: ${e.id} exists already`, { field: `data.${i}.id`, id: e.id, index: i });
  if (!(e instanceof ApiError)) return e;
  const named = typeof e.detail.field === 'string' ? e.detail.field : undefined;
  const field = named?.replace(/^(body\.)?(data\.)?/, '');
  const at = `data.${i}${field ? `.${field}` : ''}`;
  // A message naming its field first (badField's `field: problem`) says the problem after it.
  const problem = named !== undefined && e.message.startsWith(`${named}: `) ? e.message.slice(named.length + 2) : e.message;
  return new ApiError(e.code, `${at}: ${problem}`, { ...e.detail, field: at, index: i });
}

function bulkHandlers<T extends EntityTypes>(name: BulkEntity, crud: CrudHandlers<T>) {
  return {
    addMany: async ({ body }: { body: { data: T['add'][] } }, call: HandlerCall): Promise<{ ids: string[] }> => {
      const added: string[] = [];
      for (const [i, data] of body.data.entries()) {
        try {
          added.push((await crud.add({ body: { data } }, call)).id);
        } catch (e) {
          // All or none: what this call added so far goes again.
          for (const id of added) await crud.delete({ params: { id } }, call).catch(() => undefined);
          throw itemError(e, i);
        }
      }
      return { ids: added };
    },
    modifyMany: async ({ query, body }: { query: BulkFilter; body: { data: T['modify'] } }, call: HandlerCall): Promise<{ ids: string[] }> => {
      const rows = await selectRows(call.ctx, name, query);
      const data = body.data as Record<string, unknown>;
      for (const row of rows) {
        // funcCallKwargsJSON is merged argument by argument, as DataFlux Func does here.
        const kwargs = data.funcCallKwargsJSON;
        const merged = kwargs && typeof kwargs === 'object' ? { ...data, funcCallKwargsJSON: { ...row.funcCallKwargsJSON, ...kwargs } } : data;
        await crud.modify({ params: { id: row.id }, body: { data: merged } }, call);
      }
      return { ids: rows.map((r) => r.id) };
    },
    deleteMany: async ({ query }: { query: BulkFilter }, call: HandlerCall): Promise<{ ids: string[]; id: string[] }> => {
      const rows = await selectRows(call.ctx, name, query);
      for (const row of rows) await crud.delete({ params: { id: row.id } }, call);
      const ids = rows.map((r) => r.id);
      return { ids, id: ids };
    },
  };
}

const syncBulk = bulkHandlers('syncApis', syncApiCrud);
const asyncBulk = bulkHandlers('asyncApis', asyncApiCrud);
const cronBulk = bulkHandlers('cronJobs', cronJobCrud);

const DAY_MS = 86_400_000;
/** Most fire times counted per cron job for the triggers-per-day metric (one a second). */
const MAX_TICKS_PER_DAY = 86_400;

export const compatHandlers: Pick<
  Handlers,
  | 'addManySyncApis'
  | 'modifyManySyncApis'
  | 'deleteManySyncApis'
  | 'addManyAsyncApis'
  | 'modifyManyAsyncApis'
  | 'deleteManyAsyncApis'
  | 'addManyCronJobs'
  | 'modifyManyCronJobs'
  | 'deleteManyCronJobs'
  | 'listCronJobRecentTriggered'
  | 'describeFunc'
  | 'funcOverview'
  | 'funcList'
  | 'funcTagList'
  | 'funcApiList'
  | 'authLinkFuncList'
  | 'callFuncMany'
> = {
  addManySyncApis: syncBulk.addMany,
  modifyManySyncApis: syncBulk.modifyMany,
  deleteManySyncApis: syncBulk.deleteMany,
  addManyAsyncApis: asyncBulk.addMany,
  modifyManyAsyncApis: asyncBulk.modifyMany,
  deleteManyAsyncApis: asyncBulk.deleteMany,
  addManyCronJobs: cronBulk.addMany,
  modifyManyCronJobs: cronBulk.modifyMany,
  deleteManyCronJobs: cronBulk.deleteMany,

  listCronJobRecentTriggered: async ({ params }, { ctx }) => {
    await requireRow(ctx, 'cronJobs', params.id);
    const records = await ctx.store.taskRecords.list({ origin: 'cronJob', originId: params.id }, { limit: RECENT_TRIGGERED_LIMIT });
    return records.map((r) => [Math.floor(r.triggerTimeMs / 1000), 'cronJob'] as [number, string]).sort((a, b) => b[0] - a[0]);
  },

  describeFunc: async ({ params }, { ctx, caller }) => ENTITY_RULES.funcs.toApi(await requireFunc(ctx, params.funcId), ruleDeps(ctx), caller!),

  funcOverview: async ({ query }, { ctx }) => {
    const sections = new Set(query.sections ? query.sections.split(',') : ['services', 'queues', 'bizMetrics', 'bizEntities']);
    const out: Record<string, unknown> = {};
    const status =
      sections.has('services') || sections.has('queues') ? topologyStatus(ctx.mode, ctx.topology, await ctx.broker.stats(), await ctx.services(), ctx.now()) : undefined;
    if (status && sections.has('services')) {
      out.services = status.services.map((s) => ({
        name: s.kind,
        hostname: s.host,
        pid: s.pid,
        version: s.version,
        uptime: s.uptimeS,
        queues: s.queues ?? [],
        ts: Math.floor(s.lastSeen / 1000),
      }));
    }
    if (status && sections.has('queues')) {
      out.queues = status.queues.map((q) => {
        const units = status.topology.units.filter((u) => u.queues.includes(q.queue));
        const processCount = units.reduce((n, u) => n + u.processes * u.replicas, 0);
        return {
          queue: q.queue,
          workerCount: units.reduce((n, u) => n + u.replicas, 0),
          processCount,
          delayQueueLength: q.delayed,
          workerQueueLength: q.length,
          workerQueueLoad: Math.floor(q.length / (processCount || 1)),
        };
      });
    }
    if (sections.has('bizMetrics')) {
      const now = ctx.now();
      let perDay = 0;
      // As DataFlux Func's overview: a script's dynamic expression first, paused jobs not counted.
      const scripted = await new CronOverrideStore(ctx.cache, ctx.now).readAll();
      for (const job of await ctx.store.entity('cronJobs').list({ isDisabled: false }, { limit: MAX_SELECTED })) {
        if ((scripted.pausedUntil.get(job.id) ?? -1) >= now) continue;
        const expr = effectiveCronExpr(job, await ctx.catalog.func(job.funcId), dynamicAt(scripted.dynamic.get(job.id), now));
        if (expr) perDay += nextFireTimes(expr, job.timezone, now, MAX_TICKS_PER_DAY).filter((t) => t <= now + DAY_MS).length;
      }
      const metric = (subTitle: string, value: number) => ({ title: 'Cron Job', subTitle, value: Math.round(value * 10) / 10, isBuiltin: true });
      out.bizMetrics = [
        metric('Triggers Per Second', perDay / 86_400),
        metric('Triggers Per Minute', perDay / 1440),
        metric('Triggers Per Hour', perDay / 24),
        metric('Triggers Per Day', perDay),
      ];
    }
    if (sections.has('bizEntities')) {
      const count = async (name: 'scriptSets' | 'scripts' | 'funcs' | 'envVariables' | 'users') => (await ctx.store.entity(name).list(undefined, { limit: MAX_SELECTED })).length;
      const withEnabled = async (name: 'syncApis' | 'asyncApis' | 'cronJobs') => {
        const rows = await ctx.store.entity(name).list(undefined, { limit: MAX_SELECTED });
        return { count: rows.length, countEnabled: rows.filter((r) => !r.isDisabled).length };
      };
      out.bizEntities = [
        { name: 'scriptSet', count: await count('scriptSets') },
        { name: 'script', count: await count('scripts') },
        { name: 'func', count: await count('funcs') },
        { name: 'envVariable', count: await count('envVariables') },
        { name: 'syncAPI', ...(await withEnabled('syncApis')) },
        { name: 'asyncAPI', ...(await withEnabled('asyncApis')) },
        { name: 'cronJob', ...(await withEnabled('cronJobs')) },
        { name: 'user', count: await count('users') },
      ];
    }
    return out;
  },

  funcList: async ({ query }, { ctx, caller }) => funcDocList(ctx, query, caller!),

  funcTagList: async ({ query }, { ctx }) => {
    const setIds = commaValues(query.scriptSetId);
    const scriptIds = commaValues(query.scriptId);
    const tags = new Set<string>();
    for (const f of await ctx.store.entity('funcs').list(undefined, { limit: MAX_SELECTED }))
      if (oneOf(f.scriptSetId, setIds) && oneOf(f.scriptId, scriptIds)) for (const t of f.tagsJSON) tags.add(t);
    const matches = query.tagPattern ? globMatcher(query.tagPattern) : undefined;
    return [...tags].filter((t) => (!query.name || t.includes(query.name)) && (!matches || matches(t))).sort();
  },

  funcApiList: async ({ query }, { ctx }) => apiDocList(ctx, query.apiType ?? 'ALL', query),
  authLinkFuncList: async ({ query }, { ctx }) => apiDocList(ctx, 'syncAPI', query),

  callFuncMany: async ({ body }, { ctx }) => {
    // Every call is checked before any is enqueued.
    const tasks = [];
    for (const [i, c] of body.calls.entries()) {
      const func = await requireFunc(ctx, c.funcId, `calls.${i}.funcId`);
      const kwargs = c.kwargs ?? {};
      try {
        checkKwargs(func, kwargs);
      } catch (e) {
        if (e instanceof ApiError) throw new ApiError(e.code, `calls.${i}.kwargs: ${e.message}`, { ...e.detail, field: `calls.${i}.kwargs` });
        throw e;
      }
      // The options /api/v1/func/:funcId takes (timeout, expires, queue, eta, delay, retry…), applied the same way.
      tasks.push(buildTask({ func, kwargs, origin: 'direct', originId: func.id, options: c.options ?? {}, topology: ctx.topology, now: ctx.now() }));
    }
    for (const task of tasks) {
      ctx.metrics.countTask('direct');
      await ctx.dispatcher.submit(task);
    }
    return { ids: tasks.map((t) => t.id) };
  },
};
