/** Percentiles and a printed table: every benchmark prints its numbers beside its baseline. */

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export interface Row {
  name: string;
  p50: number;
  p99: number;
  n: number;
  note?: string;
}

export function summarize(name: string, latencies: number[], note?: string): Row {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { name, p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: sorted.length, ...(note ? { note } : {}) };
}

export function printTable(title: string, rows: Row[], baseline: Row): void {
  console.log(`\n${title}`);
  console.log(`${'measurement'.padEnd(46)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'p50 ×floor'.padStart(11)} ${'n'.padStart(7)}  note`);
  for (const r of rows) {
    const ratio = r === baseline ? '1.0' : (r.p50 / baseline.p50).toFixed(1);
    console.log(`${r.name.padEnd(46)} ${r.p50.toFixed(3).padStart(9)} ${r.p99.toFixed(3).padStart(9)} ${ratio.padStart(11)} ${String(r.n).padStart(7)}  ${r.note ?? ''}`);
  }
}
