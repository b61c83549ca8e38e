/**
 * The stack on the configured Docker swarm: status, plan a change, apply it in the background
 * and follow it. Admin users only. Without FUNC_DOCKER_HOST the status says `configured: false`
 * and changes answer 403 EBizCondition.
 */
import { ApiError } from '../../../../contract/errors.js';
import type { AppContext } from '../app-context.js';
import type { Handlers } from '../handler.js';

export const NO_DOCKER_ENDPOINT = 'this server has no Docker endpoint (set FUNC_DOCKER_HOST)';

function stackOf(ctx: AppContext): NonNullable<AppContext['stack']> {
  if (!ctx.stack) throw new ApiError('EBizCondition', NO_DOCKER_ENDPOINT, { setting: 'FUNC_DOCKER_HOST' });
  return ctx.stack;
}

export const stackHandlers: Pick<Handlers, 'getStack' | 'planStackChange' | 'applyStackChange' | 'getStackChange' | 'listStackChanges'> = {
  getStack: async (_input, { ctx }) => {
    if (!ctx.stack) return { configured: false, stack: ctx.config.stack, deployed: false, services: [] };
    try {
      return await ctx.stack.manager.status();
    } catch (err) {
      return {
        configured: true,
        endpoint: ctx.stack.manager.endpoint,
        stack: ctx.stack.manager.stack,
        deployed: false,
        services: [],
        error: err instanceof Error ? err.message : String(err),
      };
    }
  },
  planStackChange: ({ body }, { ctx }) => {
    return stackOf(ctx).manager.plan(body.change);
  },
  applyStackChange: async ({ body }, { ctx }) => {
    const stack = stackOf(ctx);
    const progress = await stack.manager.apply(body.change);
    stack.deployed.invalidate();
    return progress;
  },
  getStackChange: ({ params }, { ctx }) => {
    return stackOf(ctx).manager.change(params.id);
  },
  listStackChanges: (_input, { ctx }) => Promise.resolve(ctx.stack?.manager.listChanges() ?? []),
};
