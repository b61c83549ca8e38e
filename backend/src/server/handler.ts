/** The handler of one contract operation. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Operation, OperationInput, OperationOutput } from '../../../contract/operation.js';
import type { OperationId, Operations } from '../../../contract/index.js';
import type { AppContext } from './app-context.js';
import type { Caller } from './auth.js';

export interface HandlerCall {
  ctx: AppContext;
  req: FastifyRequest;
  reply: FastifyReply;
  /** Set for `admin` operations. */
  caller: Caller | undefined;
  traceId: string;
}

export type Handler<Op extends Operation> = (input: OperationInput<Op>, call: HandlerCall) => Promise<OperationOutput<Op>> | OperationOutput<Op>;

/** For raw operations the handler sends the reply itself and answers `reply`. */
export type Handlers = { [K in OperationId]: Handler<Operations[K]> };
