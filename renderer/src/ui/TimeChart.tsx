/**
 * A live time-series chart on uPlot (canvas, small and fast): x is epoch seconds, one series per
 * line, optional second y axis. The chart is created once per set of series and fed new data
 * with setData; it follows its container's width.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatTime } from './format';

export interface TimeSeries {
  label: string;
  color: string;
  /** Values aligned with the x values; null leaves a gap. */
  values: (number | null)[];
  /** Draw on the right-hand axis ('y2') instead of the left one. */
  axis?: 'y' | 'y2';
  /** A stepped line (replicas), instead of a straight one. */
  stepped?: boolean;
  dash?: number[];
}

export interface TimeChartProps {
  /** Epoch milliseconds. */
  times: number[];
  series: TimeSeries[];
  height?: number;
  /** Labels of the left and (when a series uses it) right axes. */
  yLabel?: string;
  y2Label?: string;
  label: string;
  testId?: string;
  /** Fix the left axis' minimum range (e.g. [0, 1] so an idle chart is not a flat line in the middle). */
  minMax?: number;
  /** A live chart's least time span, ending at its latest point: its first seconds read as seconds, not as ":24.200". */
  minSpanS?: number;
}

/**
 * The chart's data (x in epoch seconds, then one column per series). With `minSpanS`, data spanning
 * less than that gets a first point `minSpanS` before its latest one, with no values (a gap): a
 * live chart's first seconds read as seconds, not as ":24.200".
 */
export function alignedData(xs: number[], columns: (number | null)[][], minSpanS?: number): [number[], ...(number | null)[][]] {
  const last = xs[xs.length - 1];
  if (minSpanS === undefined || last === undefined || last - xs[0]! >= minSpanS) return [xs, ...columns];
  return [[last - minSpanS, ...xs], ...columns.map((c) => [null, ...c])];
}

/** Epoch seconds as the local clock time, 12:54:50. */
export function clockTime(s: number): string {
  return new Date(s * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

/**
 * A time axis' tick labels on the console's 24-hour clock (uPlot's defaults are 12-hour, "8am"):
 * seconds when the ticks are less than a minute apart, a midnight tick of a chart spanning days
 * as the date (`12-08`).
 */
export function timeAxisLabels(splits: readonly number[], incrS: number): string[] {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return splits.map((s) => {
    const d = new Date(s * 1000);
    if (incrS < 60) return clockTime(s);
    if (incrS >= 3600 && d.getHours() === 0 && d.getMinutes() === 0) return `${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  });
}

/**
 * A value axis' width: its longest tick label as measured, plus the ticks, the gap and its title.
 * A fixed width clipped "10,000" to "0,000" on the left.
 */
export function valueAxisSize(values: readonly string[] | undefined, measure: (text: string) => number, extra: number): number {
  const longest = Math.max(0, ...(values ?? []).map(measure));
  return Math.max(30, Math.ceil(longest + extra));
}

/** uPlot's `size` for a value axis, measuring its labels in the axis font. */
function autoSize(labelSize: number): uPlot.Axis.Size {
  return (u, values, axisIdx, cycleNum) => {
    const axis = u.axes[axisIdx]!;
    // Once the labels settle uPlot asks again; the size found first stands (no resize loop).
    if (cycleNum > 1) return (axis as { _size?: number })._size ?? 44;
    u.ctx.font = axis.font?.[0] ?? '12px system-ui';
    const pxRatio = window.devicePixelRatio || 1;
    return valueAxisSize(values, (t) => u.ctx.measureText(t).width / pxRatio, (axis.ticks?.size ?? 10) + (axis.gap ?? 5) + labelSize + 4);
  };
}

function isDark(): boolean {
  return document.documentElement.classList.contains('dark');
}

export function TimeChart({ times, series, height = 180, yLabel, y2Label, label, testId, minMax = 1, minSpanS }: TimeChartProps): ReactNode {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = series.map((s) => `${s.label}|${s.color}|${s.axis ?? 'y'}|${s.stepped ? 1 : 0}`).join(';');
  const hasY2 = series.some((s) => s.axis === 'y2');

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const dark = isDark();
    const grid = { stroke: dark ? '#27272a' : '#e4e4e7', width: 1 };
    const axisColor = dark ? '#a1a1aa' : '#71717a';
    const range = (_u: uPlot, min: number, max: number): [number, number] => [Math.min(0, min), Math.max(minMax, max * 1.1)];
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: true },
        y: { range },
        ...(hasY2 ? { y2: { range } } : {}),
      },
      axes: [
        // The time axis on one line (uPlot's default adds the date below, overlapping) and 24-hour.
        { stroke: axisColor, grid, ticks: grid, space: 70, values: (_u, splits, _i, _space, incr) => timeAxisLabels(splits, incr) },
        { stroke: axisColor, grid, ticks: grid, size: autoSize(yLabel ? 16 : 0), ...(yLabel ? { label: yLabel, labelSize: 16 } : {}) },
        // side 1: the right-hand axis (uPlot.Side is a const enum of its typings).
        // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment
        ...(hasY2
          ? [{ scale: 'y2', side: 1 as const, stroke: axisColor, grid: { show: false }, size: autoSize(y2Label ? 16 : 0), ...(y2Label ? { label: y2Label, labelSize: 16 } : {}) }]
          : []),
      ],
      series: [
        // The legend's time as the console writes times (uPlot's default is 12-hour).
        { value: (_u, v) => (v === null ? '--' : formatTime(v * 1000)) },
        ...series.map((s): uPlot.Series => ({
          label: s.label,
          stroke: s.color,
          width: 1.75,
          scale: s.axis ?? 'y',
          spanGaps: false,
          points: { show: false },
          ...(s.dash ? { dash: s.dash } : {}),
          ...(s.stepped ? { paths: uPlot.paths.stepped!({ align: 1 }) } : {}),
        })),
      ],
    };
    const u = new uPlot(opts, [[], ...series.map(() => [])] as uPlot.AlignedData, el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Re-created only when the set of series changes; data flows in below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape, height, hasY2, yLabel, y2Label, minMax, minSpanS]);

  useEffect(() => {
    plot.current?.setData(
      alignedData(
        times.map((t) => t / 1000),
        series.map((s) => s.values),
        minSpanS,
      ),
    );
  });

  return <div ref={box} className="w-full" role="img" aria-label={label} data-testid={testId} data-points={times.length} />;
}
