/**
 * A pool of Python runner processes implementing the `FuncRunnerPool` port.
 *
 * Pipelining: while the tasks run lately are short (their average under SHORT_TASK_MS), up to
 * PIPELINE_DEPTH tasks are sent ahead to each process, so it never waits for Node between two
 * tasks and a batch of tasks costs one pipe write each way. Long tasks go one per process. A
 * task sent ahead of a process that dies is handed back and runs on another one.
 *
 * On demand (`minProcesses` below `processes`, as in embedded mode): the pool starts with
 * `minProcesses` and starts more while tasks wait for one, up to `processes`; a process idle for
 * `idleStopMs` stops, down to `minProcesses` again. Its reserve capacity counts one process more
 * than it has ready while it may grow, so the worker hands it the task that starts one.
 */
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReplyRoute } from '../../domain/ports/broker.js';
import type { LiveLogSink } from '../../domain/ports/live-logs.js';
import type { DiscoverOutcome, FuncRunnerPool, RunnerHost, RunnerPoolStats } from '../../domain/ports/runner.js';
import type { TaskMessage, TaskOutcome } from '../../domain/tasks/task.js';
import type { RunnerUser } from './runner-env.js';
import { leaseForkServer, type ForkServerLease } from './fork-server.js';
import { RunnerProcess } from './runner-process.js';
import { readableRuntimeDir } from './runtime-copy.js';
import { ScriptVersions } from './script-versions.js';
import { sweepStaleUploadRoots, UploadFolders } from './task-uploads.js';

export interface RunnerPoolOptions {
  /** Absolute path of the Python 3.11+ interpreter. */
  python: string;
  /** The most processes (all of them, started at once, unless `minProcesses` is lower). */
  processes: number;
  /** Processes kept running (default `processes`); more start on demand up to `processes`. */
  minProcesses?: number;
  /** A process idle this long stops, while more than `minProcesses` run (0 or absent: never). */
  idleStopMs?: number;
  /** Per-process memory limit in MB; 0 = none. */
  memoryLimitMb: number;
  /** The resources folder (`DFF.RSRC`) and the extra packages folder, both put on the processes' sys.path. */
  resourcesDir?: string;
  pythonPackagesDir?: string;
  host: RunnerHost;
  /** Where the `live` batches of running tasks go (the worker's live-log relay). */
  live?: LiveLogSink;
  /** Recycle a process after this many tasks (default 10000). */
  maxTasksPerProcess?: number;
  /** Directory holding `func_runner.py` (default: `backend/python` of this checkout). */
  runtimeDir?: string;
  /** How long a published script's md5 is trusted before asking the host again (default 1000 ms). */
  scriptCheckMs?: number;
  /** Time limit of `discover` (default 30 s). */
  discoverTimeoutMs?: number;
  /** The whole environment of the Python processes (default: `runnerEnv`, an allow-list of this process's, no FUNC_* variable). */
  env?: NodeJS.ProcessEnv;
  /** Run the Python processes as this user (Func started as root); default: this process's user. */
  user?: RunnerUser;
  /** Names of further variables of this process's environment the Python processes get (never FUNC_*). */
  passEnv?: readonly string[];
  /** The clock tasks' `expiresAt` is measured by (default Date.now; tests inject one). */
  now?: () => number;
  /**
   * Fork the processes from a fork server (fork-server.ts: ready in milliseconds, no fork of this
   * process) rather than start an interpreter for each; falls back to starting them when the fork
   * server cannot run. Default false here; the configuration's default (FUNC_RUNNER_FORK_SERVER) is on.
   */
  forkServer?: boolean;
}

interface PendingRun {
  task: TaskMessage;
  md5: string;
  resolve: (outcome: TaskOutcome) => void;
  onStart: ((startTime: number) => void) | undefined;
  replyTo: ReplyRoute | undefined;
}

/** Tasks sent ahead to one process at most, while tasks are short. */
export const PIPELINE_DEPTH = 8;
/**
 * While tasks are short the pool also takes this many times what its processes hold, to wait in
 * the pool itself (not in a process, so a task that turns out long holds none of them up): the
 * worker reserves, stores and acks in bigger batches.
 */
