/** A task: one call of one function, as it travels through a queue. */
import { TASK_ORIGINS } from '../../../../contract/operations/calls.js';
import type { TaskAttempt } from '../ports/store.js';

export const TASK_STATUSES = ['queued', 'running', 'success', 'failure', 'timeout', 'expired', 'skipped', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const FINAL_STATUSES: ReadonlySet<TaskStatus> = new Set(['success', 'failure', 'timeout', 'expired', 'skipped', 'cancelled']);

export { TASK_ORIGINS };
export type TaskOrigin = (typeof TASK_ORIGINS)[number];

/**
 * The HTTP request a call came with (a direct call, a sync/async API), as handed to the function
 * (`_DFF_HTTP_REQUEST`), with DataFlux Func's fields: `url` is the path, `originalUrl` the path
 * with its query string. Requests recorded before the extra fields lack them.
 */
export interface TaskHttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  originalUrl?: string;
  host?: string;
  hostname?: string;
  protocol?: string;
  ip?: string;
  ips?: string[];
  xhr?: boolean;
}

/** A request field that carried an API's credential (its fixedField API auth names it): masked wherever the request is stored. */
export interface RequestSecretField {
  location: 'header' | 'query' | 'body';
  name: string;
}

/** How a cron job's task was started (`_DFF_CRON_JOB_EXEC_MODE`): by its schedule, or run by hand (the API, a script). */
export type CronJobExecMode = 'cronJob' | 'manual';

/**
 * A file uploaded with a sync/async API call (multipart/form-data): its bytes, base64, travel in
 * the task beside the kwargs, never in them (the record keeps the kwargs). `kwargs.files[i]` is
 * its metadata as DataFlux Func gives it; the worker writes the bytes to a per-task folder and
 * adds `filePath` there just before the function runs, and removes the folder after.
 */
export interface TaskUpload {
  base64: string;
}

/** One entry of `kwargs.files` as the function receives it (DataFlux Func's, from multer). */
export interface UploadedFileInfo {
  filePath?: string;
  originalname: string;
  encoding: string;
  mimetype: string;
  size: number;
}

/** What a broker carries. Everything a worker needs to run the task without asking the server. */
export interface TaskMessage {
  id: string;
  funcId: string;
  scriptId: string;
  funcName: string;
  kwargs: Record<string, unknown>;
  origin: TaskOrigin;
  originId: string;
  queue: number;
  /** Kill the process after this long (ms). */
  timeoutMs: number;
  /** Epoch ms after which the task is not started any more (`expired`). */
  expiresAt: number;
  /** Epoch ms when the task was triggered. */
  triggerTime: number;
  /** Epoch ms before which it must not run (delayed tasks). */
  eta?: number;
  /**
   * The call's `options.eta` (ISO 8601) or `options.delay` (seconds), as it gave them, for the
   * function's `_DFF_ETA` / `_DFF_DELAY` (`eta` above is dropped once the task is due).
   */
  askedEta?: string;
  delay?: number;
  /** Debug run: the main script runs its draft code. */
  draft?: boolean;
  /** Debug run of a published version of the main script (a replay against it), instead of its draft. */
  codeVersion?: number;
  /** The task this one re-runs (a replay, or a requeued dead letter). */
  replayOf?: string;
  /** Debug run: its live log lines are also published under this key (chosen by the console, which does not know the task id yet). */
  liveKey?: string;
  /** A caller waits for the result (sync call): the worker publishes it. */
  waitResult?: boolean;
  /**
   * No queued record was stored for this task (a sync call on a shared broker, where the
   * broker, not the record, makes it survive a crash): the worker stores the whole record.
   */
  recordedByWorker?: boolean;
  rootTaskId?: string;
  callChain?: string[];
  cronExpr?: string;
  cronJobId?: string;
  cronJobExecMode?: CronJobExecMode;
  httpRequest?: TaskHttpRequest;
  /** The fields of `httpRequest` its API's auth names (fixedField): masked in the record and stored message, never given to Python. */
  httpRequestSecrets?: RequestSecretField[];
  /** Uploaded files' bytes, in the order of `kwargs.files` (see TaskUpload). */
  uploads?: TaskUpload[];
  /** Result cache: seconds to keep the result under `cacheKey`. */
  cacheResultSeconds?: number;
  /**
   * When the function's script was published, as the server knew it (its function row's update
   * time): a worker whose cached code is older reads it again; the result cache keys by it too.
   */
  publishedAt?: number;
  /** Deliveries so far (at-least-once; dead-lettered past the limit). */
  attempt?: number;
  /** Retries allowed after a failure or timeout (domain/tasks/retry.ts), and the first back-off (ms, doubled each retry). */
  retry?: number;
  retryBackoffMs?: number;
  /** The failed attempts so far, oldest first (this message is the next attempt). */
  retryHistory?: TaskAttempt[];
}

/** A function's answer when it set a response with DFF.RESP / RESP_FILE / RESP_LARGE_DATA / REDIRECT. */
export interface FuncResponse {
  /** `largeData`: `data` is the body already serialised (one string), answered as it is. */
  kind: 'data' | 'file' | 'redirect' | 'largeData';
  data?: unknown;
  statusCode?: number;
  contentType?: string;
  headers?: Record<string, string>;
  /** RESP_FILE: base64 of the file content and its download name. */
  fileBase64?: string;
  downloadName?: string;
  url?: string;
  /** `allow_304`: answered with a weak ETag of its body, and 304 to a GET whose If-None-Match matches it. */
  allow304?: boolean;
}

/** What running a task produced. */
/** The innermost user-script frame of a failure and its locals (debug runs; func_runner_core.failing_locals). */
export interface FailingLocals {
  scriptId: string;
  funcName: string;
  line: number;
  /** At most 40, each repr cut at 300 characters. */
  vars: { name: string; type: string; repr: string }[];
  /** Locals left out past the 40. */
  more: number;
}

export interface TaskOutcome {
  status: 'success' | 'failure' | 'timeout' | 'expired' | 'skipped';
  result?: unknown;
  response?: FuncResponse;
  /** Print and DFF.LOG lines, each prefixed with its offset: `[+12ms] text`. */
  printLogs: string[];
  exceptionType?: string;
  exception?: string;
  traceback?: string;
  /** Line of the main script where the exception happened, when known. */
  errorLine?: number;
  /** Error reason from the catalogue (EFuncFailed, EFuncTimeout, EFuncResultParsingFailed, EFuncMemoryLimit…). */
  reason?: string;
  startTime?: number;
  endTime?: number;
  costMs?: number;
  peakMemoryMb?: number;
  /** Debug runs that failed: the failing frame of a user script and its locals (repr, truncated). */
  locals?: FailingLocals;
  /** Answered from the result cache (`cache_result`), without running. */
  cached?: boolean;
  /** The waiting caller's server already has it (the Python process sent it straight); not stored. */
  replied?: boolean;
}
