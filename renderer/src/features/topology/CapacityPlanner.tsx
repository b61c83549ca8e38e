/**
 * The capacity planner: per queue the measured task duration T (mean, p90), the load now, what a
 * replica of its unit carries (`processes × 60000 ÷ T`) and the replicas needed (`ceil(M ÷ A)`),
 * now and for a target load typed in; "Apply" scales the unit through plan → apply.
 */
import { useState, type ReactNode } from 'react';
import { capacityPerReplica, measuredTaskMs, replicasNeeded } from '@contract/capacity';
import type { CapacityReport, StackChange } from '@contract/operations/stack';
import { Button } from '../../ui/Button';
import { Select, TextInput } from '../../ui/Field';
import { Card } from '../../ui/Page';
import { formatDuration } from '../../ui/format';
import { formatNumber, formatRate, queueList } from './format';
import type { UnitView } from './graph-model';

export type Basis = 'mean' | 'p90';

export interface CapacityPlannerProps {
  report: CapacityReport;
  units: UnitView[];
  managed: boolean;
  busy: boolean;
  windowMinutes: number;
  onWindow: (minutes: number) => void;
  onApply: (change: StackChange) => void;
}

const WINDOWS = [
  [15, 'last 15 minutes'],
  [60, 'last hour'],
  [360, 'last 6 hours'],
  [1440, 'last 24 hours'],
] as const;
const th = 'whitespace-nowrap px-2 py-2 align-bottom font-semibold';
const num = 'whitespace-nowrap px-2 py-1.5 text-right tabular-nums';

/** A header with its unit on a second line, small. */
function Head({ label, unit, title, right = true }: { label: string; unit?: string; title?: string; right?: boolean }): ReactNode {
  return (
    <th className={`${th} ${right ? 'text-right' : ''}`} title={title}>
      {label}
      {unit ? <span className="block text-[10px] font-normal normal-case tracking-normal text-zinc-400">{unit}</span> : null}
    </th>
  );
}

function neededText(n: number | null): string {
  if (n === null) return '—';
  return Number.isFinite(n) ? String(n) : '∞';
}

function Row({
  q,
  units,
  basis,
  target,
  onTarget,
  managed,
  busy,
  onApply,
}: {
  q: CapacityReport['queues'][number];
  units: UnitView[];
  basis: Basis;
  target: string;
  onTarget: (v: string) => void;
  managed: boolean;
  busy: boolean;
  onApply: (c: StackChange) => void;
}): ReactNode {
  const listening = units.filter((u) => u.queues.includes(q.queue)).sort((a, b) => Number(b.desired > 0) - Number(a.desired > 0));
  const unit = listening[0];
  const t = measuredTaskMs(basis === 'mean' ? q.meanMs : q.p90Ms);
  const perReplica = unit && t !== null ? capacityPerReplica(unit.processes, t) : 0;
  const nowNeeded = perReplica > 0 ? replicasNeeded(q.tasksPerMinute, perReplica) : null;
  const targetValue = target.trim() === '' ? null : Number(target);
  const targetValid = targetValue !== null && Number.isFinite(targetValue) && targetValue >= 0;
  const forTarget = targetValid && perReplica > 0 ? replicasNeeded(targetValue, perReplica) : null;
  const canApply = managed && !busy && unit !== undefined && forTarget !== null && Number.isFinite(forTarget) && forTarget !== unit.desired && forTarget <= 100;
  const shared =
    unit && unit.queues.length > 1 ? `${unit.name} also listens to ${queueList(unit.queues.filter((x) => x !== q.queue))}: its replicas carry those queues too` : undefined;
  return (
    <tr data-testid={`capacity-row-${q.queue}`}>
      <td className="whitespace-nowrap px-2 py-1.5 pl-4 font-mono">
        #{q.queue}
        <span className="ml-2 font-sans text-xs text-zinc-500">{q.roles.join(', ')}</span>
      </td>
      <td className="whitespace-nowrap px-2 py-1.5 text-xs" title={shared}>
        {unit ? (
          <>
            <span className="font-mono font-medium">{unit.name}</span>{' '}
            <span className="text-zinc-500">
              {unit.processes} × {unit.desired}
            </span>
            {shared ? <span className="ml-1 text-amber-600">*</span> : null}
          </>
        ) : (
          <span className="text-red-600 dark:text-red-400">no unit</span>
        )}
      </td>
      <td className={`${num} text-zinc-500`} data-testid={`capacity-${q.queue}-samples`}>
        {q.samples}
      </td>
      <td className={num} data-testid={`capacity-${q.queue}-mean`}>
        {formatDuration(q.meanMs)}
      </td>
      <td className={num} data-testid={`capacity-${q.queue}-p90`}>
        {formatDuration(q.p90Ms)}
      </td>
      <td className={num} data-testid={`capacity-${q.queue}-load`}>
        {formatRate(q.tasksPerMinute)}
      </td>
      <td className={num} data-testid={`capacity-${q.queue}-per-replica`}>
        {perReplica > 0 ? formatRate(perReplica) : '—'}
      </td>
      <td className={num} data-testid={`capacity-${q.queue}-needed`}>
        {neededText(nowNeeded)}
      </td>
      <td className="px-2 py-1">
        <TextInput
          className="!h-7 !w-20 text-right tabular-nums"
          inputMode="decimal"
          value={target}
          onChange={(e) => onTarget(e.target.value)}
          placeholder="—"
          aria-label={`Target load of queue ${q.queue} in tasks per minute`}
          data-testid={`capacity-${q.queue}-target`}
        />
      </td>
      <td className={`${num} ${targetValid && perReplica > 0 ? 'font-semibold' : ''}`} data-testid={`capacity-${q.queue}-target-replicas`}>
        {targetValid ? (
          perReplica > 0 ? (
            neededText(forTarget)
          ) : (
            <span className="text-zinc-400" title="No measured duration yet: run some tasks on this queue">
              no T yet
            </span>
          )
        ) : (
          '—'
        )}
      </td>
      <td className="px-2 py-1 pr-4 text-right">
        <Button
          size="sm"
          variant={canApply ? 'primary' : 'secondary'}
          disabled={!canApply}
          onClick={() => unit && forTarget !== null && onApply({ op: 'scale', unit: unit.name, replicas: forTarget })}
          title={managed ? undefined : 'Scaling needs a Docker endpoint (FUNC_DOCKER_HOST)'}
          data-testid={`capacity-${q.queue}-apply`}
        >
          Apply
        </Button>
      </td>
    </tr>
  );
}

