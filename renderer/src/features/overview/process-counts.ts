/**
 * A worker unit's Python processes as the overview and the topology show them: busy, started and
 * the most it may run. A heartbeat's `processes` counts the processes running now, and `func up`
 * starts them on demand (and stops idle ones), so an idle unit beats `processes: 0`; the most it
 * may run comes from the topology's definition of the unit (processes per replica).
 */
import type { TopologyStatus } from '@contract/operations/topology';

type Service = TopologyStatus['services'][number];

export interface ProcessCounts {
  busy: number;
  /** Running now (started on demand, or all of them in production). */
  started: number;
  /** The most that may run: processes per replica × replicas. */
  max: number;
}

/** One worker's heartbeat (one replica): its unit's processes per replica as the maximum (never below what runs). */
export function serviceProcessCounts(s: Service, topology: TopologyStatus['topology']): ProcessCounts {
  const started = s.processes ?? 0;
  const perReplica = topology.units.find((u) => u.name === s.name)?.processes ?? started;
  return { busy: s.busy ?? 0, started, max: Math.max(perReplica, started) };
}

/** Every worker replica beating now, added up. */
export function totalProcessCounts(live: Pick<TopologyStatus, 'services' | 'topology'>): ProcessCounts {
  const total: ProcessCounts = { busy: 0, started: 0, max: 0 };
  for (const s of live.services) {
    if (s.kind !== 'worker') continue;
    const c = serviceProcessCounts(s, live.topology);
    total.busy += c.busy;
    total.started += c.started;
    total.max += c.max;
  }
  return total;
}

/**
 * A unit of the graph: `processes` per replica × the replicas beating (the replicas wanted while
 * none beats, so a unit starting up still shows what it will run).
 */
export function unitProcessCounts(u: { busy: number; capacity: number; processes: number; alive: number; desired: number }): ProcessCounts {
  const replicas = u.alive > 0 ? u.alive : u.desired;
  return { busy: u.busy, started: u.capacity, max: Math.max(u.processes * replicas, u.capacity) };
}

/** "0 busy · 0 of 2 started": the same words wherever processes are counted. */
export const processCountsText = (c: ProcessCounts): string => `${c.busy} busy · ${c.started} of ${c.max} started`;
