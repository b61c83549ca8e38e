/**
 * Summarize V8 CPU profiles written with BENCH_CPU_PROF=dir: busy vs idle time, and self time
 * by package/file and by function. Usage: tsx bench/profile-summary.ts file.cpuprofile [...]
 * PROF_FROM_S / PROF_TO_S keep only the samples taken in that window (seconds from the profile's
 * start), e.g. the steady phase of a bench without the start-up.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function where(url: string): string {
  if (url === '') return '(native/vm)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0)
    return url
      .slice(nm + 13)
      .split('/')
      .slice(0, url.slice(nm + 13).startsWith('@') ? 2 : 1)
      .join('/');
  if (url.startsWith('node:')) return url;
  const i = url.indexOf('/backend/src/');
  return i >= 0 ? url.slice(i + 1) : basename(url);
}

function top(map: Map<string, number>, total: number, n: number): string[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `    ${(v / 1000).toFixed(0).padStart(7)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
}

for (const file of process.argv.slice(2)) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const from = Number(process.env.PROF_FROM_S ?? 0) * 1e6;
  const to = Number(process.env.PROF_TO_S ?? Infinity) * 1e6;
  let at = 0;
  p.samples.forEach((id, i) => {
    at += p.timeDeltas[i] ?? 0;
    if (at >= from && at < to) self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  let total = 0;
  let idle = 0;
  const byFile = new Map<string, number>();
  const byFn = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    total += us;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    const f = functionName === '(garbage collector)' || functionName === '(program)' ? functionName : where(url);
    byFile.set(f, (byFile.get(f) ?? 0) + us);
    const fn = `${functionName || '(anonymous)'} ${where(url)}:${lineNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
  }
  const busy = total - idle;
  // Inclusive time of Func's own functions and of the packages they call (each sample counted once per name).
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const { functionName, url, lineNumber } = byId.get(cur)!.callFrame;
      const w = where(url);
      const name = w.startsWith('backend/src/') ? `${functionName || '(anonymous)'} ${w}:${lineNumber + 1}` : w.startsWith('node:') || w.startsWith('(') ? '' : `[${w}]`;
      if (name && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + us);
      }
    }
  }
  console.log(`${basename(file)}: ${(total / 1e6).toFixed(1)} s sampled, busy ${(busy / 1e6).toFixed(1)} s (${((100 * busy) / total).toFixed(0)}%)`);
  console.log('  self time by package/file (share of busy):');
  console.log(top(byFile, busy, 15).join('\n'));
  console.log('  self time by function:');
  console.log(top(byFn, busy, 20).join('\n'));
  console.log('  inclusive time of Func functions and packages:');
  console.log(top(inclusive, busy, 30).join('\n'));
}
