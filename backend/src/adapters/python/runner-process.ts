/**
 * One long-lived Python runner process (`backend/python/func_runner.py`). It runs one task at a
 * time, but several may be sent ahead (pipelined, see protocol.py): they run in order, the first
 * one is the running one. When the process dies, the running task fails and the ones sent ahead
 * are handed back (`bounce`) untouched, to run elsewhere.
 */
import { readFileSync } from 'node:fs';
import type { ReplyRoute } from '../../domain/ports/broker.js';
import type { DiscoverOutcome, RunnerHost } from '../../domain/ports/runner.js';
import type { LiveLogSink } from '../../domain/ports/live-logs.js';
import type { TaskMessage, TaskOutcome } from '../../domain/tasks/task.js';
import type { ForkServerLease } from './fork-server.js';
import { FrameDecoder, encodeFrame } from './protocol.js';
import { killProcessTree } from './process-tree.js';
import type { RunnerUser } from './runner-env.js';
import { spawnRunner, type RunnerIo } from './runner-io.js';
import { stuckAt } from './stuck-stack.js';
import type { FromPython, RunTask, ToPython } from './protocol.js';

export type RunnerState = 'starting' | 'idle' | 'busy' | 'dead';

export interface RunnerProcessOptions {
  /** Absolute path of the Python interpreter. */
  python: string;
  /** Absolute path of `func_runner.py`. */
  script: string;
  memoryLimitMb: number;
  /** Passed as `--resources-dir` / `--packages-dir` (DFF.RSRC, sys.path). */
  resourcesDir?: string;
  pythonPackagesDir?: string;
  host: RunnerHost;
  /** The whole environment (default: `runnerEnv(process.env, …)`: an allow-list, no FUNC_* variable). */
  env?: NodeJS.ProcessEnv;
  /** Run as this user (Func started as root); default: Func's own user. */
  user?: RunnerUser;
  /** Names of further variables of Func's environment passed to the runner (never FUNC_*). */
  passEnv?: readonly string[];
  /** Called once when the process becomes unusable (killed, crashed, exiting, retired). */
  onDead?: (proc: RunnerProcess) => void;
  /** The clock tasks' `expiresAt` is measured by (default Date.now). */
  now?: () => number;
  /** Where the `live` batches of running tasks go (the worker's live-log relay). */
  live?: LiveLogSink;
  /** Fork the process from this fork server (fork-server.ts) rather than start an interpreter. */
  forkServer?: ForkServerLease;
}

interface RunJob {
  kind: 'run';
  id: number;
  task: TaskMessage;
  finish: (outcome: TaskOutcome) => void;
  /** The process died before the task started: run it elsewhere. */
  bounce: () => void;
  /** Called when the task starts running in Python (it reached the head of the queue). */
  onStart: ((startTime: number) => void) | undefined;
  logs: string[] | null;
  /** Set when it starts. */
  startTime: number;
  timer: NodeJS.Timeout | undefined;
}

interface DiscoverJob {
  kind: 'discover';
  id: number;
  scriptId: string;
  task: TaskMessage;
  finish: (outcome: DiscoverOutcome) => void;
  timeoutMs: number;
  timer: NodeJS.Timeout | undefined;
}

type Job = RunJob | DiscoverJob;

const MAX_TIMER_MS = 2_147_483_647;
const STDERR_TAIL = 4000;
/** How long a process that ran out of time has to write its stacks (SIGUSR2) before it is killed. */
const STACK_DUMP_WAIT_MS = 300;
/** The most of a stack dump kept (a chatty writer to stderr, or thousands of threads). */
const MAX_STACK_DUMP = 64 * 1024;

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : (JSON.stringify(err) ?? 'unknown error');
}

