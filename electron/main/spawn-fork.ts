/** A StackChild from Node's child_process.fork: used without Electron (tests, the web fallback). */
import { fork } from 'node:child_process';
import type { SpawnStack } from './stack-child.js';

export interface ForkOptions {
  /** The stack entry: built JS, or the .ts source with `execArgv: ['--import', 'tsx']`. */
  entry: string;
  execArgv?: string[];
  /** Receives the stack's stdout and stderr. */
  log?: (chunk: string) => void;
}

export function forkSpawner(opts: ForkOptions): SpawnStack {
  return (env) => {
    const child = fork(opts.entry, [], { env, execArgv: opts.execArgv ?? [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    const log = opts.log ?? ((): void => undefined);
    child.stdout?.on('data', (d: Buffer) => log(d.toString()));
    child.stderr?.on('data', (d: Buffer) => log(d.toString()));
    return {
      pid: child.pid,
      kill: (signal) => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      },
      onMessage: (l) => child.on('message', l),
      onExit: (l) => {
        if (child.exitCode !== null || child.signalCode !== null) l(child.exitCode);
        else child.once('exit', (code) => l(code));
      },
    };
  };
}
