/**
 * CPU time and resident memory of whole process trees (a role and its Python runners), from
 * /proc: what a footprint or idle-cost measurement sums. Linux only.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { processTree } from '../backend/src/adapters/python/process-tree.js';

const TICKS_PER_S = 100;
const PAGE_KB = 4;

export interface TreeUsage {
  processes: number;
  /** User + system CPU time, ms, of the processes alive now (10 ms ticks). */
  cpuMs: number;
  rssMb: number;
}

function readStat(pid: number): { cpuMs: number; rssMb: number } | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // After "pid (comm) ": state is field 0, utime 11, stime 12, rss (pages) 21.
    return { cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S, rssMb: (Number(fields[21]) * PAGE_KB) / 1024 };
  } catch {
    return undefined; // exited meanwhile
  }
}

/** CPU time (ms, 10 ms ticks) of the exited children `pid` has waited for (cutime + cstime). */
export function reapedChildrenCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_S;
  } catch {
    return 0;
  }
}

/** CPU and RSS summed over the trees under `roots`. */
export function treeUsage(roots: readonly number[]): TreeUsage {
  const usage: TreeUsage = { processes: 0, cpuMs: 0, rssMb: 0 };
  for (const pid of new Set(roots.flatMap((r) => processTree(r)))) {
    const s = readStat(pid);
    if (!s) continue;
    usage.processes += 1;
    usage.cpuMs += s.cpuMs;
    usage.rssMb += s.rssMb;
  }
  return usage;
}

/** The share of one core the trees under `roots` used over `ms` of wall time (processes alive throughout). */
export async function idleCpuShare(roots: readonly number[], ms: number): Promise<{ share: number; before: TreeUsage; after: TreeUsage }> {
  const before = treeUsage(roots);
  await new Promise((r) => setTimeout(r, ms));
  const after = treeUsage(roots);
  return { share: (after.cpuMs - before.cpuMs) / ms, before, after };
}

/** The pid of the first running program of these names (`pidof -s`), e.g. a shared redis-server. */
export function pidOf(...names: string[]): number | undefined {
  for (const name of names) {
    const r = spawnSync('pidof', ['-s', name], { encoding: 'utf8' });
    const pid = Number(r.stdout.trim());
    if (r.status === 0 && pid > 0) return pid;
  }
  return undefined;
}

/** CPU ms so far of the process itself, without its children (0 when unknown). */
export function ownCpuMs(pid: number | undefined): number {
  return pid === undefined ? 0 : (readStat(pid)?.cpuMs ?? 0);
}

/**
 * CPU ms so far of a process's descendants (e.g. a worker's fork server and the Python runners
 * forked from it), alive or reaped: each descendant's own time and that of the children it
 * reaped (a runner the fork server reaped is in the fork server's), and those `pid` reaped.
 */
export function childrenCpuMs(pid: number): number {
  const descendants = processTree(pid).filter((p) => p !== pid);
  return treeUsage(descendants).cpuMs + descendants.reduce((sum, p) => sum + reapedChildrenCpuMs(p), 0) + reapedChildrenCpuMs(pid);
}

/** The whole machine's busy and idle CPU ms so far, over all cores (/proc/stat; irq and softirq count as busy). */
export function machineCpuMs(): { busy: number; idle: number } {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const ms = (ticks: number | undefined): number => ((ticks ?? 0) * 1000) / TICKS_PER_S;
  return { busy: ms(user) + ms(nice) + ms(system) + ms(irq) + ms(softirq) + ms(steal), idle: ms(idle) + ms(iowait) };
}
