/** Linux /proc helpers for the process-level tests: descendants of a pid, processes by environment. */
import { readdirSync, readFileSync } from 'node:fs';

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function pids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
}

function parentOf(pid: number): number | undefined {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // "pid (comm) state ppid …": comm may hold spaces, so split after the last ")".
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

export function cmdline(pid: number): string {
  return (read(`/proc/${pid}/cmdline`) ?? '').replaceAll('\0', ' ');
}

export function descendants(root: number): number[] {
  const all = pids().map((pid) => [pid, parentOf(pid)] as const);
  const found: number[] = [];
  let frontier = [root];
  while (frontier.length > 0) {
    const next = all.filter(([, ppid]) => ppid !== undefined && frontier.includes(ppid)).map(([pid]) => pid);
    found.push(...next);
    frontier = next;
  }
  return found;
}

export function alive(pid: number): boolean {
  const stat = read(`/proc/${pid}/stat`);
  return stat !== undefined && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

/** Runner processes (func_runner.py) whose environment holds `needle` (e.g. FUNC_HOME=…). */
export function runnersWithEnv(needle: string): number[] {
  return pids().filter((pid) => cmdline(pid).includes('func_runner.py') && (read(`/proc/${pid}/environ`) ?? '').split('\0').includes(needle));
}
