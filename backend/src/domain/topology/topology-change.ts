/**
 * The topology algebra: each change (scale, processes, limit, split, merge, moveQueue) maps a
 * topology to a new one, or is refused with every reason in sentences. No I/O: the orchestrator
 * turns the before/after pair into steps (change-plan.ts).
 */
import { ApiError } from '../../../../contract/errors.js';
import type { StackChange } from '../../../../contract/operations/stack.js';
import { unitNameFor } from './unit-names.js';
import { RESERVED_NAMES, validateTopology, type Resources, type Topology, type WorkerUnit } from './topology.js';

export const BEAT_SERVICE = 'beat';

/** A change that cannot be made; `reasons` are sentences for the operator. */
export class ChangeRefused extends ApiError {
  constructor(readonly reasons: string[]) {
    super('EBizCondition', `Change refused: ${reasons.join('; ')}`, { reasons });
  }
}

export interface ChangeResult {
  topology: Topology;
  summary: string;
}

/** Apply `change` to `t`; throws ChangeRefused when it is not possible or leaves an invalid topology. */
export function applyChange(t: Topology, change: StackChange): ChangeResult {
  const result = changeOf(t, change);
  const problems = validateTopology(result.topology);
  if (problems.length > 0) throw new ChangeRefused(problems);
  return result;
}

