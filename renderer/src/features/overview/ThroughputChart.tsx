/** Tasks finished per second (or waiting), one line per queue that has done work, on uPlot. */
import type { ReactNode } from 'react';
import { TimeChart, type TimeSeries } from '../../ui/TimeChart';
import type { Sample } from './use-topology';

export const QUEUE_COLORS = [
  '#6366f1',
  '#10b981',
  '#f59e0b',
  '#ef4444',
  '#06b6d4',
  '#a855f7',
  '#84cc16',
  '#ec4899',
  '#14b8a6',
  '#f97316',
  '#3b82f6',
  '#eab308',
  '#8b5cf6',
  '#22c55e',
  '#e11d48',
  '#0ea5e9',
];

export function ThroughputChart({ history, metric, label }: { history: Sample[]; metric: 'throughput' | 'length'; label: string }): ReactNode {
  const queues = [...new Set(history.flatMap((s) => Object.keys(s[metric]).map(Number)))].filter((q) => history.some((s) => (s[metric][q] ?? 0) > 0)).sort((a, b) => a - b);
  const series = queues.map((q): TimeSeries => ({ label: `#${q}`, color: QUEUE_COLORS[q % QUEUE_COLORS.length]!, values: history.map((s) => s[metric][q] ?? 0) }));
  return (
    <div data-testid={`chart-${metric}`} data-series={queues.length} data-samples={history.length}>
      <TimeChart times={history.map((s) => s.time)} series={series} label={label} height={180} minSpanS={60} />
      {queues.length === 0 ? <div className="mt-2 text-xs text-zinc-500">No activity in the last {history.length} s</div> : null}
    </div>
  );
}
