/** The seed's formula as a calculator (prefilled with its worked example) and its tables, computed. */
import { useState, type ReactNode } from 'react';
import { capacityPerReplica, replicasNeeded } from '@contract/capacity';
import { Field, TextInput } from '../../ui/Field';
import { Card } from '../../ui/Page';
import { formatNumber } from './format';

const SEED_TIMES = [300, 500, 800, 1000, 2000, 3000];
const SEED_LOADS = [1000, 5000, 10_000];
const SEED_PROCESSES = 5;

function positive(text: string): number | null {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) && n > 0 ? n : null;
}

export function CapacityCalculator(): ReactNode {
  const [load, setLoad] = useState('1000');
  const [ms, setMs] = useState('500');
  const [processes, setProcesses] = useState('5');
  const m = positive(load);
  const t = positive(ms);
  const p = positive(processes);
  const perReplica = t !== null && p !== null ? capacityPerReplica(p, t) : null;
  const needed = perReplica !== null && m !== null ? replicasNeeded(m, perReplica) : null;
  return (
    <Card title="The formula" testId="capacity-calculator">
      <div className="space-y-4 p-4">
        <p className="text-xs text-zinc-500">
          A replica with <i>P</i> processes running tasks of <i>T</i> ms completes <i>A</i> = <i>P</i> × 60000 ÷ <i>T</i> tasks a minute;
          <i> M</i> tasks a minute need ⌈<i>M</i> ÷ <i>A</i>⌉ replicas.
        </p>
        <div className="grid grid-cols-3 gap-3">
          <Field label="M (tasks/min)">
            <TextInput value={load} onChange={(e) => setLoad(e.target.value)} inputMode="decimal" data-testid="calc-load" />
          </Field>
          <Field label="T (ms)">
            <TextInput value={ms} onChange={(e) => setMs(e.target.value)} inputMode="decimal" data-testid="calc-ms" />
          </Field>
          <Field label="P (processes)">
            <TextInput value={processes} onChange={(e) => setProcesses(e.target.value)} inputMode="numeric" data-testid="calc-processes" />
          </Field>
        </div>
        <p className="rounded-md bg-indigo-50 px-3 py-2.5 text-sm text-indigo-900 dark:bg-indigo-950/50 dark:text-indigo-200" data-testid="capacity-example">
          {m !== null && t !== null && p !== null && perReplica !== null && needed !== null
            ? `${formatNumber(m)} tasks/min at ${formatNumber(t)} ms with ${formatNumber(p)} processes → ${formatNumber(perReplica)} tasks/min per replica → ${needed} replica${needed === 1 ? '' : 's'}`
            : 'Give M, T and P as positive numbers.'}
        </p>
        <div>
          <p className="mb-1.5 text-xs font-semibold text-zinc-500">The seed’s tables, computed ({SEED_PROCESSES} processes per replica): replicas needed</p>
          <table className="w-full text-right text-xs tabular-nums" data-testid="seed-table">
            <thead className="text-zinc-500">
              <tr>
                <th className="py-1 pr-2 text-left font-semibold">M \ T</th>
                {SEED_TIMES.map((ms_) => (
                  <th key={ms_} className="px-1.5 py-1 font-semibold">
                    {formatNumber(ms_)} ms
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              <tr className="text-zinc-500">
                <td className="py-1 pr-2 text-left">A /min</td>
                {SEED_TIMES.map((ms_) => (
                  <td key={ms_} className="px-1.5 py-1">
                    {formatNumber(capacityPerReplica(SEED_PROCESSES, ms_))}
                  </td>
                ))}
              </tr>
              {SEED_LOADS.map((m_) => (
                <tr key={m_} data-testid={`seed-row-${m_}`}>
                  <td className="py-1 pr-2 text-left text-zinc-500">{formatNumber(m_)}</td>
                  {SEED_TIMES.map((ms_) => (
                    <td key={ms_} className="px-1.5 py-1 font-medium">
                      {replicasNeeded(m_, capacityPerReplica(SEED_PROCESSES, ms_))}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </Card>
  );
}
