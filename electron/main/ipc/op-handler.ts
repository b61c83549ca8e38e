/**
 * `func:op`: the bridge's one channel for contract operations. The operation id must be in the
 * table, the input must pass its zod schemas; the call then goes to the local stack through the
 * contract's HTTP client. The sign-in token stays in the main process.
 */
import type { z } from 'zod';
import { operations, type OperationId } from '../../../contract/index.js';
import { ApiError, parseInput } from '../../../contract/errors.js';
import type { Operation } from '../../../contract/operation.js';

/** Streams do not cross the bridge (the console subscribes over SSE itself). */
const NOT_BRIDGED: readonly string[] = ['events'];

type Caller = (input: unknown) => Promise<unknown>;
export type OpClient = Record<string, unknown>;

export interface BridgeSession {
  token: string | null;
}

function isOperationId(id: unknown): id is OperationId {
  return typeof id === 'string' && Object.hasOwn(operations, id) && !NOT_BRIDGED.includes(id);
}

function check(schema: z.ZodType, value: unknown, part: string): void {
  parseInput(schema, value, part);
}

/** Validates `input` against the operation's schemas; answers the input to send. */
export function validateOpInput(op: Operation, input: unknown): { params?: unknown; query?: unknown; body?: unknown } {
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object' || Array.isArray(input)) throw new ApiError('EClientBadRequest', 'input: must be an object', { field: 'input' });
  const parts = input as Record<string, unknown>;
  const extra = Object.keys(parts).filter((k) => k !== 'params' && k !== 'query' && k !== 'body');
  if (extra.length > 0) throw new ApiError('EClientBadRequest', `input.${extra[0] ?? ''}: not a part of an operation`, { field: `input.${extra[0] ?? ''}` });
  check(op.params, parts.params ?? {}, 'params');
  check(op.query, parts.query ?? {}, 'query');
  if (parts.body !== undefined) check(op.body, parts.body, 'body');
  return parts;
}

export function createOpHandler(client: OpClient, session: BridgeSession): (id: unknown, input: unknown) => Promise<unknown> {
  return async (id, input) => {
    if (!isOperationId(id)) throw new ApiError('EClientNotFound', `no operation ${String(id)} on the bridge`, { field: 'id' });
    const valid = validateOpInput(operations[id], input);
    const call = client[id];
    if (typeof call !== 'function') throw new ApiError('EClientNotFound', `no operation ${id} on the client`);
    const result: unknown = await (call as Caller)(valid);
    if (id === 'signIn') session.token = (result as { xAuthToken: string }).xAuthToken;
    if (id === 'signOut') session.token = null;
    return result;
  };
}
