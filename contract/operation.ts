/** An operation = method(s), path(s), auth, input schemas and output schema. Declared once. */
import type { z } from 'zod';
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
  readonly summary: string;
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly output: O;
  /** The handler answers the HTTP response itself (raw sync API results, metrics). */
  readonly raw?: boolean;
}

export function defineOperation<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, O extends z.ZodType>(op: Operation<P, Q, B, O>): Operation<P, Q, B, O> {
  if ((op.auth === 'signedIn') !== (op.permission !== null)) {
    throw new Error(`operation ${op.id}: a signedIn operation declares its permission, and only it does`);
  }
  return op;
}

export type OperationInput<Op extends Operation> = {
  params: z.output<Op['params']>;
  query: z.output<Op['query']>;
  body: z.output<Op['body']>;
};

export type OperationOutput<Op extends Operation> = z.output<Op['output']>;