/** `expiresAt` goes to Python on the real clock (the one Python reads), whatever clock built it. */
function runTaskOf(task: TaskMessage, now: () => number): RunTask {
  const t: RunTask = {
    id: task.id,
    funcId: task.funcId,
    scriptId: task.scriptId,
    funcName: task.funcName,
    kwargs: task.kwargs,
    origin: task.origin,
    originId: task.originId,
    queue: task.queue,
    triggerTime: task.triggerTime,
    expiresAt: task.expiresAt > 0 ? Date.now() + (task.expiresAt - now()) : 0,
  };
  // What the function's _DFF_* globals show (func_runner_core.task_globals).
  if (task.askedEta !== undefined) t.askedEta = task.askedEta;
  if (task.delay !== undefined) t.delay = task.delay;
  if (task.rootTaskId !== undefined) t.rootTaskId = task.rootTaskId;
  if (task.callChain !== undefined) t.callChain = task.callChain;
  if (task.cronExpr !== undefined) t.cronExpr = task.cronExpr;
  if (task.cronJobExecMode !== undefined) t.cronJobExecMode = task.cronJobExecMode;
  if (task.httpRequest !== undefined) t.httpRequest = task.httpRequest;
  if (task.draft === true) t.draft = true;
  return t;
}

function clampTimer(ms: number): number {
  if (!(ms > 0)) return 1;
  return ms > MAX_TIMER_MS ? MAX_TIMER_MS : ms;
}

export class RunnerProcess {
  state: RunnerState = 'starting';
  /** Tasks finished by this process. */
  tasksDone = 0;
  /** Published scripts loaded in the process: script id → md5 (as last reported by Python). */
  readonly loaded = new Map<string, string>();
  /** Resolves on 'ready'; rejects when the process dies first. */
  readonly ready: Promise<void>;
  /** Resolves when the OS process has exited. */
  readonly exited: Promise<void>;
  exitCode: number | null = null;
  /** Became ready once (so a later exit is not a start-up failure). */
  wasReady = false;
  /** Stopped on purpose (recycled, used for a discover), not lost. */
  retired = false;
  exitSignal: NodeJS.Signals | null = null;

  private readonly io: RunnerIo;
  private readonly opts: RunnerProcessOptions;
  /** Sent and not done, in order: the first one is running. */
  private jobs: Job[] = [];
  private nextId = 0;
  private corked = false;
  private stderrTail = '';
  /** What stderr brought since the process was asked for its stacks; null when it was not. */
  private stackDump: string | null = null;
  /** Ends a stack dump under way at once (dumpThenDie): the process killed, its job finished with what came. */
  private endDump: (() => void) | undefined;
  /** What the OS refused when starting the process (a spawn ENOENT/EACCES of FUNC_PYTHON): the start failure's cause. */
  private ioError: Error | undefined;
  private readyResolve!: () => void;
  private readyReject!: (err: Error) => void;
  private deadNotified = false;

  /** The OS process id (-1 until a fork server has answered, or when it never started). */
  get pid(): number {
    return this.io.pid;
  }

