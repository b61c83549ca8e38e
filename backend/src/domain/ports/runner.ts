/** Port: a pool of Python processes; each runs one task at a time (more may be queued to it). */
import type { TaskMessage, TaskOutcome } from '../tasks/task.js';
import type { ReplyRoute } from './broker.js';

/** A function found by `@DFF.API` when a script is published. */
export interface DiscoveredFunc {
  name: string;
  title: string;
  description: string;
  category: string;
  tags: string[];
  /** `def name(a, b=1, **kw)` as written. */
  definition: string;
  args: string[];
  kwargs: Record<string, { default?: unknown; hasDefault: boolean }>;
  /** True when the function takes **kwargs (then any kwarg is accepted). */
  varKwargs: boolean;
  timeout?: number;
  expires?: number;
  cacheResult?: number;
  queue?: number;
  fixedCronExpr?: string;
  /** Retries after a failure or timeout (0-10), and the first back-off in seconds (doubled each time). */
  retry?: number;
  retryBackoff?: number;
  isHidden?: boolean;
  /** DataFlux Func's integration (`signIn`, `autoRun`): recorded for the function lists, not acted on. */
  integration?: string;
  order: number;
  /** The first line of its definition in the script (its first decorator's). */
  line?: number;
}

export type DiscoverOutcome = { ok: true; funcs: DiscoveredFunc[] } | { ok: false; exceptionType: string; message: string; line?: number; traceback: string };

/** Calls a Python process makes back to Node (`DFF.STORE`, `DFF.CACHE`, `DFF.ENV`, `DFF.FUNC`, script imports). */
export interface RunnerHost {
  /** Published code of a script (or its draft for the main script of a debug run, or `version` of it for a replay); null when missing. */
  getScript(scriptId: string, draft: boolean, version?: number): Promise<{ code: string; md5: string } | null>;
  /** One DFF member call. `member` is STORE, CACHE, ENV or FUNC. */
  call(member: string, method: string, args: unknown[], task: TaskMessage): Promise<unknown>;
}

export interface RunnerPoolStats {
  processes: number;
  busy: number;
  tasksDone: number;
  restarts: number;
}

export interface FuncRunnerPool {
  /**
   * Run a task; resolves when it ends (never rejects for a function failure: see `TaskOutcome.status`).
   * `onStart` is told when it starts running in a process (it may wait in the pool first).
   * With `replyTo`, the process sends the result straight to that waiting server too, and the
   * outcome says so (`replied`).
   */
  run(task: TaskMessage, scriptMD5: string, onStart?: (startTime: number) => void, replyTo?: ReplyRoute): Promise<TaskOutcome>;
  /**
   * Tasks the pool takes at once right now: processes × tasks sent ahead to each, and while tasks
   * are short a backlog waiting in the pool (the caller reserves this many from its queues).
   */
  reserveCapacity(): number;
  /** Import a script's code in a fresh namespace and list its `@DFF.API` functions. */
  discover(scriptId: string, code: string): Promise<DiscoverOutcome>;
  /** Number of processes free right now. */
  idle(): number;
  /**
   * Whether a task given now starts at once or right behind one short task: a process is free, or
   * (while tasks are short and sent ahead) one runs a single task with room behind it. A sync call
   * handed to the unit is taken on this rather than sent back to the queue.
   */
  takesNext(): boolean;
  /**
   * The tasks waiting in the pool itself (not sent to a process yet) end at once, not started
   * (`EWorkerNoResponse`): a stopping worker gives them back to the broker. Answers how many.
   */
  dropWaiting(): number;
  /** Resolves when a process is free. */
  whenIdle(): Promise<void>;
  stats(): RunnerPoolStats;
  /** Kill every process; resolves when they have exited. */
  close(): Promise<void>;
}
