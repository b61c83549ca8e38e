/** A StackChild from Electron's utilityProcess (the stack runs as a Node process Electron owns). */
import type { UtilityProcess } from 'electron';
import type { SpawnStack } from './stack-child.js';

/** The one function of Electron's `utilityProcess` module used here, passed in. */
export type UtilityFork = (modulePath: string, args: string[], options: { env: Record<string, string>; stdio: 'pipe'; serviceName: string }) => UtilityProcess;

export function utilitySpawner(utilityFork: UtilityFork, entry: string, log: (chunk: string) => void): SpawnStack {
  return (env) => {
    const child = utilityFork(entry, [], { env, stdio: 'pipe', serviceName: 'Func stack' });
    child.stdout?.on('data', (d: Buffer) => log(d.toString()));
    child.stderr?.on('data', (d: Buffer) => log(d.toString()));
    let exitCode: number | undefined;
    child.once('exit', (code) => (exitCode = code));
    return {
      get pid() {
        return child.pid;
      },
      kill: (signal) => {
        if (exitCode !== undefined) return;
        // utilityProcess.kill() sends SIGTERM; a stuck child is killed by pid.
        if (signal === 'SIGTERM' || child.pid === undefined) child.kill();
        else process.kill(child.pid, 'SIGKILL');
      },
      onMessage: (l) => child.on('message', l),
      onExit: (l) => {
        if (exitCode !== undefined) l(exitCode);
        else child.once('exit', (code) => l(code));
      },
    };
  };
}