export const SHORT_BACKLOG = 4;
/** Tasks averaging less than this (ms, Python's own cost) are pipelined. */
export const SHORT_TASK_MS = 2;
/** Weight of the newest task in the running average of task cost (when cheaper / dearer than it). */
const COST_WEIGHT = 0.1;
const COST_WEIGHT_UP = 0.5;

const DEFAULT_RUNTIME_DIR = fileURLToPath(new URL('../../../python/', import.meta.url));
const WATCHDOG_MS = 100;
const MAX_BACKOFF_MS = 30_000;
/** A process's successor starts this many tasks before its recycling (at most; 1/20 of the share). */
const SUCCESSOR_AHEAD = 500;

function lostOutcome(message: string): TaskOutcome {
  const now = Date.now();
  return { status: 'failure', reason: 'EWorkerNoResponse', exceptionType: 'WorkerNoResponse', exception: message, printLogs: [], startTime: now, endTime: now, costMs: 0 };
}

function expiredOutcome(): TaskOutcome {
  const now = Date.now();
  return { status: 'expired', reason: 'EFuncExpired', printLogs: [], startTime: now, endTime: now, costMs: 0 };
}

class RunnerPool implements FuncRunnerPool {
  private readonly procs = new Set<RunnerProcess>();
  /** Tasks handed to each ready process and not finished (including ones still checking script versions). */
  private readonly assigned = new Map<RunnerProcess, number>();
  /** Processes lent to a discover. */
  private readonly lent = new Set<RunnerProcess>();
  private readonly queue: PendingRun[] = [];
  /** Running average of Python's cost per task (ms); starts as "not short". */
  private avgCostMs = SHORT_TASK_MS;
  private readonly waiters: (() => void)[] = [];
  private readonly discovering = new Set<RunnerProcess>();
  private readonly versions: ScriptVersions;
  private readonly script: string;
  private readonly maxTasks: number;
  /** A process's successor starts when it has this many tasks left of its share. */
  private readonly successorAhead: number;
  /** The RSS watchdog's timer, running only while a process is busy (no wake-ups when idle). */
  private watchdog: NodeJS.Timeout | null = null;
  private readonly limitKb: number;
  private readonly minProcesses: number;
  /** Idle processes' stop timers (on demand only). */
  private readonly idleTimers = new Map<RunnerProcess, NodeJS.Timeout>();
  /** Processes stopped for idleness: not replaced when they exit. */
  private readonly stopping = new Set<RunnerProcess>();
  /** Processes out of the pool that have not exited yet (a timed-out one writing its stacks, a retiring one): close() ends them too. */
  private readonly exiting = new Set<RunnerProcess>();
  /**
   * A process near its share of tasks (`maxTasksPerProcess`) and the one started to take over from
   * it, ready by the time it retires: a recycling costs no task the start of a Python process. The
   * successor stays out of service (`standby`: not assigned, not counted in the capacity) until then.
   */
  private readonly successorOf = new Map<RunnerProcess, RunnerProcess>();
  private readonly standby = new Set<RunnerProcess>();
  private tasksDone = 0;
  private restarts = 0;
  private failedStarts = 0;
  private closed = false;
  private readonly now: () => number;
  /** Where the files uploaded with a task are written while it runs (task-uploads.ts). */
  private readonly uploads: UploadFolders;
  /** The fork server its processes are forked from (`forkServer`), shared with the other pools of this process. */
  private readonly forkLease: ForkServerLease | undefined;