  constructor(opts: RunnerProcessOptions) {
    this.opts = opts;
    const args: string[] = [];
    if (opts.memoryLimitMb > 0) args.push('--memory-limit-mb', String(Math.floor(opts.memoryLimitMb)));
    if (opts.resourcesDir !== undefined) args.push('--resources-dir', opts.resourcesDir);
    if (opts.pythonPackagesDir !== undefined) args.push('--packages-dir', opts.pythonPackagesDir);
    this.ready = new Promise<void>((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    this.ready.catch(() => undefined); // observed by the pool when it cares
    const launch = {
      python: opts.python,
      script: opts.script,
      args,
      ...(opts.env ? { env: opts.env } : {}),
      ...(opts.user ? { user: opts.user } : {}),
      ...(opts.passEnv ? { passEnv: opts.passEnv } : {}),
    };
    this.io = opts.forkServer?.fork(args) ?? spawnRunner(launch);
    const io = this.io;
    io.onStderr((chunk: Buffer) => {
      const text = chunk.toString('utf8');
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL);
      if (this.stackDump !== null && this.stackDump.length < MAX_STACK_DUMP) this.stackDump += text;
    });
    const decoder = new FrameDecoder((msg) => this.onMessage(msg as FromPython));
    io.onData((chunk: Buffer) => {
      try {
        decoder.push(chunk);
      } catch (err) {
        this.fail(`protocol error: ${errorMessage(err)}`);
      }
    });
    let outputEnded = false;
    let onOutputEnd: (() => void) | undefined;
    io.onOutputClose(() => {
      outputEnded = true;
      onOutputEnd?.();
    });
    this.exited = new Promise<void>((resolve) => {
      let settled = false;
      const onGone = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (settled) return;
        settled = true;
        this.exitCode = code;
        this.exitSignal = signal;
        // 'exit' can come before the last frames are read: a task that ended just before the
        // crash must get its "done", not be blamed (or handed back) for it. Its pipe closes at
        // exit (close-on-exec keeps it from the function's subprocesses); wait at most 500 ms.
        const finish = (): void => {
          clearTimeout(timer);
          onOutputEnd = undefined;
          this.onExit();
          resolve();
        };
        const timer = setTimeout(finish, outputEnded ? 0 : 500);
        if (!outputEnded) onOutputEnd = finish;
      };
      io.onExit(onGone);
      io.onError((err) => {
        this.ioError ??= err;
        this.stderrTail += `\n${err.message}`;
      });
    });
  }

  /** The running job (the head of the queue). */
  private get job(): Job | null {
    return this.jobs[0] ?? null;
  }

  /**
   * Run a task after those already sent. Exactly one of `finish` (with its outcome) or `bounce`
   * (the process died before the task started) is called.
   */
  run(task: TaskMessage, md5: string, inv: boolean, finish: (outcome: TaskOutcome) => void, bounce: () => void, onStart?: (startTime: number) => void, replyTo?: ReplyRoute): void {
    const id = ++this.nextId;
    const job: RunJob = { kind: 'run', id, task, finish, bounce, onStart, logs: null, startTime: 0, timer: undefined };
    const runTask = runTaskOf(task, this.opts.now ?? Date.now);
    const msg: Extract<ToPython, { c: 'run' }> = { c: 'run', id, task: runTask, md5 };
    if (inv) msg.inv = 1;
    // A debug run's caller wants the worker's view (its logs, timings): that one sends it.
    // A task that may be retried answers its caller only after its last attempt (the worker does).
    if (replyTo && task.draft !== true && !task.retry) msg.rt = [replyTo.host, replyTo.port, replyTo.token];
    let frame: Buffer;
    try {
      frame = encodeFrame(msg);
    } catch (err) {
      job.startTime = Date.now();
      finish(this.outcome(job, { status: 'failure', reason: 'EFuncFailed', exceptionType: 'TypeError', exception: `the task cannot be encoded: ${errorMessage(err)}` }));
      return;
    }
    this.state = 'busy';
    this.jobs.push(job);
    if (this.jobs.length === 1) this.begin(job);
    this.write(frame);
  }

  /** The job reached the head: it runs now, its time limit starts. */
  private begin(job: Job): void {
    if (job.kind === 'run') {
      job.startTime = Date.now();
      job.timer = setTimeout(() => this.onTimeout(job), clampTimer(job.task.timeoutMs));
      job.onStart?.(job.startTime);
    } else {
      job.timer = setTimeout(() => {
        if (this.job !== job) return;
        this.jobs.shift();
        this.dumpThenDie((dump) => {
          const at = stuckAt(dump, job.scriptId);
          const message = `importing the script took longer than ${job.timeoutMs} ms`;
          job.finish({
            ok: false,
            exceptionType: 'TimeoutError',
            message,
            traceback: at ? `${at.traceback}TimeoutError: ${message}\n` : '',
            ...(at?.line !== undefined ? { line: at.line } : {}),
          });
        });
      }, clampTimer(job.timeoutMs));
    }
  }

