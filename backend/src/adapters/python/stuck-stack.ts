/**
 * Where a Python process was when it ran out of time: its stacks as `faulthandler` writes them on
 * SIGUSR2 (func_runner_core.py registers it), read into a Python-style traceback of the runner's
 * main thread with only the frames of user scripts (`File "<set__script>"`, as the runtime's own
 * tracebacks keep them), and the line of the innermost frame of one script. DataFlux Func's SIGALRM
 * timeout raises inside the function, so its traceback shows that line; without this a timeout said
 * nothing of where.
 */
import { SCRIPT_ID } from '../../../../contract/common.js';

const FRAME = /^\s+File "(.*)", line (\d+) in (.*)$/;
const THREAD = /^(?:Current thread|Thread) 0x[0-9a-f]+/i;
/** The runner's loop, in its main thread's stack (and in no thread a script starts). */
const inRunnerLoop = (f: Frame): boolean => f.name === 'loop' && f.file.endsWith('func_runner_core.py');

export type StuckAt = { traceback: string; line?: number };

interface Frame {
  file: string;
  line: number;
  name: string;
}

/** The dump's threads, each its frames outermost first. */
function threads(dump: string): Frame[][] {
  const all: Frame[][] = [];
  let current: Frame[] | undefined;
  for (const text of dump.split('\n')) {
    if (THREAD.test(text)) all.push((current = []));
    const m = FRAME.exec(text);
    if (m && current) current.unshift({ file: m[1]!, line: Number(m[2]), name: m[3]! });
  }
  return all;
}

const isScript = (f: Frame): boolean => f.file.startsWith('<') && f.file.endsWith('>') && SCRIPT_ID.test(f.file.slice(1, -1));

/**
 * `dump`: what the process wrote to stderr after the signal. The main thread is the one in the
 * runner's loop, else the last listed (faulthandler lists at most 100 threads, 100 frames each).
 * Null when it holds no frame of a script. `scriptId`: the line is that script's (an import),
 * else the innermost script's.
 */
export function stuckAt(dump: string, scriptId?: string): StuckAt | null {
  // A stack deeper than faulthandler's 100 frames loses its loop frame: then the last thread,
  // which CPython lists last as the oldest (the main one).
  const all = threads(dump);
  const main = all.find((t) => t.some(inRunnerLoop)) ?? all.at(-1);
  const mine = main?.filter(isScript) ?? [];
  if (mine.length === 0) return null;
  const traceback = `Traceback (most recent call last):\n${mine.map((f) => `  File "${f.file}", line ${f.line}, in ${f.name}\n`).join('')}`;
  const last = (scriptId === undefined ? mine : mine.filter((f) => f.file === `<${scriptId}>`)).at(-1);
  return last ? { traceback, line: last.line } : { traceback };
}
