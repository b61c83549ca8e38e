/** Tasks finished per second, one line per queue that has done work (hand-rolled SVG). */
import type { ReactNode } from 'react';
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

const W = 640;
const H = 180;
const PAD = { l: 36, r: 8, t: 10, b: 20 };

function niceMax(v: number): number {
  if (v <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return Math.ceil(v / p) * p;
}

export function ThroughputChart({ history, metric, label }: { history: Sample[]; metric: 'throughput' | 'length'; label: string }): ReactNode {
  const queues = [...new Set(history.flatMap((s) => Object.keys(s[metric]).map(Number)))].filter((q) => history.some((s) => (s[metric][q] ?? 0) > 0)).sort((a, b) => a - b);
  const max = niceMax(Math.max(0, ...history.flatMap((s) => queues.map((q) => s[metric][q] ?? 0))));
  const n = Math.max(history.length - 1, 1);
  const x = (i: number): number => PAD.l + (i / n) * (W - PAD.l - PAD.r);
  const y = (v: number): number => PAD.t + (1 - v / max) * (H - PAD.t - PAD.b);
  const ticks = [0, max / 2, max];
  return (
    <div data-testid={`chart-${metric}`}>
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-label={label}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.l} x2={W - PAD.r} y1={y(t)} y2={y(t)} className="stroke-zinc-200 dark:stroke-zinc-800" strokeWidth={1} />
            <text x={PAD.l - 6} y={y(t) + 3} textAnchor="end" className="fill-zinc-400 text-[10px]">
              {Number.isInteger(t) ? t : t.toFixed(1)}
            </text>
          </g>
        ))}
        {queues.map((q) => (
          <polyline
            key={q}
            fill="none"
            stroke={QUEUE_COLORS[q % QUEUE_COLORS.length]}
            strokeWidth={1.75}
            strokeLinejoin="round"
            points={history.map((s, i) => `${x(i).toFixed(1)},${y(s[metric][q] ?? 0).toFixed(1)}`).join(' ')}
          />
        ))}
        <text x={PAD.l} y={H - 4} className="fill-zinc-400 text-[10px]">
          {history.length}s ago
        </text>
        <text x={W - PAD.r} y={H - 4} textAnchor="end" className="fill-zinc-400 text-[10px]">
          now
        </text>
      </svg>
      <div className="mt-2 flex min-h-5 flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-500">
        {queues.length === 0 ? (
          <span>No activity in the last {history.length} s</span>
        ) : (
          queues.map((q) => (
            <span key={q} className="inline-flex items-center gap-1.5">
              <span className="size-2 rounded-full" style={{ background: QUEUE_COLORS[q % QUEUE_COLORS.length] }} />
              queue #{q}
            </span>
          ))
        )}
      </div>
    </div>
  );
}