  /** Import `code` in a fresh namespace and list its functions (only on a process with nothing sent). */
  discover(scriptId: string, code: string, timeoutMs: number): Promise<DiscoverOutcome> {
    return new Promise((resolve) => {
      if (this.jobs.length > 0) throw new Error('discover needs a process with no task sent');
      const id = ++this.nextId;
      this.state = 'busy';
      const task: TaskMessage = {
        id: `discover-${this.pid}-${id}`,
        funcId: `${scriptId}.__discover__`,
        scriptId,
        funcName: '',
        kwargs: {},
        origin: 'direct',
        originId: 'discover',
        queue: 0,
        timeoutMs,
        expiresAt: 0,
        triggerTime: Date.now(),
      };
      const job: DiscoverJob = { kind: 'discover', id, scriptId, task, finish: resolve, timeoutMs, timer: undefined };
      this.jobs.push(job);
      this.begin(job);
      this.write(encodeFrame({ c: 'discover', id, scriptId, code }));
    });
  }

  /** Resident memory in kB, or null when unknown. */
  rssKb(): number | null {
    try {
      const text = readFileSync(`/proc/${this.pid}/status`, 'latin1');
      const i = text.indexOf('VmRSS:');
      if (i < 0) return null;
      return parseInt(text.slice(i + 6, text.indexOf('kB', i)), 10);
    } catch {
      return null;
    }
  }

  /** Kill for exceeding the memory limit: the running task fails with EFuncMemoryLimit. */
  killForMemory(limitMb: number): void {
    const job = this.takeRunning();
    this.die();
    if (job?.kind === 'run') {
      job.finish(this.outcome(job, { status: 'failure', reason: 'EFuncMemoryLimit', exceptionType: 'MemoryError', exception: `exceeded the memory limit of ${limitMb} MB` }));
    } else if (job) {
      job.finish({ ok: false, exceptionType: 'MemoryError', message: `exceeded the memory limit of ${limitMb} MB`, traceback: '' });
    }
  }

  /** Stop taking tasks and let the process exit (EOF on its input); SIGKILL if it lingers. */
  retire(): void {
    if (this.state === 'dead') return;
    this.retired = true;
    this.markDead();
    this.io.end();
    setTimeout(() => this.io.kill('SIGKILL'), 2000).unref();
  }

  /** SIGKILL now. A running task ends with EWorkerNoResponse; tasks sent ahead are bounced. */
  kill(reason = 'the runner pool was closed'): void {
    this.endDump?.();
    const job = this.takeRunning();
    this.die();
    if (job) this.finishLost(job, reason);
  }

  /** Remove the running job (its timer stopped); the others stay until `die` bounces them. */
  private takeRunning(): Job | undefined {
    const job = this.jobs.shift();
    if (job) clearTimeout(job.timer);
    return job;
  }

  /** Frames written in one tick leave in one write (one wake-up of the Python process). */
  private write(frame: Buffer): void {
    if (!this.corked) {
      this.corked = true;
      this.io.cork();
      process.nextTick(() => {
        this.corked = false;
        this.io.uncork();
      });
    }
    this.io.write(frame);
  }

  private sendReply(msg: ToPython): void {
    let frame: Buffer;
    try {
      frame = encodeFrame(msg);
    } catch (err) {
      frame = encodeFrame({ c: 'reply', id: msg.id, e: `the host result cannot be sent to Python: ${errorMessage(err)}` });
    }
    this.write(frame);
  }

  private onMessage(msg: FromPython): void {
    switch (msg.c) {
      case 'done':
        this.onDone(msg);
        return;
      case 'call':
        this.onCall(msg);
        return;
      case 'log': {
        const job = this.job;
        if (job?.kind === 'run' && job.id === msg.id) (job.logs ??= []).push(msg.line);
        return;
      }
      case 'live': {
        const job = this.job;
        if (job?.kind === 'run' && job.id === msg.id && Array.isArray(msg.lines)) this.opts.live?.lines(job.task, msg.lines);
        return;
      }
      case 'ready':
        if (this.state === 'starting') {
          this.state = 'idle';
          this.wasReady = true;
          this.readyResolve();
        }
        return;
    }
  }

