/**
 * The capacity planner's numbers, per queue: measured task duration T (mean, p90) from the
 * timings of finished tasks, the load the queue carries (finished tasks per minute over the
 * window), the units listening, and the seed's formula (contract/capacity.ts) applied to them:
 * capacity per replica `processes × 60000 ÷ T`, replicas needed `ceil(load ÷ capacity)`.
 */
import { capacityPerReplica, measuredTaskMs, replicasNeeded } from '../../../../contract/capacity.js';
import type { CapacityReport, QueueCapacity } from '../../../../contract/operations/stack.js';
import type { TaskTiming } from '../ports/store.js';
import { QUEUES } from '../topology/queues.js';
import type { Topology } from '../topology/topology.js';

export interface CapacityInput {
  /** Timings of tasks that ended in the window (any order). */
  timings: readonly TaskTiming[];
  /** True when the store's row cap cut the timings short: the load is then measured over the span they cover. */
  truncated: boolean;
  topology: Pick<Topology, 'queueMap' | 'units'>;
  windowMinutes: number;
  now: number;
}

const MINUTE_MS = 60_000;

export function capacityReport(input: CapacityInput): CapacityReport {
  const durations = new Map<number, number[]>(QUEUES.map((q) => [q, []]));
  for (const t of input.timings) durations.get(t.queue)?.push(Math.max(0, t.endTimeMs - t.startTimeMs));
  const minutes = measuredMinutes(input);
  const roles = rolesByQueue(input.topology.queueMap);
  return {
    windowMinutes: input.windowMinutes,
    time: input.now,
    queues: QUEUES.map((q) => queueCapacity(q, durations.get(q) ?? [], minutes, roles.get(q) ?? [], input.topology.units)),
  };
}

function queueCapacity(queue: number, durations: number[], minutes: number, roles: string[], units: Topology['units']): QueueCapacity {
  const sorted = [...durations].sort((a, b) => a - b);
  const meanMs = sorted.length === 0 ? null : sorted.reduce((a, b) => a + b, 0) / sorted.length;
  const tasksPerMinute = minutes > 0 ? sorted.length / minutes : 0;
  // Running units first: the first one's processes size a replica.
  const listening = units
    .filter((u) => u.queues.includes(queue))
    .sort((a, b) => Number(b.replicas > 0) - Number(a.replicas > 0))
    .map((u) => ({ name: u.name, processes: u.processes, replicas: u.replicas }));
  const first = listening[0];
  const taskMs = measuredTaskMs(meanMs);
  const perReplica = first && taskMs !== null ? capacityPerReplica(first.processes, taskMs) : 0;
  return {
    queue,
    roles,
    samples: sorted.length,
    meanMs,
    p90Ms: percentile(sorted, 0.9),
    tasksPerMinute,
    units: listening,
    capacityPerReplica: perReplica > 0 ? perReplica : null,
    replicasNeeded: perReplica > 0 ? replicasNeeded(tasksPerMinute, perReplica) : null,
  };
}

/** Nearest-rank percentile of sorted values; null when there are none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1] ?? null;
}

/**
 * Minutes the load is measured over: the window, or, when the row cap cut the timings short, the
 * span from the oldest end time kept to now (so the rate is not diluted by the missing rows).
 */
function measuredMinutes(input: CapacityInput): number {
  const window = input.windowMinutes;
  if (!input.truncated || input.timings.length === 0) return window;
  const oldest = input.timings.reduce((min, t) => Math.min(min, t.endTimeMs), Number.POSITIVE_INFINITY);
  return Math.min(window, Math.max(1 / 60, (input.now - oldest) / MINUTE_MS));
}

function rolesByQueue(queueMap: Topology['queueMap']): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const [role, q] of Object.entries(queueMap)) out.set(q, [...(out.get(q) ?? []), role]);
  return out;
}
