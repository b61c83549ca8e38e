/** The topology view: the definition joined with live queue numbers and the services seen alive. */
import type { TopologyStatus } from '../../../../contract/operations/topology.js';
import type { QueueStats } from '../ports/broker.js';
import type { Topology } from './topology.js';

export type ServiceStatus = TopologyStatus['services'][number];

export function topologyStatus(mode: TopologyStatus['mode'], topology: Topology, stats: QueueStats[], services: ServiceStatus[], now: number): TopologyStatus {
  const roles = new Map<number, string[]>();
  for (const [role, q] of Object.entries(topology.queueMap)) roles.set(q, [...(roles.get(q) ?? []), role]);
  return {
    mode,
    time: now,
    topology: { name: topology.name, queueMap: { ...topology.queueMap }, units: topology.units.map((u) => ({ ...u, queues: [...u.queues] })) },
    services,
    queues: stats.map((s) => ({
      ...s,
      listeners: topology.units.filter((u) => u.replicas > 0 && u.queues.includes(s.queue)).map((u) => u.name),
      roles: roles.get(s.queue) ?? [],
    })),
  };
}