  private onDone(msg: Extract<FromPython, { c: 'done' }>): void {
    const job = this.job;
    if (job?.id !== msg.id) return;
    this.takeRunning();
    if (msg.ld) {
      this.loaded.clear();
      for (const [k, v] of Object.entries(msg.ld)) this.loaded.set(k, v);
    }
    const endTime = Date.now();
    if (msg.exit === 1) this.markDead();
    else if (this.jobs.length === 0) this.state = 'idle';
    else this.begin(this.jobs[0]!);
    if (job.kind === 'run') {
      this.tasksDone++;
      const o = msg.o as TaskOutcome;
      if (job.logs) o.printLogs = o.printLogs ? job.logs.concat(o.printLogs) : job.logs;
      else o.printLogs ??= [];
      o.startTime = job.startTime;
      o.endTime = endTime;
      if (msg.sent === 1) o.replied = true;
      // RESP_LARGE_DATA's body came after the outcome, raw (protocol.ts, BODY_FLAG).
      if (msg.body !== undefined && o.response) o.response.data = msg.body;
      job.finish(o);
    } else {
      job.finish(msg.o as DiscoverOutcome);
    }
  }

  private onCall(msg: Extract<FromPython, { c: 'call' }>): void {
    const job = this.job;
    const { host } = this.opts;
    let pending: Promise<unknown>;
    try {
      if (msg.member === 'getScript') {
        const scriptId = String(msg.args[0]);
        const draft = msg.args[1] === true;
        // A replay against a published version: its main script's "draft" is that version's code.
        const version = draft && job?.task.scriptId === scriptId ? job.task.codeVersion : undefined;
        pending = host.getScript(scriptId, draft, version);
      } else if (job) {
        pending = host.call(msg.member, msg.method, msg.args, job.task);
      } else {
        pending = Promise.reject(new Error('no task is running'));
      }
    } catch (err) {
      pending = Promise.reject(err instanceof Error ? err : new Error(errorMessage(err)));
    }
    // Answered even when the task that made the call has ended meanwhile (a thread it started
    // called as it returned): the calling thread holds the process's channel until its answer
    // comes, so an unanswered call would hang every later task's host calls until their timeout.
    pending.then(
      (r) => {
        if (this.state !== 'dead') this.sendReply({ c: 'reply', id: msg.id, r: r ?? null });
      },
      (err: unknown) => {
        if (this.state !== 'dead') this.sendReply({ c: 'reply', id: msg.id, e: errorMessage(err) });
      },
    );
  }

  private onTimeout(job: RunJob): void {
    if (this.job !== job) return;
    this.takeRunning();
    const exception = `the function did not finish within ${job.task.timeoutMs} ms`;
    const endTime = Date.now();
    this.dumpThenDie((dump) => {
      const at = stuckAt(dump);
      const o = this.outcome(job, {
        status: 'timeout',
        reason: 'EFuncTimeout',
        exceptionType: 'TimeoutError',
        exception,
        ...(at ? { traceback: `${at.traceback}TimeoutError: ${exception}\n` } : {}),
      });
      // The time spent asking where it was is not the function's.
      job.finish({ ...o, endTime, costMs: endTime - job.startTime });
    });
  }

