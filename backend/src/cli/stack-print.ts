/** What `func stack` prints: the status table, a plan, a refusal with every reason. */
import type { StackPlan, StackStatus } from '../../../contract/operations/stack.js';
import { describeResources } from '../domain/topology/topology-change.js';

type Line = (text: string) => void;

export function printStatus(s: StackStatus, out: Line): void {
  if (!s.deployed) {
    out(`No stack "${s.stack}" on ${s.endpoint ?? 'the engine'}. Deploy one: func stack deploy --preset standalone`);
    return;
  }
  out(`Stack ${s.stack} on ${s.endpoint ?? 'the engine'}${s.topology ? ` (topology ${s.topology.name})` : ''}`);
  const rows = [['SERVICE', 'ROLE', 'QUEUES', 'PROCESSES', 'RUNNING', 'LIMITS', 'RESERVATIONS', 'IMAGE']];
  for (const v of s.services) {
    rows.push([
      v.service,
      v.role,
      v.queues ? v.queues.map((q) => `#${q}`).join(',') : '-',
      v.processes === undefined ? '-' : String(v.processes),
      `${v.running}/${v.desired}`,
      describeResources(v.limits),
      describeResources(v.reservations),
      v.image,
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows)
    out(
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
  const problems = s.services.filter((v) => v.problem);
  for (const v of problems) out(`! ${v.service}: ${v.problem!}`);
}

/** A plan's summary and numbered steps (a change's plan, or what deploy or rm would do). */
export function printPlan(plan: Pick<StackPlan, 'summary' | 'steps'>, out: Line): void {
  out(plan.summary);
  if (plan.steps.length === 0) out('Nothing to do.');
  for (const [i, step] of plan.steps.entries()) out(`  ${i + 1}. ${step.description}`);
}

export function printRefusal(reasons: string[], err: Line): void {
  err(`func: change refused:`);
  for (const r of reasons) err(`  - ${r}`);
}
