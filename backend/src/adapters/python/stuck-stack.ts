/**
 * Where a Python process was when it ran out of time: its stacks as `faulthandler` writes them on
 * SIGUSR2 (func_runner_core.py registers it), read into a Python-style traceback of the main
 * thread from the first frame of a script (`File "<set__script>"`) on, and the line of the
 * innermost frame of one script. DataFlux Func's SIGALRM timeout raises inside the function, so
 * its traceback shows that line; without this a timeout said nothing of where.
 */

const FRAME = /^\s+File "(.*)", line (\d+) in (.*)$/;
const THREAD = /^(?:Current thread|Thread) 0x[0-9a-f]+/i;

export type StuckAt = { traceback: string; line?: number };

/**
 * `dump`: what the process wrote to stderr after the signal. The main thread is the last block
 * (CPython lists threads newest first). Null when no frame of a script is in it.
 */
export function stuckAt(dump: string, scriptId?: string): StuckAt | null {
  let block: string[] = [];
  for (const line of dump.split('\n')) {
    if (THREAD.test(line)) block = [];
    else block.push(line);
  }
  const frames = block
    .map((l) => FRAME.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ file: m[1]!, line: Number(m[2]), name: m[3]! }))
    .reverse();
  const first = frames.findIndex((f) => f.file.startsWith('<'));
  if (first < 0) return null;
  const mine = frames.slice(first);
  const inScript = scriptId === undefined ? mine.filter((f) => f.file.startsWith('<')) : mine.filter((f) => f.file === `<${scriptId}>`);
  const traceback = `Traceback (most recent call last):\n${mine.map((f) => `  File "${f.file}", line ${f.line}, in ${f.name}\n`).join('')}`;
  const last = inScript.at(-1);
  return last ? { traceback, line: last.line } : { traceback };
}
