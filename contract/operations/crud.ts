/** Admin CRUD: `/api/v1/<entity>/do/list|add`, `/:id/do/get|modify|delete`, one factory for all entities. */
import { z } from 'zod';
import { defineOperation, type Operation } from '../operation.js';
import type { Permission } from '../permissions.js';
import { ENTITY_ID, idParams, idResult, queryIntBetween, type empty, type noBody } from '../common.js';

type Shape = z.ZodRawShape;
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the default: no field beside the id
type NoShape = {};

interface CrudSchemas<A extends z.ZodType, M extends z.ZodType, R extends z.ZodType, X extends Shape, Y extends Shape> {
  /** URL segment, e.g. `sync-apis`. */
  segment: string;
  /** DataFlux Func's old URL segments of the same entity (`auth-links` for `sync-apis`): the same operations answer there too. */
  aliases?: readonly string[];
  /** Operation id stem, e.g. `SyncApi`. */
  name: string;
  add: A;
  modify: M;
  /** One row as list and get answer it. */
  output: R;
  /** What add answers beside the id (an access key's secret, answered once). */
  added?: X;
  /** What modify answers beside the id (a script's new draft MD5). */
  modified?: Y;
  /** Query fields list filters by. */
  filters: readonly string[];
  /** What list/get need, and what add/modify/delete need. */
  read: Permission;
  write: Permission;
  /** Get takes `?fields=` too (list always does), as DataFlux Func's get of users and access keys. */
  getSelectsFields?: boolean;
  /** Every one of the five takes a signed-in token only, not an access key (Operation.tokenOnly). */
  tokenOnly?: boolean;
}

/** Paging bounds of every list (a page number past the rows answers an empty page). */
export const MAX_PAGE_NUMBER = 1_000_000;
/** Rows per page of the admin entity lists (default 1000). */
export const MAX_ENTITY_PAGE_SIZE = 5000;
const pageNumberQuery = queryIntBetween(1, MAX_PAGE_NUMBER).optional();
type PagingQuery = { pageSize: typeof pageNumberQuery; pageNumber: typeof pageNumberQuery };
/** A list's paging query fields: pages of 1 to `maxPageSize` rows, numbered from 1 (decimal digits, each given once). */
export const pagingQuery = (maxPageSize: number): PagingQuery => ({ pageSize: queryIntBetween(1, maxPageSize).optional(), pageNumber: pageNumberQuery });

/** Filters (text; other query fields are ignored) and paging. */
export type ListQuery = { pageSize?: number | undefined; pageNumber?: number | undefined } & Record<string, string | number | undefined>;

const listQuery = (filters: readonly string[]): z.ZodType<ListQuery> =>
  z
    .object({
      ...Object.fromEntries(filters.map((f) => [f, z.string().optional()])),
      /** DataFlux Func's fuzzy search (server/routes/fuzzy-search.ts says what each list searches). */
      _fuzzySearch: z.string().max(1000).optional(),
      ...pagingQuery(MAX_ENTITY_PAGE_SIZE),
    })
    .loose() as z.ZodType<ListQuery>;

export function crudOperations<A extends z.ZodType, M extends z.ZodType, R extends z.ZodType, X extends Shape = NoShape, Y extends Shape = NoShape>(
  s: CrudSchemas<A, M, R, X, Y>,
): CrudOperations<A, M, R, X, Y> {
  const segments = [s.segment, ...(s.aliases ?? [])];
  const at = (tail: string): string[] => segments.map((seg) => `/api/v1/${seg}${tail}`);
  const tokenOnly = s.tokenOnly === true ? { tokenOnly: true } : {};
  // `{}` is the default shape (NoShape) when an entity answers nothing beside the id: zod cannot infer X from its absence.
  return {
    list: defineOperation(`list${s.name}s`, {
      paths: at('/do/list'),
      permission: s.read,
      ...tokenOnly,
      summary: `List ${s.segment} (filters: ${s.filters.join(', ')}; fields: those to answer, or -those to leave out)`,
      query: listQuery(s.filters),
      fieldSelecting: true,
      output: z.array(s.output),
    }),
    get: defineOperation(`get${s.name}`, {
      paths: at('/:id/do/get'),
      permission: s.read,
      ...tokenOnly,
      summary: `One of ${s.segment}`,
      params: idParams,
      output: s.output,
      ...(s.getSelectsFields ? { fieldSelecting: true } : {}),
    }),
    add: defineOperation(`add${s.name}`, {
      methods: ['POST'],
      paths: at('/do/add'),
      permission: s.write,
      ...tokenOnly,
      summary: `Add to ${s.segment}`,
      body: z.object({ data: s.add }).loose(),
      output: idResult.extend((s.added ?? {}) as X),
    }),
    modify: defineOperation(`modify${s.name}`, {
      methods: ['POST'],
      paths: at('/:id/do/modify'),
      permission: s.write,
      ...tokenOnly,
      summary: `Modify one of ${s.segment}`,
      params: idParams,
      body: z.object({ data: s.modify }).loose(),
      output: idResult.extend((s.modified ?? {}) as Y),
    }),
    delete: defineOperation(`delete${s.name}`, {
      methods: ['GET', 'POST'],
      paths: at('/:id/do/delete'),
      permission: s.write,
      ...tokenOnly,
      summary: `Delete one of ${s.segment}`,
      params: idParams,
      output: idResult,
    }),
  } satisfies Record<string, Operation>;
}

type Q = z.ZodType<ListQuery>;
type B<T extends z.ZodType> = z.ZodObject<{ data: T }, z.core.$loose>;
type Opt = typeof noBody;
type IdAnd<X extends Shape> = ReturnType<typeof idResult.extend<X>>;
export interface CrudOperations<A extends z.ZodType, M extends z.ZodType, R extends z.ZodType, X extends Shape = NoShape, Y extends Shape = NoShape> {
  list: Operation<typeof empty, Q, Opt, z.ZodArray<R>>;
  get: Operation<typeof idParams, typeof empty, Opt, R>;
  add: Operation<typeof empty, typeof empty, B<A>, IdAnd<X>>;
  modify: Operation<typeof idParams, typeof empty, B<M>, IdAnd<Y>>;
  delete: Operation<typeof idParams, typeof empty, Opt, typeof idResult>;
}

/**
 * An id given on add, or none (absent, or null as DataFlux Func's console sends it when the id is
 * not customised): one is made. Not dots only: `.` and `..` are path segments, which clients
 * resolve before the request leaves (`/sync-apis/../do/get`), so such a row could not be reached.
 */
export const optionalId = z
  .string()
  .regex(ENTITY_ID, 'letters, digits, _ - . only, at most 64')
  .refine((id) => !/^\.+$/.test(id), 'must not be dots only (. and .. are URL path segments)')
  .nullish();
