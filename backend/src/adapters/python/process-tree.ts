/**
 * SIGKILL a runner process with everything under it. The runner is a child subreaper
 * (`backend/python/isolation.py`), so the processes a task started, even double-forked `setsid`
 * daemons, are its descendants; killing only the runner (a timeout, the memory limit) would
 * leave them to init. Linux only (/proc/<pid>/task/<tid>/children); elsewhere just the process.
 */
import { readFileSync, readdirSync } from 'node:fs';

function childrenOf(pid: number): number[] {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const tid of tids) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1');
    } catch {
      continue;
    }
    for (const p of text.split(' ')) {
      const n = parseInt(p, 10);
      if (n > 0) out.push(n);
    }
  }
  return out;
}

/** `pid` and every process below it that `enter` takes (it may act on each): a process it refuses is left out with its descendants. */
function walkTree(pid: number, enter: (p: number) => boolean): number[] {
  const out: number[] = [];
  const seen = new Set<number>();
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    if (!enter(p)) continue;
    out.push(p);
    stack.push(...childrenOf(p));
  }
  return out;
}

/** `pid` and every process below it (a snapshot; processes may come and go while it walks). */
export const processTree = (pid: number): number[] => walkTree(pid, () => true);

function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stop the process and its descendants top down (a stopped process forks no more, so none
 * escapes the walk), then SIGKILL them all. Synchronous: a few /proc reads per process.
 */
export function killProcessTree(pid: number): void {
  if (!(pid > 0)) return;
  const tree = walkTree(pid, (p) => signal(p, 'SIGSTOP'));
  if (!tree.includes(pid)) tree.push(pid);
  for (const p of tree) signal(p, 'SIGKILL');
}
