/** Typed inputs and outputs of every operation, derived from the zod schemas of the table. */
import type { z } from 'zod';
import type { Operation } from '../operation.js';
import type { OperationId, Operations } from '../index.js';

/** A part (`params`, `query`, `body`) is optional when its schema accepts an empty value. */
// `{}` here is the point: "does an empty object satisfy this input?"
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type Part<K extends string, S extends z.ZodType> = {} extends z.input<S> ? { [P in K]?: z.input<S> } : { [P in K]: z.input<S> };

export type CallInput<Op extends Operation> = Part<'params', Op['params']> & Part<'query', Op['query']> & Part<'body', Op['body']>;
export type CallOutput<Op extends Operation> = z.output<Op['output']>;

export interface CallOptionsLike {
  /** An AbortSignal (typed loosely: contract/ knows no DOM). */
  signal?: unknown;
}

export type FuncApi = {
  [K in OperationId]: (input: CallInput<Operations[K]>, options?: CallOptionsLike) => Promise<CallOutput<Operations[K]>>;
};

export type InputOf<K extends OperationId> = CallInput<Operations[K]>;
export type OutputOf<K extends OperationId> = CallOutput<Operations[K]>;
