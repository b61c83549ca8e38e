/**
 * Topology: which queue serves which role (the queue map) and which worker unit listens to
 * which queues. Data, not code: the seed's three presets are values of this type.
 */
import { isQueue, QUEUE_COUNT } from './queues.js';

export const QUEUE_ROLES = ['system', 'direct', 'syncAPI', 'cronJob', 'asyncAPI', 'debugger', 'subscription'] as const;
export type QueueRole = (typeof QUEUE_ROLES)[number];
/** The queue of system tasks: no role that runs user code may be mapped to it. */
export const SYSTEM_QUEUE = 0;

/** CPU (cores, may be fractional) and memory (MiB) per replica; unset means no limit / no reservation. */
export interface Resources {
  cpus?: number;
  memoryMb?: number;
}

export interface WorkerUnit {
  name: string;
  queues: number[];
  /** Python processes per replica. */
  processes: number;
  replicas: number;
  /** Upper bounds per replica (Docker `deploy.resources.limits`). */
  limits?: Resources;
  /** Guaranteed share per replica (Docker `deploy.resources.reservations`). */
  reservations?: Resources;
}

export interface Topology {
  name: string;
  queueMap: Record<QueueRole, number>;
  units: WorkerUnit[];
}

const DEFAULT_PROCESSES = 5;
export const MAX_REPLICAS = 100;
export const MAX_PROCESSES = 64;
/** Docker refuses memory limits under 6 MiB; a Python process needs far more. */
export const MIN_MEMORY_MB = 64;
export const MAX_CPUS = 256;
/** 1 TiB: above any machine, below what overflows the engine's byte count. */
export const MAX_MEMORY_MB = 1_048_576;
/** Services of a stack that are not worker units. */
export const RESERVED_NAMES: readonly string[] = ['server', 'beat', 'redis', 'mysql'];

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
/** What a topology read from JSON lacks of its shape (an object with a queueMap object and units, each with queues); empty when none. */
export function topologyShapeProblems(t: unknown): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(t)) return ['must be an object {name, queueMap, units}'];
  const out: string[] = [];
  if (typeof t.name !== 'string' || t.name.trim() === '') out.push('name must be a non-empty string');
  if (!isObject(t.queueMap)) out.push('queueMap must be an object (role → queue number)');
  if (!Array.isArray(t.units)) return [...out, 'units must be a list of units'];
  t.units.forEach((u: unknown, i) => {
    if (!isObject(u)) out.push(`units.${i} must be an object {name, queues, processes, replicas}`);
    else if (typeof u.name !== 'string') out.push(`units.${i}: name must be a string (e.g. "worker-1")`);
    else if (!Array.isArray(u.queues)) out.push(`unit ${u.name}: queues must be a list of queue numbers`);
  });
  return out;
}

export function validateTopology(t: Topology): string[] {
  const shape = topologyShapeProblems(t);
  if (shape.length > 0) return shape;
  const problems: string[] = [];
  const names = new Set<string>();
  for (const u of t.units) {
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(u.name)) problems.push(`unit name "${u.name}" must be lowercase letters, digits and dashes`);
    if (RESERVED_NAMES.includes(u.name)) problems.push(`unit name "${u.name}" is the name of a service of the stack (${RESERVED_NAMES.join(', ')})`);
    if (names.has(u.name)) problems.push(`unit name "${u.name}" is used twice`);
    names.add(u.name);
    if (u.queues.length === 0) problems.push(`unit ${u.name} listens to no queue`);
    for (const q of u.queues) if (!isQueue(q)) problems.push(`unit ${u.name}: queue ${JSON.stringify(q)} is not one of 0-${QUEUE_COUNT - 1}`);
    if (new Set(u.queues).size < u.queues.length) problems.push(`unit ${u.name} lists a queue twice`);
    if (!Number.isInteger(u.processes) || u.processes < 1 || u.processes > MAX_PROCESSES) problems.push(`unit ${u.name}: processes must be 1-${MAX_PROCESSES}`);
    if (!Number.isInteger(u.replicas) || u.replicas < 0 || u.replicas > MAX_REPLICAS) problems.push(`unit ${u.name}: replicas must be 0-${MAX_REPLICAS}`);
    problems.push(...resourceProblems(u));
  }

  const missing = QUEUE_ROLES.filter((role) => !Object.hasOwn(t.queueMap, role));
  if (missing.length > 0) problems.push(`queue map: no queue for ${missing.join(', ')} (every role needs one: ${QUEUE_ROLES.join(', ')})`);
  for (const [role, q] of Object.entries(t.queueMap)) {
    if (!(QUEUE_ROLES as readonly string[]).includes(role)) problems.push(`queue map: "${role}" is not a role (the roles: ${QUEUE_ROLES.join(', ')})`);
    else if (!isQueue(q)) problems.push(`queue map: ${role} → ${JSON.stringify(q)} is not a queue`);
    else if (q === SYSTEM_QUEUE && role !== 'system') problems.push(`queue map: ${role} → #${SYSTEM_QUEUE}: queue #${SYSTEM_QUEUE} is for system tasks, never user code`);
    else if (!t.units.some((u) => u.replicas > 0 && u.queues.includes(q))) problems.push(`queue map: ${role} uses queue #${q}, which no running unit listens to`);
  }
  return problems;
}

/** Units listening to `queue` (with replicas > 0). */
export function listenersOf(t: Topology, queue: number): WorkerUnit[] {
  return t.units.filter((u) => u.replicas > 0 && u.queues.includes(queue));
}

function resourceProblems(u: WorkerUnit): string[] {
  const out: string[] = [];
  for (const [kind, r] of [
    ['limit', u.limits],
    ['reservation', u.reservations],
  ] as const) {
    if (r?.cpus !== undefined && !(Number.isFinite(r.cpus) && r.cpus > 0 && r.cpus <= MAX_CPUS))
      out.push(`unit ${u.name}: CPU ${kind} must be more than 0 and at most ${MAX_CPUS} cores`);
    if (r?.memoryMb !== undefined && !(Number.isInteger(r.memoryMb) && r.memoryMb >= MIN_MEMORY_MB && r.memoryMb <= MAX_MEMORY_MB))
      out.push(`unit ${u.name}: memory ${kind} must be a whole number of MiB from ${MIN_MEMORY_MB} to ${MAX_MEMORY_MB}`);
  }
  const { limits: l, reservations: r } = u;
  if (l?.cpus !== undefined && r?.cpus !== undefined && r.cpus > l.cpus) out.push(`unit ${u.name}: CPU reservation ${r.cpus} is above the limit ${l.cpus}`);
  if (l?.memoryMb !== undefined && r?.memoryMb !== undefined && r.memoryMb > l.memoryMb)
    out.push(`unit ${u.name}: memory reservation ${r.memoryMb} MiB is above the limit ${l.memoryMb} MiB`);
  return out;
}
