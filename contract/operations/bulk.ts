/**
 * DataFlux Func's many-at-once calls of sync APIs, async APIs and cron jobs: `add-many` (all or
 * none), `modify-many` and `delete-many` (the rows the query selects; at least one condition, so a
 * forgotten filter never touches every row). Under the entity's segment and its old aliases.
 */
import { z } from 'zod';
import { defineOperation, type Operation } from '../operation.js';
import type { empty, noBody } from '../common.js';
import type { CrudOperations } from './crud.js';
import { asyncApis, cronJobs, syncApis } from './entities.js';

/** Most rows one add-many takes. */
export const MAX_ADD_MANY = 1000;

/**
 * What modify-many and delete-many select by, each a comma-separated list (a row matches one of
 * its values; `tags` and `func_tags`: a row has all of them). A query field outside these is
 * refused, so a misspelt condition cannot widen the selection.
 */
export const BULK_FILTERS = ['id', 'funcId', 'tags', 'func_scriptSetId', 'func_scriptId', 'func_tags'] as const;
export type BulkFilter = Partial<Record<(typeof BULK_FILTERS)[number], string>>;

const filterQuery = z
  .object(Object.fromEntries(BULK_FILTERS.map((f) => [f, z.string().min(1).max(10_000).optional()])) as Record<(typeof BULK_FILTERS)[number], z.ZodOptional<z.ZodString>>)
  .strict()
  .refine((q) => Object.values(q).some((v) => v !== undefined), { error: `at least one condition is needed (${BULK_FILTERS.join(', ')})`, path: ['id'] });

const ids = z.object({
  ids: z.array(z.string()),
});
/** delete-many also answers the ids as `id`, DataFlux Func's name there. */
const deletedIds = z.object({ ids: z.array(z.string()), id: z.array(z.string()) });

type AnyCrud = CrudOperations<z.ZodType, z.ZodType, z.ZodType, z.ZodRawShape, z.ZodRawShape>;

interface BulkSchemas<A extends z.ZodType, M extends z.ZodType> {
  /** `SyncApi` → addManySyncApis … */
  name: string;
  /** The entity's segment first, then its aliases. */
  segments: readonly string[];
  crud: { add: { body: z.ZodObject<{ data: A }, z.core.$loose> }; modify: { body: z.ZodObject<{ data: M }, z.core.$loose> }; delete: AnyCrud['delete'] };
}

export function bulkOperations<A extends z.ZodType, M extends z.ZodType>(s: BulkSchemas<A, M>): BulkOperations<A, M> {
  const at = (tail: string): string[] => s.segments.map((seg) => `/api/v1/${seg}${tail}`);
  const permission = s.crud.delete.permission!;
  return {
    addMany: defineOperation(`addMany${s.name}s`, {
      methods: ['POST'],
      paths: at('/do/add-many'),
      permission,
      summary: `Add many of ${s.segments[0]} at once: all or none`,
      body: z.object({ data: z.array(s.crud.add.body.shape.data).min(1).max(MAX_ADD_MANY) }).loose(),
      output: ids,
    }),
    modifyMany: defineOperation(`modifyMany${s.name}s`, {
      methods: ['POST'],
      paths: at('/do/modify-many'),
      permission,
      summary: `Modify the ${s.segments[0]} the query selects (funcCallKwargsJSON merged argument by argument)`,
      query: filterQuery,
      body: z.object({ data: s.crud.modify.body.shape.data }).loose(),
      output: ids,
    }),
    deleteMany: defineOperation(`deleteMany${s.name}s`, {
      methods: ['GET', 'POST'],
      paths: at('/do/delete-many'),
      permission,
      summary: `Delete the ${s.segments[0]} the query selects`,
      query: filterQuery,
      output: deletedIds,
    }),
  } satisfies Record<string, Operation>;
}

type FilterQuery = typeof filterQuery;
export interface BulkOperations<A extends z.ZodType, M extends z.ZodType> {
  addMany: Operation<typeof empty, typeof empty, z.ZodObject<{ data: z.ZodArray<A> }, z.core.$loose>, typeof ids>;
  modifyMany: Operation<typeof empty, FilterQuery, z.ZodObject<{ data: M }, z.core.$loose>, typeof ids>;
  deleteMany: Operation<typeof empty, FilterQuery, typeof noBody, typeof deletedIds>;
}

export const syncApiBulk = bulkOperations({ name: 'SyncApi', segments: ['sync-apis', 'auth-links'], crud: syncApis });
export const asyncApiBulk = bulkOperations({ name: 'AsyncApi', segments: ['async-apis', 'batches'], crud: asyncApis });
export const cronJobBulk = bulkOperations({ name: 'CronJob', segments: ['cron-jobs', 'crontab-configs'], crud: cronJobs });
