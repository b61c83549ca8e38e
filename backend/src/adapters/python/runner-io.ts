/**
 * How a runner process is reached, whichever way it was started: spawned by this process (a new
 * interpreter, `spawnRunner`) or forked by the fork server (fork-server.ts). RunnerProcess
 * speaks the frame protocol over it and needs nothing else of the process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { runnerEnv, type RunnerUser } from './runner-env.js';

export interface RunnerIo {
  /** The OS process id; -1 while unknown (a fork server has not answered yet) or never started. */
  readonly pid: number;
  /** Frames to Python. Between `cork` and `uncork`, writes leave in one system call. */
  write(frame: Buffer): void;
  cork(): void;
  uncork(): void;
  /** No more frames: Python reads EOF and exits. */
  end(): void;
  kill(signal: NodeJS.Signals): void;
  onData(cb: (chunk: Buffer) => void): void;
  /** Python's side of the channel is closed (it exited, or is exiting). */
  onOutputClose(cb: () => void): void;
  onStderr(cb: (chunk: Buffer) => void): void;
  /** Once, when the process has ended (both null: it never started). */
  onExit(cb: (code: number | null, signal: NodeJS.Signals | null) => void): void;
  /** Why it could not be started or reached; an `onExit` follows when it never started. */
  onError(cb: (err: Error) => void): void;
}

/** What a runner is started with, however it is started. */
export interface RunnerLaunch {
  python: string;
  /** Absolute path of `func_runner.py`. */
  script: string;
  /** func_runner_core.main's arguments (the memory limit, the resources folders). */
  args: string[];
  env?: NodeJS.ProcessEnv;
  user?: RunnerUser;
  passEnv?: readonly string[];
}

/** The environment and ids a runner (or the fork server) is started with. */
export function launchSettings(launch: RunnerLaunch): { env: NodeJS.ProcessEnv; ids: { uid?: number; gid?: number; cwd?: string } } {
  const env = { ...(launch.env ?? runnerEnv(process.env, { user: launch.user, extra: launch.passEnv })) };
  env.MALLOC_ARENA_MAX ??= '2'; // keeps RLIMIT_AS meaningful with threads
  env.PYTHONIOENCODING ??= 'utf-8';
  // As another user, start in the runtime's folder: this process's own may be closed to that user.
  const ids = launch.user ? { uid: launch.user.uid, gid: launch.user.gid, cwd: dirname(launch.script) } : {};
  return { env, ids };
}

// Processes killed when the Node process exits (best effort: 'exit' handlers must be synchronous).
const live = new Set<{ kill(signal: NodeJS.Signals): void }>();
let exitHookInstalled = false;

/** SIGKILL `p` if this Node process exits while it lives; the returned function forgets it. */
export function killOnExit(p: { kill(signal: NodeJS.Signals): void }): () => void {
  live.add(p);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of live) {
        try {
          c.kill('SIGKILL');
        } catch {
          // already gone
        }
      }
    });
  }
  return () => live.delete(p);
}

/** A new interpreter: `python -B func_runner.py …`, fd 3 and 4 the channel. */
export function spawnRunner(launch: RunnerLaunch): RunnerIo {
  const { env, ids } = launchSettings(launch);
  const child: ChildProcess = spawn(launch.python, ['-B', launch.script, ...launch.args], { stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'], env, ...ids });
  const forget = killOnExit(child);
  const input = child.stdio[3] as Writable;
  const output = child.stdio[4] as Readable;
  input.on('error', () => undefined); // EPIPE when the child died: handled by 'exit'
  output.on('error', () => undefined);
  child.stdout?.resume();
  let onError: (err: Error) => void = () => undefined;
  let onExit: (code: number | null, signal: NodeJS.Signals | null) => void = () => undefined;
  child.once('exit', (code, signal) => {
    forget();
    onExit(code, signal);
  });
  child.once('error', (err) => {
    onError(err);
    // A spawn error (ENOENT…) emits no 'exit'.
    if (child.pid === undefined) {
      forget();
      onExit(null, null);
    }
  });
  return {
    get pid() {
      return child.pid ?? -1;
    },
    write: (frame) => input.write(frame),
    cork: () => input.cork(),
    uncork: () => input.uncork(),
    end: () => input.end(),
    kill: (signal) => {
      child.kill(signal);
    },
    onData: (cb) => output.on('data', cb),
    onOutputClose: (cb) => output.once('close', cb),
    onStderr: (cb) => child.stderr?.on('data', cb),
    onExit: (cb) => {
      onExit = cb;
    },
    onError: (cb) => {
      onError = cb;
    },
  };
}
