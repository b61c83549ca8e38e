/** An operation = method(s), path(s), auth, input schemas and output schema. Declared once. */
import type { z } from 'zod';
import { empty, noBody } from './common.js';
import type { Permission } from './permissions.js';

export type HttpMethod = 'GET' | 'POST';

/**
 * - `none`: anyone (ping, sign-in, health).
 * - `signedIn`: a signed-in user's `X-Dff-Auth-Token` or an access-key signature (which acts as
 *   the user owning the key); the operation's `permission` must be among the user's.
 * - `api`: a published sync/async API; its own API auth applies.
 */
export type AuthMode = 'none' | 'signedIn' | 'api';

export interface Operation<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly id: string;
  readonly methods: readonly HttpMethod[];
  readonly paths: readonly string[];
  readonly auth: AuthMode;
  /** What a `signedIn` caller must hold (contract/permissions.ts); null exactly when auth is not `signedIn`. */
  readonly permission: Permission | null;
  /**
   * A signed-in user's token only: a request signed with an access key is refused (403 naming the
   * token it needs). DataFlux Func's `authType: builtin.byXAuthToken`: its users, access keys,
   * password, profile and system-setting writes, so that a leaked key cannot mint keys or take over
   * accounts. Only on `signedIn` operations.
   */
  readonly tokenOnly?: boolean;
  readonly summary: string;
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly output: O;
  /** The handler answers the HTTP response itself (raw sync API results, metrics). */
  readonly raw?: boolean;
  /**
   * DataFlux Func's field selection (its route.yaml `fieldSelecting`): `?fields=id,title` answers only
   * those fields of each row (or of the one object), `?fields=-a,b` all but those; names a row does
   * not have are ignored (server/field-selection.ts).
   */
  readonly fieldSelecting?: boolean;
}

/** Who may call: a signed-in caller holding `permission` (auth `signedIn`, the default), or anyone / an API's own auth (no permission). */
type Access = { readonly auth?: 'signedIn'; readonly permission: Permission } | { readonly auth: 'none' | 'api'; readonly permission?: null };

/**
 * An operation as declared beside its id: what differs from the usual. Left out, `methods` is GET,
 * `params` and `query` take nothing (`empty`, other fields ignored) and `body` needs nothing (`noBody`).
 */
export type OperationSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, O extends z.ZodType> = Omit<
  Operation<P, Q, B, O>,
  'id' | 'methods' | 'auth' | 'permission' | 'params' | 'query' | 'body'
> &
  Access & { readonly methods?: readonly HttpMethod[]; readonly params?: P; readonly query?: Q; readonly body?: B };

/**
 * The operation `id` as `spec` declares it, the usual filled in. P, Q and B default to the schemas put
 * in their place when the declaration leaves them out (NoInfer: never inferred from where the result goes).
 */
export function defineOperation<P extends z.ZodType = typeof empty, Q extends z.ZodType = typeof empty, B extends z.ZodType = typeof noBody, O extends z.ZodType = z.ZodType>(
  id: string,
  spec: OperationSpec<P, Q, B, O>,
): Operation<NoInfer<P>, NoInfer<Q>, NoInfer<B>, NoInfer<O>> {
  const op: Operation<P, Q, B, O> = {
    id,
    methods: spec.methods ?? ['GET'],
    paths: spec.paths,
    auth: spec.auth ?? 'signedIn',
    permission: spec.permission ?? null,
    summary: spec.summary,
    ...(spec.raw === undefined ? {} : { raw: spec.raw }),
    ...(spec.fieldSelecting === undefined ? {} : { fieldSelecting: spec.fieldSelecting }),
    ...(spec.tokenOnly === true ? { tokenOnly: true } : {}),
    params: spec.params ?? (empty as z.ZodType as P),
    query: spec.query ?? (empty as z.ZodType as Q),
    body: spec.body ?? (noBody as z.ZodType as B),
    output: spec.output,
  };
  if ((op.auth === 'signedIn') !== (op.permission !== null)) {
    throw new Error(`operation ${op.id}: a signedIn operation declares its permission, and only it does`);
  }
  if (op.tokenOnly === true && op.auth !== 'signedIn') throw new Error(`operation ${op.id}: only a signedIn operation is tokenOnly`);
  return op;
}

export type OperationInput<Op extends Operation> = {
  params: z.output<Op['params']>;
  query: z.output<Op['query']>;
  body: z.output<Op['body']>;
};

export type OperationOutput<Op extends Operation> = z.output<Op['output']>;

/** Where an operation answers: its methods and path, as an HTTP request line starts (`GET /api/v1/x`, `GET|POST /api/v1/x/do/delete`). */
export type Route = `${'GET' | 'POST' | 'GET|POST'} /${string}`;

/** Who may call it: a permission a signed-in caller must hold, or `none` (anyone) / `api` (a published API's own auth). */
export type Callers = Permission | 'none' | 'api';

/** The rest of a declaration: summary and output, and params, query and body where they take something. */
export type OperationBody<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, O extends z.ZodType> = Omit<
  OperationSpec<P, Q, B, O>,
  'methods' | 'paths' | 'auth' | 'permission'
>;

/**
 * The operation `id` on one route, for the callers given: `operation('getTopology', 'GET /api/v1/topology', 'general_r', { summary, output })`.
 * An operation on several paths (old names, formats) is declared with defineOperation.
 */
export function operation<P extends z.ZodType = typeof empty, Q extends z.ZodType = typeof empty, B extends z.ZodType = typeof noBody, O extends z.ZodType = z.ZodType>(
  id: string,
  route: Route,
  callers: Callers,
  spec: OperationBody<P, Q, B, O>,
): Operation<NoInfer<P>, NoInfer<Q>, NoInfer<B>, NoInfer<O>> {
  const space = route.indexOf(' ');
  const methods = route.slice(0, space).split('|') as HttpMethod[];
  const access: Access = callers === 'none' || callers === 'api' ? { auth: callers } : { permission: callers };
  return defineOperation<P, Q, B, O>(id, { ...spec, ...access, methods, paths: [route.slice(space + 1)] });
}
