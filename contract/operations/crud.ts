/** Admin CRUD: `/api/v1/<entity>/do/list|add`, `/:id/do/get|modify|delete`, one factory for all entities. */
import { z } from 'zod';
import { defineOperation, type Operation } from '../operation.js';
import type { Permission } from '../permissions.js';
import { empty, ENTITY_ID, idParams, idResult } from '../common.js';

export const row = z.record(z.string(), z.unknown());

interface CrudSchemas<A extends z.ZodType, M extends z.ZodType> {
  /** URL segment, e.g. `sync-apis`. */
  segment: string;
  /** Operation id stem, e.g. `SyncApi`. */
  name: string;
  add: A;
  modify: M;
  /** Query fields list filters by. */
  filters: readonly string[];
  /** What list/get need, and what add/modify/delete need. */
  read: Permission;
  write: Permission;
}

/** Paging bounds of every list (a page number past the rows answers an empty page). */
export const MAX_PAGE_NUMBER = 1_000_000;
/** Rows per page of the admin entity lists (default 1000). */
export const MAX_ENTITY_PAGE_SIZE = 5000;
export const pageSizeQuery = (max: number): z.ZodOptional<z.ZodCoercedNumber> => z.coerce.number().int().min(1).max(max).optional();
export const pageNumberQuery: z.ZodOptional<z.ZodCoercedNumber> = z.coerce.number().int().min(1).max(MAX_PAGE_NUMBER).optional();

/** Filters (text; other query fields are ignored) and paging. */
export type ListQuery = { pageSize?: number | undefined; pageNumber?: number | undefined } & Record<string, string | number | undefined>;

const listQuery = (filters: readonly string[]): z.ZodType<ListQuery> =>
  z.object({
    ...Object.fromEntries(filters.map((f) => [f, z.string().optional()])),
    pageSize: pageSizeQuery(MAX_ENTITY_PAGE_SIZE), pageNumber: pageNumberQuery,
  }).loose() as z.ZodType<ListQuery>;

export function crudOperations<A extends z.ZodType, M extends z.ZodType>(s: CrudSchemas<A, M>): CrudOperations<A, M> {
  const base = `/api/v1/${s.segment}`;
  return {
    list: defineOperation({
      id: `list${s.name}s`, methods: ['GET'], paths: [`${base}/do/list`], auth: 'signedIn', permission: s.read, summary: `List ${s.segment} (filters: ${s.filters.join(', ')})`,
      params: empty, query: listQuery(s.filters), body: empty.optional(), output: z.array(row),
    }),
    get: defineOperation({
      id: `get${s.name}`, methods: ['GET'], paths: [`${base}/:id/do/get`], auth: 'signedIn', permission: s.read, summary: `One of ${s.segment}`,
      params: idParams, query: empty, body: empty.optional(), output: row,
    }),
    add: defineOperation({
      id: `add${s.name}`, methods: ['POST'], paths: [`${base}/do/add`], auth: 'signedIn', permission: s.write, summary: `Add to ${s.segment}`,
      params: empty, query: empty, body: z.object({ data: s.add }).loose(), output: idResult.loose(),
    }),
    modify: defineOperation({
      id: `modify${s.name}`, methods: ['POST'], paths: [`${base}/:id/do/modify`], auth: 'signedIn', permission: s.write, summary: `Modify one of ${s.segment}`,
      params: idParams, query: empty, body: z.object({ data: s.modify }).loose(), output: idResult.loose(),
    }),
    delete: defineOperation({
      id: `delete${s.name}`, methods: ['GET', 'POST'], paths: [`${base}/:id/do/delete`], auth: 'signedIn', permission: s.write, summary: `Delete one of ${s.segment}`,
      params: idParams, query: empty, body: empty.optional(), output: idResult,
    }),
  } satisfies Record<string, Operation>;
}

type Q = z.ZodType<ListQuery>;
type B<T extends z.ZodType> = z.ZodObject<{ data: T }, z.core.$loose>;
type Opt = z.ZodOptional<typeof empty>;
export interface CrudOperations<A extends z.ZodType, M extends z.ZodType> {
  list: Operation<typeof empty, Q, Opt, z.ZodArray<typeof row>>;
  get: Operation<typeof idParams, typeof empty, Opt, typeof row>;
  add: Operation<typeof empty, typeof empty, B<A>, ReturnType<typeof idResult.loose>>;
  modify: Operation<typeof idParams, typeof empty, B<M>, ReturnType<typeof idResult.loose>>;
  delete: Operation<typeof idParams, typeof empty, Opt, typeof idResult>;
}

export const optionalId = z.string().regex(ENTITY_ID, 'letters, digits, _ - . only, at most 64').optional();