  /**
   * Out of time: no more work for this process; it is asked where it is (SIGUSR2: faulthandler
   * writes its stacks to stderr, then the runner exits), given STACK_DUMP_WAIT_MS to write them
   * (less once they stop coming, or it exits), then killed; `done` gets what it wrote. The tasks
   * sent ahead stay with it until it is dead: one that lived on (a script that replaced the SIGUSR2
   * handler) must not run a task already handed to another process.
   */
  private dumpThenDie(done: (dump: string) => void): void {
    const unstarted = this.jobs.splice(0);
    this.markDead();
    this.stackDump = '';
    const asked = this.exitCode === null && this.exitSignal === null;
    if (asked) this.io.kill('SIGUSR2');
    const started = Date.now();
    let seen = -1;
    let quietLooks = 0;
    let timer: NodeJS.Timeout | undefined;
    const end = (): void => {
      clearTimeout(timer);
      this.endDump = undefined;
      const dump = this.stackDump ?? '';
      this.stackDump = null;
      this.die();
      this.handBack(unstarted);
      done(dump);
    };
    const check = (): void => {
      const length = this.stackDump?.length ?? 0;
      quietLooks = length === seen ? quietLooks + 1 : 0; // nothing more since the last look
      seen = length;
      const gone = this.exitCode !== null || this.exitSignal !== null;
      // Gone: what it wrote is in; alive with stacks written: two quiet looks (a paused writer).
      if ((gone && quietLooks > 0) || (length > 0 && quietLooks > 1) || Date.now() - started >= STACK_DUMP_WAIT_MS) end();
      else timer = setTimeout(check, 25);
    };
    this.endDump = end;
    if (asked) timer = setTimeout(check, 25);
    else end();
  }

  private fail(message: string): void {
    const job = this.takeRunning();
    this.die();
    if (job) this.finishLost(job, message);
  }

  private onExit(): void {
    if (this.state === 'starting') {
      // The system error (its code and syscall) stays the cause: the CLI names the setting to check from it (cli/start-failure.ts).
      const tail = this.stderrTail.trim();
      const cause = this.ioError ? { cause: this.ioError } : undefined;
      this.readyReject(new Error(`the Python runner process ${this.describeExit()} before it was ready${tail ? `:\n${tail}` : ''}`, cause));
    }
    const job = this.takeRunning();
    this.markDead();
    if (job) this.finishLost(job, `the Python process ${this.describeExit()} during the task`);
  }

  private describeExit(): string {
    if (this.exitSignal) return `was killed by ${this.exitSignal}`;
    if (this.exitCode !== null) return `exited with code ${this.exitCode}`;
    return 'could not be started';
  }

  private finishLost(job: Job, message: string): void {
    const tail = this.stderrTail.trim();
    if (job.kind === 'run') {
      const extra: Partial<TaskOutcome> = tail ? { traceback: `stderr (last lines):\n${tail}` } : {};
      job.finish(this.outcome(job, { status: 'failure', reason: 'EWorkerNoResponse', exceptionType: 'WorkerNoResponse', exception: message, ...extra }));
    } else {
      job.finish({ ok: false, exceptionType: 'WorkerNoResponse', message, traceback: tail });
    }
  }

  private outcome(job: RunJob, o: Omit<TaskOutcome, 'printLogs'>): TaskOutcome {
    const endTime = Date.now();
    return { ...o, printLogs: job.logs ?? [], startTime: job.startTime, endTime, costMs: endTime - job.startTime };
  }

  /** Unusable from now on and SIGKILLed. */
  private die(): void {
    this.markDead();
    if (this.exitCode === null && this.exitSignal === null) {
      killProcessTree(this.pid); // with what the running task started (process-tree.ts)
      try {
        this.io.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  private markDead(): void {
    if (this.state === 'starting') this.readyReject(new Error('the Python runner process was stopped before it was ready'));
    this.state = 'dead';
    const unstarted = this.jobs.splice(0);
    if (!this.deadNotified) {
      this.deadNotified = true;
      this.opts.onDead?.(this);
    }
    // After the pool has stopped counting on this process.
    this.handBack(unstarted);
  }

  /** Tasks sent ahead that never started, handed back (last first, so they keep their order at the head of the pool's queue). */
  private handBack(unstarted: Job[]): void {
    for (const job of unstarted.reverse()) {
      clearTimeout(job.timer);
      if (job.kind === 'run') job.bounce();
      else job.finish({ ok: false, exceptionType: 'WorkerNoResponse', message: 'the Python process stopped before the import', traceback: '' });
    }
  }
}
