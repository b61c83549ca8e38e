/**
 * A command that fails after its flags and settings were accepted (a folder it cannot create, a
 * database or Redis it cannot reach, an address it cannot listen on): one line per cause, no
 * stack (FUNC_LOG_LEVEL=debug adds it), with the setting to look at where the cause names one.
 */
import { inspect } from 'node:util';

interface SystemError extends Error {
  code?: string;
  syscall?: string;
}

/** The setting a system error points at, when its system call says which. */
function hint(err: SystemError): string | undefined {
  if (err.syscall === 'listen' || err.code === 'EADDRINUSE' || err.code === 'EADDRNOTAVAIL') return 'check FUNC_HOST / FUNC_PORT (--host / --port)';
  if (err.syscall?.startsWith('spawn')) return 'check FUNC_PYTHON (an absolute path to python3)';
  if (err.syscall === 'mkdir' || err.syscall === 'open') return 'check FUNC_HOME (--home) and the folders under it';
  return undefined;
}

export function describeStartFailure(err: unknown, debug = process.env.FUNC_LOG_LEVEL === 'debug'): string {
  const lines: string[] = [];
  const seen = new Set<unknown>();
  const add = (e: unknown, depth: number): void => {
    if (e === undefined || e === null || seen.has(e) || depth > 4) return;
    seen.add(e);
    // An AggregateError without a message of its own (a connect to each address tried) is just its errors.
    const message = e instanceof Error ? e.message || (e instanceof AggregateError ? '' : e.name) : typeof e === 'string' ? e : JSON.stringify(e);
    const h = e instanceof Error ? hint(e) : undefined;
    const shown = message ? lines.findIndex((l) => l.includes(message)) : -1;
    if (message && shown < 0) lines.push(h ? `${message} (${h})` : message);
    // A cause whose text its wrapper repeats (`… could not be started: spawn /x ENOENT`): its hint goes on that line.
    else if (h && shown >= 0 && !lines[shown]!.includes(h)) lines[shown] = `${lines[shown]!} (${h})`;
    if (e instanceof AggregateError) for (const inner of e.errors) add(inner, depth + 1);
    if (e instanceof Error) add(e.cause, depth + 1);
  };
  add(err, 0);
  const text = lines.length > 0 ? lines.join('\n  because: ') : 'failed';
  return debug ? `${text}\n${inspect(err, { depth: 4 })}` : text;
}