  constructor(private readonly opts: RunnerPoolOptions) {
    this.now = opts.now ?? Date.now;
    this.uploads = new UploadFolders({ user: opts.user });
    if (!isAbsolute(opts.python)) throw new Error(`the Python interpreter path must be absolute: ${opts.python}`);
    const runtimeDir = opts.runtimeDir ?? DEFAULT_RUNTIME_DIR;
    // Another user may not be able to read this checkout (a 0700 home): it gets a readable copy.
    this.script = join(opts.user ? readableRuntimeDir(runtimeDir) : runtimeDir, 'func_runner.py');
    this.maxTasks = opts.maxTasksPerProcess ?? 10_000;
    this.successorAhead = Math.min(SUCCESSOR_AHEAD, Math.max(1, Math.floor(this.maxTasks / 20)));
    this.minProcesses = Math.min(opts.processes, Math.max(0, opts.minProcesses ?? opts.processes));
    this.versions = new ScriptVersions(opts.host, opts.scriptCheckMs ?? 1000);
    this.limitKb = opts.memoryLimitMb * 1024;
    if (opts.forkServer === true) {
      this.forkLease = leaseForkServer({
        python: opts.python,
        script: this.script,
        ...(opts.env ? { env: opts.env } : {}),
        ...(opts.user ? { user: opts.user } : {}),
        ...(opts.passEnv ? { passEnv: opts.passEnv } : {}),
      });
    }
  }

  /** Checks the busy processes' RSS every WATCHDOG_MS while any is busy (memory limit set). */
  private watch(): void {
    if (this.watchdog !== null || this.limitKb <= 0 || this.closed) return;
    this.watchdog = setInterval(() => {
      let busy = 0;
      for (const p of this.procs) {
        if (p.state !== 'busy') continue;
        busy++;
        const rss = p.rssKb();
        if (rss !== null && rss > this.limitKb) p.killForMemory(this.opts.memoryLimitMb);
      }
      if (busy === 0 && this.watchdog !== null) {
        clearInterval(this.watchdog);
        this.watchdog = null;
      }
    }, WATCHDOG_MS);
    this.watchdog.unref();
  }

