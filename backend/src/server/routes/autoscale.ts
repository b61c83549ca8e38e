/**
 * Autoscaling policies of the stack's units (stored; evaluated by the server holding the
 * `autoscaler` lease, see domain/stack/autoscaler.ts). Setting one needs the Docker endpoint and
 * a deployed unit of that name.
 */
import { ApiError } from '../../../../contract/errors.js';
import type { AutoscalePolicy } from '../../../../contract/operations/autoscale.js';
import type { AutoscalePolicyRow } from '../../domain/ports/autoscale-store.js';
import type { AppContext } from '../app-context.js';
import type { Handlers } from '../handler.js';
import { NO_DOCKER_ENDPOINT } from './stack.js';

function stackName(ctx: AppContext): string {
  return ctx.stack?.manager.stack ?? ctx.config.stack;
}

async function existing(ctx: AppContext, unit: string): Promise<AutoscalePolicyRow> {
  const row = await ctx.store.autoscale.get(stackName(ctx), unit);
  if (!row) throw new ApiError('EClientNotFound', `unit ${unit} has no autoscaling policy`, { field: 'unit' });
  return row;
}

const out = (row: AutoscalePolicyRow): AutoscalePolicy => row;

export const autoscaleHandlers: Pick<Handlers, 'listAutoscalePolicies' | 'setAutoscalePolicy' | 'pauseAutoscalePolicy' | 'deleteAutoscalePolicy'> = {
  listAutoscalePolicies: async (_input, { ctx }) => (await ctx.store.autoscale.list(stackName(ctx))).map(out),
  setAutoscalePolicy: async ({ params, body }, { ctx }) => {
    if (!ctx.stack) throw new ApiError('EBizCondition', NO_DOCKER_ENDPOINT, { setting: 'FUNC_DOCKER_HOST' });
    // Refused (403 EBizCondition with the reasons) when nothing is deployed.
    const units = (await ctx.stack.manager.topology()).topology.units.map((u) => u.name);
    if (!units.includes(params.unit)) throw new ApiError('EClientNotFound', `no unit ${params.unit} is deployed (units: ${units.join(', ') || 'none'})`, { field: 'unit' });
    return out(await ctx.store.autoscale.setPolicy(ctx.stack.manager.stack, params.unit, body.spec, body.paused, ctx.now()));
  },
  pauseAutoscalePolicy: async ({ params, body }, { ctx }) => {
    await existing(ctx, params.unit);
    await ctx.store.autoscale.setPaused(stackName(ctx), params.unit, body.paused, ctx.now());
    return out(await existing(ctx, params.unit));
  },
  deleteAutoscalePolicy: async ({ params }, { ctx }) => ({ unit: params.unit, deleted: await ctx.store.autoscale.delete(stackName(ctx), params.unit) }),
};