function changeOf(t: Topology, c: StackChange): ChangeResult {
  switch (c.op) {
    case 'scale': {
      if (c.unit === BEAT_SERVICE) {
        if (c.replicas === 1) throw new ChangeRefused(['beat already runs exactly 1 replica']);
        throw new ChangeRefused([`beat must run exactly 1 replica (asked for ${c.replicas}): two beats would fire every cron job twice, none would fire nothing`]);
      }
      const u = unitOf(t, c.unit);
      if (u.replicas === c.replicas) throw new ChangeRefused([`${u.name} already has ${c.replicas} replica${c.replicas === 1 ? '' : 's'}`]);
      return {
        topology: replaceUnit(t, u.name, { ...u, replicas: c.replicas }),
        summary: `Scale ${u.name} from ${u.replicas} to ${c.replicas} replica${c.replicas === 1 ? '' : 's'}`,
      };
    }
    case 'processes': {
      const u = unitOf(t, c.unit);
      if (u.processes === c.processes) throw new ChangeRefused([`${u.name} already runs ${c.processes} processes per replica`]);
      return { topology: replaceUnit(t, u.name, { ...u, processes: c.processes }), summary: `Run ${c.processes} Python processes per replica of ${u.name} (was ${u.processes})` };
    }
    case 'limit': {
      const u = unitOf(t, c.unit);
      const limits = patchResources(u.limits, c.limits);
      const reservations = patchResources(u.reservations, c.reservations);
      const next: WorkerUnit = withResources({ ...u }, limits, reservations);
      if (sameResources(u.limits, limits) && sameResources(u.reservations, reservations)) throw new ChangeRefused([`${u.name} already has these limits and reservations`]);
      return { topology: replaceUnit(t, u.name, next), summary: `Set ${u.name} to limits ${describeResources(limits)}, reservations ${describeResources(reservations)}` };
    }
    case 'split': {
      const u = unitOf(t, c.unit);
      const moving = [...new Set(c.queues)].sort((a, b) => a - b);
      const foreign = moving.filter((q) => !u.queues.includes(q));
      if (foreign.length > 0) throw new ChangeRefused([`${u.name} does not listen to ${foreign.map((q) => `#${q}`).join(', ')}`]);
      const rest = u.queues.filter((q) => !moving.includes(q));
      if (rest.length === 0) throw new ChangeRefused([`splitting every queue out of ${u.name} would leave it listening to nothing; rename or move queues instead`]);
      const { name: restName, renamed } = remainderName(u, rest);
      const newName = c.newUnit ?? unitNameFor(moving);
      assertFreeName(t, newName, [u.name]);
      if (renamed) assertFreeName(t, restName, [u.name]);
      if (newName === restName) throw new ChangeRefused([`both halves would be called ${newName}; give the new unit another name`]);
      const fresh: WorkerUnit = withResources({ name: newName, queues: moving, processes: u.processes, replicas: Math.max(1, u.replicas) }, u.limits, u.reservations);
      const units = t.units.flatMap((x) => (x.name === u.name ? [{ ...u, name: restName, queues: rest }, fresh] : [x]));
      return { topology: { ...t, units }, summary: `Split ${queuesText(moving)} out of ${u.name} into ${newName}${renamed ? `; the rest becomes ${restName}` : ''}` };
    }
    case 'merge': {
      const names = [...new Set(c.units)];
      if (names.length < 2) throw new ChangeRefused(['merge needs two different units']);
      const units = names.map((n) => unitOf(t, n));
      const queues = [...new Set(units.flatMap((u) => u.queues))].sort((a, b) => a - b);
      const into = c.into ?? unitNameFor(queues);
      assertFreeName(t, into, names);
      const first = units[0]!;
      const merged: WorkerUnit = withResources(
        {
          name: into,
          queues,
          processes: Math.max(...units.map((u) => u.processes)),
          replicas: Math.max(1, ...units.map((u) => u.replicas)),
        },
        first.limits,
        first.reservations,
      );
      const at = t.units.findIndex((x) => names.includes(x.name));
      const kept = t.units.filter((x) => !names.includes(x.name));
      kept.splice(Math.min(at, kept.length), 0, merged);
      return { topology: { ...t, units: kept }, summary: `Merge ${names.join(' and ')} into ${into}, listening to ${queuesText(queues)}` };
    }
    case 'moveQueue': {
      const from = unitOf(t, c.from);
      if (!from.queues.includes(c.queue)) throw new ChangeRefused([`${from.name} does not listen to #${c.queue}`]);
      if (c.to === undefined) return changeOf(t, { op: 'split', unit: from.name, queues: [c.queue] });
      const to = unitOf(t, c.to);
      if (to.name === from.name) throw new ChangeRefused([`#${c.queue} is already on ${from.name}`]);
      const rest = from.queues.filter((q) => q !== c.queue);
      if (to.queues.includes(c.queue) && rest.length === 0) throw new ChangeRefused([`moving #${c.queue} would leave ${from.name} listening to nothing; merge the units instead`]);
      if (rest.length === 0) return changeOf(t, { op: 'merge', units: [to.name, from.name], into: to.name });
      const { name: restName, renamed } = remainderName(from, rest);
      if (renamed) assertFreeName(t, restName, [from.name]);
      const units = t.units.map((x) => {
        if (x.name === from.name) return { ...x, name: restName, queues: rest };
        if (x.name === to.name) return { ...x, queues: [...new Set([...x.queues, c.queue])].sort((a, b) => a - b) };
        return x;
      });
      const also = renamed ? `; ${from.name} becomes ${restName}` : '';
      if (to.queues.includes(c.queue)) return { topology: { ...t, units }, summary: `Stop ${from.name} listening to #${c.queue} (${to.name} listens to it already)${also}` };
      return { topology: { ...t, units }, summary: `Move #${c.queue} from ${from.name} to ${to.name}${also}` };
    }
  }
}

function unitOf(t: Topology, name: string): WorkerUnit {
  const u = t.units.find((x) => x.name === name);
  if (!u) throw new ChangeRefused([`there is no worker unit called "${name}" (units: ${t.units.map((x) => x.name).join(', ') || 'none'})`]);
  return u;
}

function replaceUnit(t: Topology, name: string, next: WorkerUnit): Topology {
  return { ...t, units: t.units.map((u) => (u.name === name ? next : u)) };
}

function assertFreeName(t: Topology, name: string, leaving: string[]): void {
  if (RESERVED_NAMES.includes(name)) throw new ChangeRefused([`"${name}" is the name of a service of the stack`]);
  if (t.units.some((u) => u.name === name && !leaving.includes(u.name))) throw new ChangeRefused([`a unit called ${name} exists already`]);
}

/** A unit named after its queues (worker-1-6) is renamed after what it keeps (worker-1-5); a custom name stays. */
function remainderName(u: WorkerUnit, rest: number[]): { name: string; renamed: boolean } {
  if (u.name !== unitNameFor(u.queues)) return { name: u.name, renamed: false };
  const name = unitNameFor(rest);
  return { name, renamed: name !== u.name };
}

function patchResources(current: Resources | undefined, patch: { cpus?: number | null; memoryMb?: number | null } | undefined): Resources | undefined {
  const out: Resources = { ...current };
  if (patch?.cpus !== undefined) {
    if (patch.cpus === null) delete out.cpus;
    else out.cpus = patch.cpus;
  }
  if (patch?.memoryMb !== undefined) {
    if (patch.memoryMb === null) delete out.memoryMb;
    else out.memoryMb = patch.memoryMb;
  }
  return out.cpus === undefined && out.memoryMb === undefined ? undefined : out;
}

function withResources(u: WorkerUnit, limits: Resources | undefined, reservations: Resources | undefined): WorkerUnit {
  const out: WorkerUnit = { name: u.name, queues: u.queues, processes: u.processes, replicas: u.replicas };
  if (limits) out.limits = { ...limits };
  if (reservations) out.reservations = { ...reservations };
  return out;
}

function sameResources(a: Resources | undefined, b: Resources | undefined): boolean {
  return a?.cpus === b?.cpus && a?.memoryMb === b?.memoryMb;
}

export function describeResources(r: Resources | undefined): string {
  if (!r) return 'none';
  const parts = [r.cpus !== undefined ? `${r.cpus} CPU` : '', r.memoryMb !== undefined ? `${r.memoryMb} MiB` : ''].filter(Boolean);
  return parts.join(', ');
}

function queuesText(queues: number[]): string {
  return queues.map((q) => `#${q}`).join(', ');
}