export function CapacityPlanner({ report, units, managed, busy, windowMinutes, onWindow, onApply }: CapacityPlannerProps): ReactNode {
  const [basis, setBasis] = useState<Basis>('mean');
  const [targets, setTargets] = useState<Record<number, string>>({});
  const rows = report.queues.filter((q) => q.samples > 0 || q.roles.length > 0 || units.some((u) => u.queues.includes(q.queue)));
  const controls = (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-zinc-200 px-4 py-2 text-xs text-zinc-500 dark:border-zinc-800">
      <label className="flex items-center gap-1.5 whitespace-nowrap">
        Measured over
        <Select className="!h-8 w-40 text-xs" value={windowMinutes} onChange={(e) => onWindow(Number(e.target.value))} data-testid="capacity-window">
          {WINDOWS.map(([m, label]) => (
            <option key={m} value={m}>
              {label}
            </option>
          ))}
        </Select>
      </label>
      <label className="flex items-center gap-1.5 whitespace-nowrap">
        T is the
        <Select className="!h-8 w-24 text-xs" value={basis} onChange={(e) => setBasis(e.target.value === 'p90' ? 'p90' : 'mean')} data-testid="capacity-basis">
          <option value="mean">mean</option>
          <option value="p90">p90</option>
        </Select>
        task duration
      </label>
      <span className="ml-auto">Type a target load to see the replicas it needs.</span>
    </div>
  );
  return (
    <Card title="Replicas per queue" className="min-w-0" testId="capacity-card">
      {controls}
      <div className="overflow-x-auto">
        <table className="sticky-last-col w-full text-left text-sm" data-testid="capacity-table">
          <thead className="border-b border-zinc-200 bg-zinc-50 text-[11px] uppercase tracking-wider text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900/60">
            <tr>
              <th className={`${th} pl-4`}>Queue</th>
              <Head label="Unit" unit="processes × replicas" right={false} />
              <Head label="Tasks" unit="finished" />
              <Head label="T mean" />
              <Head label="T p90" />
              <Head label="Load" unit="tasks/min" title="Finished tasks per minute over the window" />
              <Head label="A" unit="per replica/min" title="Capacity per replica: processes × 60000 ÷ T" />
              <Head label="Needed" unit="now" title="Replicas needed now: ceil(load ÷ A)" />
              <Head label="Target" unit="tasks/min" right={false} />
              <Head label="Needed" unit="for target" title="Replicas needed for the target: ceil(target ÷ A)" />
              <th className={th} />
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {rows.map((q) => (
              <Row
                key={q.queue}
                q={q}
                units={units}
                basis={basis}
                target={targets[q.queue] ?? ''}
                onTarget={(v) => setTargets((t) => ({ ...t, [q.queue]: v }))}
                managed={managed}
                busy={busy}
                onApply={onApply}
              />
            ))}
          </tbody>
        </table>
      </div>
      <p className="border-t border-zinc-200 px-4 py-2.5 text-xs text-zinc-500 dark:border-zinc-800">
        {report.queues.reduce((a, q) => a + q.samples, 0) === 0
          ? 'No task has finished in this window yet: T and the capacity appear once tasks run.'
          : `T is measured from start to end of each finished task; load = finished tasks per minute over the ${formatNumber(windowMinutes, 0)} minutes.`}
        {managed ? ' Apply scales the queue’s unit to the replicas needed for the target, after a preview.' : ' Apply needs a Docker endpoint (FUNC_DOCKER_HOST).'}
      </p>
    </Card>
  );
}
