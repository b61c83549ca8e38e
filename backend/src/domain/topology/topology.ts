/**
 * Topology: which queue serves which role (the queue map) and which worker unit listens to
 * which queues. Data, not code: the seed's three presets are values of this type.
 */
import { isQueue, QUEUE_COUNT } from './queues.js';

export type QueueRole = 'system' | 'direct' | 'syncAPI' | 'cronJob' | 'asyncAPI' | 'debugger' | 'subscription';

export interface WorkerUnit {
  name: string;
  queues: number[];
  /** Python processes per replica. */
  processes: number;
  replicas: number;
}

export interface Topology {
  name: string;
  queueMap: Record<QueueRole, number>;
  units: WorkerUnit[];
}

const DEFAULT_PROCESSES = 5;

const unit = (name: string, queues: number[], replicas = 1): WorkerUnit => ({ name, queues, processes: DEFAULT_PROCESSES, replicas });

const standardMap: Record<QueueRole, number> = { system: 0, direct: 1, syncAPI: 1, cronJob: 2, asyncAPI: 3, debugger: 5, subscription: 6 };

export const PRESETS: Readonly<Record<string, Topology>> = {
  standalone: {
    name: 'standalone',
    queueMap: standardMap,
    units: [unit('worker-0', [0, 4, 7, 8, 9]), unit('worker-1', [1]), unit('worker-2', [2]), unit('worker-3', [3]), unit('worker-5', [5]), unit('worker-6', [6])],
  },
  attached: {
    name: 'attached',
    queueMap: standardMap,
    units: Array.from({ length: QUEUE_COUNT }, (_, q) => unit(`worker-${q}`, [q])),
  },
  legacy: {
    name: 'legacy',
    // The seed's legacy layout: #1-#6 sync calls and subscriptions, #7 debug, #8-#9 async and cron.
    queueMap: { system: 0, direct: 1, syncAPI: 1, cronJob: 8, asyncAPI: 9, debugger: 7, subscription: 6 },
    units: [unit('worker-0', [0]), unit('worker-1-6', [1, 2, 3, 4, 5, 6]), unit('worker-7', [7]), unit('worker-8-9', [8, 9])],
  },
};

/** Problems with a topology, each a sentence; empty when valid. */
export function validateTopology(t: Topology): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const u of t.units) {
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(u.name)) problems.push(`unit name "${u.name}" must be lowercase letters, digits and dashes`);
    if (names.has(u.name)) problems.push(`unit name "${u.name}" is used twice`);
    names.add(u.name);
    if (u.queues.length === 0) problems.push(`unit ${u.name} listens to no queue`);
    for (const q of u.queues) if (!isQueue(q)) problems.push(`unit ${u.name}: queue ${String(q)} is not one of 0-${QUEUE_COUNT - 1}`);
    if (!Number.isInteger(u.processes) || u.processes < 1 || u.processes > 64) problems.push(`unit ${u.name}: processes must be 1-64`);
    if (!Number.isInteger(u.replicas) || u.replicas < 0) problems.push(`unit ${u.name}: replicas must be 0 or more`);
  }
  for (const [role, q] of Object.entries(t.queueMap)) {
    if (!isQueue(q)) problems.push(`queue map: ${role} → ${String(q)} is not a queue`);
    else if (!t.units.some((u) => u.replicas > 0 && u.queues.includes(q))) problems.push(`queue map: ${role} uses queue #${q}, which no running unit listens to`);
  }
  return problems;
}

/** Units listening to `queue` (with replicas > 0). */
export function listenersOf(t: Topology, queue: number): WorkerUnit[] {
  return t.units.filter((u) => u.replicas > 0 && u.queues.includes(queue));
}
