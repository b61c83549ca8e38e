/** The capacity planner: measured task durations and load per queue, and the seed's formula applied. */
import { capacityReport } from '../../domain/stack/capacity-report.js';
import type { Topology } from '../../domain/topology/topology.js';
import type { AppContext } from '../app-context.js';
import type { Handlers } from '../handler.js';

/** Timings read per report at most; past it the load is measured over the span the rows cover. */
export const MAX_TIMINGS = 50_000;
const MINUTE_MS = 60_000;

/** The units the planner sizes: those deployed on the swarm when the server manages one, else its own topology. */
async function plannedTopology(ctx: AppContext): Promise<Pick<Topology, 'queueMap' | 'units'>> {
  return (await ctx.stack?.deployed.get()) ?? ctx.topology;
}

export const capacityHandlers: Pick<Handlers, 'getCapacity'> = {
  getCapacity: async ({ query }, { ctx }) => {
    const now = ctx.now();
    const timings = await ctx.store.taskRecords.timingsSince(now - query.windowMinutes * MINUTE_MS, MAX_TIMINGS);
    return capacityReport({ timings, truncated: timings.length >= MAX_TIMINGS, topology: await plannedTopology(ctx), windowMinutes: query.windowMinutes, now });
  },
};