  async start(): Promise<void> {
    // Upload folders left by worker processes killed outright.
    void sweepStaleUploadRoots().catch(() => undefined);
    // On demand (no process yet), the first task then waits for a fork only.
    this.forkLease?.warm();
    const started: RunnerProcess[] = [];
    for (let i = 0; i < this.minProcesses; i++) started.push(this.spawn());
    try {
      await Promise.all(started.map((p) => p.ready));
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  run(task: TaskMessage, scriptMD5: string, onStart?: (startTime: number) => void, replyTo?: ReplyRoute): Promise<TaskOutcome> {
    if (this.closed) return Promise.reject(new Error('the runner pool is closed'));
    if (task.uploads !== undefined && task.uploads.length > 0) return this.runWithUploads(task, scriptMD5, onStart, replyTo);
    return this.runPlain(task, scriptMD5, onStart, replyTo);
  }

  /** A task with uploaded files: written to its own folder first (`kwargs.files[].filePath`), removed when it ends however it ends. */
  private async runWithUploads(task: TaskMessage, scriptMD5: string, onStart?: (startTime: number) => void, replyTo?: ReplyRoute): Promise<TaskOutcome> {
    let placed;
    try {
      placed = await this.uploads.place(task);
    } catch (err) {
      const now = Date.now();
      const message = `the uploaded files could not be written for the function: ${err instanceof Error ? err.message : String(err)}`;
      return { status: 'failure', reason: 'EFuncFailed', exceptionType: 'UploadError', exception: message, printLogs: [], startTime: now, endTime: now, costMs: 0 };
    }
    try {
      return await this.runPlain(placed.task, scriptMD5, onStart, replyTo);
    } finally {
      await placed.release();
    }
  }

  private runPlain(task: TaskMessage, scriptMD5: string, onStart?: (startTime: number) => void, replyTo?: ReplyRoute): Promise<TaskOutcome> {
    if (this.closed) return Promise.reject(new Error('the runner pool is closed'));
    return new Promise<TaskOutcome>((resolve) => {
      const job: PendingRun = { task, md5: scriptMD5, resolve, onStart, replyTo };
      const p = this.pick();
      if (p) this.dispatch(p, job);
      else {
        this.queue.push(job);
        this.grow();
      }
    });
  }

  /** May it start another process (on demand, under its maximum)? */
  private canGrow(): boolean {
    return !this.closed && this.minProcesses < this.opts.processes && this.procs.size < this.opts.processes;
  }

  /** Start processes for the tasks waiting beyond what the starting ones will take. */
  private grow(): void {
    let starting = this.starting();
    while (this.canGrow() && this.queue.length > starting) {
      this.spawn();
      starting++;
    }
  }

  /** On demand: stop `p` once it has been idle for `idleStopMs` (while more than the minimum run). */
  private armIdleStop(p: RunnerProcess): void {
    const ms = this.opts.idleStopMs ?? 0;
    if (ms <= 0 || this.minProcesses >= this.opts.processes || this.closed) return;
    clearTimeout(this.idleTimers.get(p));
    const timer = setTimeout(() => {
      this.idleTimers.delete(p);
      if (this.closed || this.assigned.get(p) !== 0 || this.procs.size - this.stopping.size <= this.minProcesses) return;
      this.assigned.delete(p);
      this.stopping.add(p);
      p.retire();
    }, ms);
    timer.unref();
    this.idleTimers.set(p, timer);
  }

  /** Tasks one process takes at once now. */
  private depth(): number {
    return this.avgCostMs < SHORT_TASK_MS ? PIPELINE_DEPTH : 1;
  }

  /** The ready process with the fewest tasks, if it has room for one more. */
  private pick(): RunnerProcess | undefined {
    const depth = this.depth();
    let best: RunnerProcess | undefined;
    let bestLoad = depth;
    for (const [p, load] of this.assigned) {
      if (load < bestLoad && p.tasksDone + load < this.maxTasks) {
        best = p;
        bestLoad = load;
        if (load === 0) break;
      }
    }
    // On demand: a task waits for a process that is starting (or starts one) rather than going
    // ahead to a busy one.
    if (best !== undefined && bestLoad > 0 && this.minProcesses < this.opts.processes && (this.canGrow() || this.starting() > 0)) return undefined;
    return best;
  }

  private starting(): number {
    let n = 0;
    for (const p of this.procs) if (p.state === 'starting') n++;
    return n;
  }

  /** Processes starting to take tasks (not a successor starting to replace one that still takes them). */
  private startingForTasks(): number {
    let n = 0;
    for (const p of this.procs) if (p.state === 'starting' && !this.standby.has(p)) n++;
    return n;
  }

  reserveCapacity(): number {
    const depth = this.depth();
    // On demand, a process starting for a task counts as the slot it will be: nothing wakes the fetch
    // loop when it is ready, so a task arriving meanwhile waited for the first to end while the unit could start
    // another. Growing on demand: room for the task that starts one more process.
    const onDemand = this.minProcesses < this.opts.processes;
    const slots = this.assigned.size + (onDemand ? this.startingForTasks() : 0) + (this.canGrow() ? 1 : 0);
    return slots * depth * (depth > 1 ? 1 + SHORT_BACKLOG : 1);
  }

  /**
   * Borrows an idle process (or starts a dedicated one when none is idle) and retires it afterwards, so the draft's
   * module-level code cannot leave anything behind in a pooled process; a replacement starts at once.
   */
  async discover(scriptId: string, code: string): Promise<DiscoverOutcome> {
    if (this.closed) throw new Error('the runner pool is closed');
    let p = [...this.assigned].find(([, load]) => load === 0)?.[0];
    if (p) {
      this.assigned.delete(p);
      this.lent.add(p);
    } else {
      p = this.newProcess(false);
      this.discovering.add(p);
    }
    try {
      await p.ready;
      return await p.discover(scriptId, code, this.opts.discoverTimeoutMs ?? 30_000);
    } finally {
      this.discovering.delete(p);
      this.lent.delete(p);
      p.retire();
    }
  }

  dropWaiting(): number {
    const dropped = this.queue.splice(0);
    for (const job of dropped) job.resolve(lostOutcome('not started: the worker is stopping'));
    return dropped.length;
  }

  idle(): number {
    let n = this.canGrow() ? 1 : 0;
    for (const load of this.assigned.values()) if (load === 0) n++;
    return n;
  }

  takesNext(): boolean {
    if (this.idle() > 0) return true;
    // As pick(): on demand, a task waits for a process starting rather than going behind a busy one.
    if (this.depth() <= 1 || this.canGrow() || this.starting() > 0) return false;
    for (const [p, load] of this.assigned) if (load <= 1 && p.tasksDone + load < this.maxTasks) return true;
    return false;
  }

  whenIdle(): Promise<void> {
    if (this.idle() > 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  stats(): RunnerPoolStats {
    let processes = 0;
    let busy = 0;
    for (const p of this.procs) {
      if (p.state === 'idle') processes++;
      else if (p.state === 'busy') {
        processes++;
        busy++;
      }
    }
    return { processes, busy, tasksDone: this.tasksDone, restarts: this.restarts };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    for (const t of this.idleTimers.values()) clearTimeout(t);
    this.idleTimers.clear();
    for (const job of this.queue.splice(0)) job.resolve(lostOutcome('the runner pool was closed before the task started'));
    for (const w of this.waiters.splice(0)) w();
    const all = [...this.procs, ...this.discovering, ...this.exiting];
    this.assigned.clear();
    for (const p of all) p.kill();
    await Promise.all(all.map((p) => p.exited));
    this.forkLease?.release();
    await this.uploads.close();
  }

  private newProcess(pooled: boolean): RunnerProcess {
    return new RunnerProcess({
      python: this.opts.python,
      script: this.script,
      memoryLimitMb: this.opts.memoryLimitMb,
      host: this.opts.host,
      now: this.now,
      ...(this.opts.live ? { live: this.opts.live } : {}),
      ...(this.opts.env ? { env: this.opts.env } : {}),
      ...(this.opts.user ? { user: this.opts.user } : {}),
      ...(this.opts.passEnv ? { passEnv: this.opts.passEnv } : {}),
      ...(this.opts.resourcesDir !== undefined ? { resourcesDir: this.opts.resourcesDir } : {}),
      ...(this.opts.pythonPackagesDir !== undefined ? { pythonPackagesDir: this.opts.pythonPackagesDir } : {}),
      ...(pooled ? { onDead: (p: RunnerProcess) => this.onDead(p) } : {}),
      ...(this.forkLease ? { forkServer: this.forkLease } : {}),
    });
  }

  private spawn(): RunnerProcess {
    const p = this.newProcess(true);
    this.procs.add(p);
    p.ready.then(
      () => {
        this.failedStarts = 0;
        this.onReady(p);
      },
      () => undefined, // onDead replaces it
    );
    return p;
  }

  private onDead(p: RunnerProcess): void {
    if (!this.procs.delete(p)) return;
    // Dead to the pool, perhaps not yet exited (writing its stacks after a timeout, retiring): close() still ends it.
    if (p.exitCode === null && p.exitSignal === null) {
      this.exiting.add(p);
      void p.exited.then(() => this.exiting.delete(p));
    }
    this.assigned.delete(p);
    clearTimeout(this.idleTimers.get(p));
    this.idleTimers.delete(p);
    // A successor that died before its turn: its predecessor is replaced the usual way when it goes.
    if (this.standby.delete(p)) return;
    const successor = this.successorOf.get(p);
    this.successorOf.delete(p);
    const stopped = this.stopping.delete(p);
    if (successor !== undefined && this.standby.delete(successor)) {
      // Retired (or lost) with its successor started: that one takes its place. Stopped for
      // idleness: the successor goes too.
      if (stopped || this.closed) successor.retire();
      else {
        if (!p.retired) this.restarts++;
        // Ready already (it waited in standby): into service now; still starting: when ready.
        if (successor.state === 'idle') this.onReady(successor);
        return;
      }
    }
    if (stopped) return; // stopped for idleness: not replaced
    if (this.closed) return;
    if (!p.retired) this.restarts++;
    // On demand, a process is replaced only while tasks wait for one (or to keep the minimum).
    if (this.minProcesses < this.opts.processes && this.procs.size >= this.minProcesses && this.queue.length === 0) return;
    if (!p.wasReady && this.failedStarts++ > 0) {
      // Crashing at start-up again: back off instead of spinning.
      const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(this.failedStarts, 10));
      setTimeout(() => {
        if (!this.closed) this.spawn();
      }, delay).unref();
      return;
    }
    this.spawn();
  }

  private dispatch(p: RunnerProcess, job: PendingRun): void {
    clearTimeout(this.idleTimers.get(p));
    this.idleTimers.delete(p);
    const load = (this.assigned.get(p) ?? 0) + 1;
    this.assigned.set(p, load);
    if (p.tasksDone + load >= this.maxTasks - this.successorAhead && !this.successorOf.has(p) && !this.closed) {
      const successor = this.spawn();
      this.successorOf.set(p, successor);
      this.standby.add(successor);
    }
    if (job.task.draft !== true) this.versions.note(job.task.scriptId, job.md5);
    const changed = p.loaded.size === 0 ? false : this.versions.changed(p.loaded);
    if (typeof changed === 'boolean') {
      this.begin(p, job, changed);
      return;
    }
    changed.then(
      (c) => this.begin(p, job, c),
      () => this.begin(p, job, true),
    );
  }

  private begin(p: RunnerProcess, job: PendingRun, inv: boolean): void {
    if (p.state === 'dead') {
      // Died while we were checking script versions: run it elsewhere.
      this.requeue(job);
      return;
    }
    if (inv) p.loaded.clear();
    this.watch();
    p.run(
      job.task,
      job.md5,
      inv,
      (outcome) => {
        this.tasksDone++;
        if (typeof outcome.costMs === 'number') {
          // Up fast, down slowly: a burst of slow tasks stops the pipelining at once.
          const weight = outcome.costMs > this.avgCostMs ? COST_WEIGHT_UP : COST_WEIGHT;
          this.avgCostMs += weight * (outcome.costMs - this.avgCostMs);
        }
        this.release(p);
        job.resolve(outcome);
      },
      () => this.requeue(job),
      job.onStart,
      job.replyTo,
    );
  }

  /** A task that did not start on its process (it died): first in line for the next one. */
  private requeue(job: PendingRun): void {
    if (this.closed) {
      job.resolve(lostOutcome('the runner pool was closed before the task started'));
      return;
    }
    this.queue.unshift(job);
    this.drain();
  }

  /** A task of `p` ended: retire it when it has done its share, and hand out queued tasks. */
  private release(p: RunnerProcess): void {
    const load = this.assigned.get(p);
    if (load !== undefined) {
      this.assigned.set(p, load - 1);
      if (load === 1 && p.tasksDone >= this.maxTasks) {
        this.assigned.delete(p);
        p.retire();
      }
    }
    this.drain();
    if (this.assigned.get(p) === 0) this.armIdleStop(p);
  }

  /** Hand queued tasks to processes with room; wake `whenIdle` callers when one is idle. */
  private drain(): void {
    if (this.closed) return;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (next.task.expiresAt > 0 && next.task.expiresAt < this.now()) {
        // Waited here past its expiry: not started any more.
        this.queue.shift();
        next.resolve(expiredOutcome());
        continue;
      }
      const p = this.pick();
      if (!p) break;
      this.queue.shift();
      this.dispatch(p, next);
    }
    if (this.queue.length > 0) this.grow();
    if (this.waiters.length > 0 && this.idle() > 0) for (const w of this.waiters.splice(0)) w();
  }

  /** A process became ready. */
  private onReady(p: RunnerProcess): void {
    if (this.closed || p.state === 'dead' || this.standby.has(p)) return;
    this.assigned.set(p, 0);
    this.drain();
    if (this.assigned.get(p) === 0) this.armIdleStop(p);
  }
}

/** Start the pool's first processes (`minProcesses`, default `processes`) and resolve when they are ready. */
export async function createRunnerPool(options: RunnerPoolOptions): Promise<FuncRunnerPool> {
  const pool = new RunnerPool(options);
  await pool.start();
  return pool;
}
