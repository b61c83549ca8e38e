/**
 * Steps that take a deployed stack from one topology to another without a moment where a queue
 * has no listener: create new units first and wait until they run, then update changed units,
 * remove the units that are gone last.
 */
import type { PlanStep } from '../../../../contract/operations/stack.js';
import { describeResources } from './topology-change.js';
import type { Topology, WorkerUnit } from './topology.js';

export function planSteps(before: Topology, after: Topology): PlanStep[] {
  const old = new Map(before.units.map((u) => [u.name, u]));
  const next = new Map(after.units.map((u) => [u.name, u]));
  const created = after.units.filter((u) => !old.has(u.name));
  const updated = after.units.filter((u) => old.has(u.name) && differences(old.get(u.name)!, u).length > 0);
  const removed = before.units.filter((u) => !next.has(u.name));
  const steps: PlanStep[] = [];
  for (const u of created) steps.push({ kind: 'create', service: u.name, description: `Create ${u.name}: ${u.replicas} × ${u.processes} processes on ${queues(u)}` });
  // Whoever takes over a queue must be running before anyone lets go of it.
  for (const u of created)
    if (u.replicas > 0) steps.push({ kind: 'wait', service: u.name, description: `Wait until ${u.replicas} replica${u.replicas === 1 ? '' : 's'} of ${u.name} run` });
  const gains = (u: WorkerUnit): boolean => u.queues.some((q) => !old.get(u.name)!.queues.includes(q));
  const loses = (u: WorkerUnit): boolean => old.get(u.name)!.queues.some((q) => !u.queues.includes(q));
  const widening = updated.filter((u) => gains(u) || u.replicas > old.get(u.name)!.replicas);
  // A unit that gains some queues and gives up others (queues swapped between units) first
  // listens to both, and lets go only after every other unit has taken over.
  const swapping = widening.filter((u) => gains(u) && loses(u));
  const rest = updated.filter((u) => !widening.includes(u) || swapping.includes(u));
  for (const u of widening) {
    if (swapping.includes(u)) {
      const both = [...new Set([...old.get(u.name)!.queues, ...u.queues])].sort((a, b) => a - b);
      steps.push({
        kind: 'update',
        service: u.name,
        description: `Update ${u.name}: queues ${queues(old.get(u.name)!)} → ${both.map((q) => `#${q}`).join(', ')} for now`,
        queues: both,
      });
    } else steps.push({ kind: 'update', service: u.name, description: `Update ${u.name}: ${differences(old.get(u.name)!, u).join('; ')}` });
  }
  for (const u of widening) if (u.replicas > 0) steps.push({ kind: 'wait', service: u.name, description: `Wait until ${u.name} has converged` });
  for (const u of rest) steps.push({ kind: 'update', service: u.name, description: `Update ${u.name}: ${differences(old.get(u.name)!, u).join('; ')}` });
  for (const u of rest) if (u.replicas > 0) steps.push({ kind: 'wait', service: u.name, description: `Wait until ${u.name} has converged` });
  for (const u of removed) steps.push({ kind: 'remove', service: u.name, description: `Remove ${u.name} (was on ${queues(u)})` });
  return steps;
}

function differences(a: WorkerUnit, b: WorkerUnit): string[] {
  const out: string[] = [];
  if (a.queues.join(',') !== b.queues.join(',')) out.push(`queues ${queues(a)} → ${queues(b)}`);
  if (a.replicas !== b.replicas) out.push(`replicas ${a.replicas} → ${b.replicas}`);
  if (a.processes !== b.processes) out.push(`processes ${a.processes} → ${b.processes}`);
  if (describeResources(a.limits) !== describeResources(b.limits)) out.push(`limits ${describeResources(a.limits)} → ${describeResources(b.limits)}`);
  if (describeResources(a.reservations) !== describeResources(b.reservations)) out.push(`reservations ${describeResources(a.reservations)} → ${describeResources(b.reservations)}`);
  return out;
}

const queues = (u: WorkerUnit): string => u.queues.map((q) => `#${q}`).join(', ');
