/**
 * What the topology graph shows, joined from the live topology (queue numbers, heartbeats) and,
 * when the server has a Docker endpoint, the deployed stack (units as deployed, replicas
 * desired/running, limits). Pure: no React.
 */
import type { StackStatus } from '@contract/operations/stack';
import type { TopologyStatus } from '@contract/operations/topology';
import type { Sample } from '../overview/use-topology';

export interface ResourcesView {
  cpus?: number | undefined;
  memoryMb?: number | undefined;
}

export interface UnitView {
  name: string;
  queues: number[];
  /** Python processes per replica. */
  processes: number;
  /** Replicas wanted (the stack's desired count, or the topology's). */
  desired: number;
  /** Replicas the swarm runs; null without a Docker endpoint. */
  running: number | null;
  /** Replicas seen alive by their heartbeats. */
  alive: number;
  busy: number;
  /** Processes alive (all replicas). */
  capacity: number;
  tasksDone: number;
  limits?: ResourcesView | undefined;
  reservations?: ResourcesView | undefined;
  problem?: string | undefined;
}

export interface QueueView {
  queue: number;
  roles: string[];
  length: number;
  delayed: number;
  inFlight: number;
  /** Tasks finished per second, over the last few samples. */
  rate: number;
  listeners: string[];
}

export interface RoleService {
  kind: 'server' | 'beat';
  alive: number;
  desired: number | null;
  running: number | null;
  hosts: string[];
  problem?: string | undefined;
  /** A server: the `name@host` of the one maintaining the connectors' subscriptions (queue #6), if any. */
  maintainer?: string | undefined;
}

export interface GraphModel {
  name: string;
  queueMap: Record<string, number>;
  queues: QueueView[];
  /** Queues not drawn: no role, no listener, nothing waiting. */
  hiddenQueues: number[];
  units: UnitView[];
  server: RoleService;
  beat: RoleService;
}

/** A topology as either source gives it (the live one has no limits). */
interface Definition {
  name: string;
  queueMap: Record<string, number>;
  units: { name: string; queues: number[]; processes: number; replicas: number; limits?: ResourcesView | undefined; reservations?: ResourcesView | undefined }[];
}

const RATE_SAMPLES = 3;

function rateOf(history: Sample[], queue: number): number {
  const last = history.slice(-RATE_SAMPLES);
  if (last.length === 0) return 0;
  return last.reduce((a, s) => a + (s.throughput[queue] ?? 0), 0) / last.length;
}

function roleService(kind: 'server' | 'beat', live: TopologyStatus, stack: StackStatus | undefined): RoleService {
  const beats = live.services.filter((s) => s.kind === kind);
  const svc = stack?.services.find((s) => s.role === kind);
  const role: RoleService = {
    kind,
    alive: beats.length,
    desired: svc?.desired ?? null,
    running: svc?.running ?? null,
    hosts: [...new Set(beats.map((s) => s.host))],
    problem: svc?.problem,
  };
  const maintainer = beats.find((s) => s.subscriptions === true);
  if (maintainer) role.maintainer = `${maintainer.name}@${maintainer.host}`;
  return role;
}

export function buildGraphModel(live: TopologyStatus, history: Sample[], stack: StackStatus | undefined): GraphModel {
  const deployed = stack?.configured === true && stack.topology !== undefined ? stack.topology : undefined;
  const definition: Definition = deployed ?? live.topology;
  const units: UnitView[] = definition.units.map((u) => {
    const svc = stack?.services.find((s) => s.role === 'worker' && (s.unit ?? s.service) === u.name);
    const beats = live.services.filter((s) => s.kind === 'worker' && s.name === u.name);
    return {
      name: u.name,
      queues: [...u.queues].sort((a, b) => a - b),
      processes: u.processes,
      desired: svc?.desired ?? u.replicas,
      running: deployed ? (svc?.running ?? 0) : null,
      alive: beats.length,
      busy: beats.reduce((a, s) => a + (s.busy ?? 0), 0),
      capacity: beats.reduce((a, s) => a + (s.processes ?? 0), 0),
      tasksDone: beats.reduce((a, s) => a + (s.tasksDone ?? 0), 0),
      limits: u.limits,
      reservations: u.reservations,
      problem: svc?.problem,
    };
  });
  const roles = new Map<number, string[]>();
  for (const [role, q] of Object.entries(definition.queueMap)) roles.set(q, [...(roles.get(q) ?? []), role]);
  const queues: QueueView[] = [];
  const hiddenQueues: number[] = [];
  for (const q of live.queues) {
    const listeners = units.filter((u) => u.queues.includes(q.queue)).map((u) => u.name);
    const view: QueueView = {
      queue: q.queue,
      roles: roles.get(q.queue) ?? [],
      length: q.length,
      delayed: q.delayed,
      inFlight: q.inFlight,
      rate: rateOf(history, q.queue),
      listeners,
    };
    if (view.roles.length > 0 || listeners.length > 0 || q.length + q.delayed + q.inFlight > 0) queues.push(view);
    else hiddenQueues.push(q.queue);
  }
  return { name: definition.name, queueMap: definition.queueMap, queues, hiddenQueues, units, server: roleService('server', live, stack), beat: roleService('beat', live, stack) };
}

/** What decides where nodes go: a new layout only when this changes, not with every number. */
export function structureKey(m: GraphModel, managed: boolean): string {
  return JSON.stringify([managed, m.queues.map((q) => q.queue), m.units.map((u) => [u.name, u.queues]), m.queueMap]);
}
