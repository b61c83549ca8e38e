/**
 * Port: relational storage (SQLite embedded, MySQL in production).
 * Rows use the field names of the HTTP API (DataFlux Func's): `*JSON` fields hold parsed values,
 * times are epoch milliseconds, booleans are booleans.
 */
import type { ExpiringValueOps, OperationRecordOps, RecoverPointOps, ScriptSetHistoryOps, SettingOps } from './admin-store.js';
import type { AutoscaleOps } from './autoscale-store.js';
import type { ConnectorType } from '../../../../contract/operations/connectors.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = Record<string, unknown>;

interface Timestamps {
  createTime: number;
  updateTime: number;
}

export interface ScriptSetRow extends Timestamps {
  id: string;
  title: string | null;
  description: string | null;
  requirements: string | null;
}

export interface ScriptRow extends Timestamps {
  id: string;
  scriptSetId: string;
  title: string | null;
  description: string | null;
  /** Published code (null until the first publish). */
  code: string | null;
  codeMD5: string | null;
  codeDraft: string;
  codeDraftMD5: string;
  publishVersion: number;
}

export interface ScriptPublishRow {
  scriptId: string;
  publishVersion: number;
  code: string;
  codeMD5: string;
  note: string | null;
  createTime: number;
}

export interface FuncRow extends Timestamps {
  id: string;
  scriptSetId: string;
  scriptId: string;
  name: string;
  title: string | null;
  description: string | null;
  definition: string;
  argsJSON: string[];
  kwargsJSON: JsonObject;
  /** timeout, expires, cacheResult, queue, fixedCronExpr, varKwargs, isHidden, integration, readsHttpRequest (the script names `_DFF_HTTP_REQUEST`: a direct call carries its request). */
  extraConfigJSON: JsonObject;
  category: string;
  tagsJSON: string[];
  defOrder: number;
}

interface ApiCommon extends Timestamps {
  id: string;
  funcId: string;
  funcCallKwargsJSON: JsonObject;
  tagsJSON: string[] | null;
  expireTime: number | null;
  taskRecordLimit: number | null;
  isDisabled: boolean;
  note: string | null;
}

export interface SyncApiRow extends ApiCommon {
  apiAuthId: string | null;
  throttlingJSON: JsonObject | null;
  showInDoc: boolean;
}

export interface AsyncApiRow extends ApiCommon {
  apiAuthId: string | null;
  throttlingJSON: JsonObject | null;
  showInDoc: boolean;
}

export interface CronJobRow extends ApiCommon {
  cronExpr: string | null;
  timezone: string | null;
  /** Next due time (indexed: beat reads only what is due). Null when disabled or not schedulable. */
  nextRunTime: number | null;
  lastRunTime: number | null;
}

export interface EnvVariableRow extends Timestamps {
  id: string;
  title: string | null;
  description: string | null;
  autoTypeCasting: string;
  valueTEXT: string;
}

export interface UserRow extends Timestamps {
  id: string;
  username: string;
  name: string | null;
  /** Contact details, as DataFlux Func keeps them (null or absent on rows written before migration 0009). */
  email?: string | null;
  mobile?: string | null;
  passwordHash: string;
  roles: string[];
  isDisabled: boolean;
  /**
   * Sign-in tokens issued before this time (epoch ms) are refused: set when the password, the roles
   * or the disabled flag change. Null (or absent on rows written before migration 0003): none.
   */
  tokensValidAfter?: number | null;
}

export interface AccessKeyRow extends Timestamps {
  id: string;
  userId: string;
  name: string | null;
  /** The secret, encrypted with FUNC_SECRET. */
  secretCipher: string;
  isDisabled: boolean;
}

export const API_AUTH_TYPES = ['fixedField', 'httpBasic', 'httpDigest', 'func'] as const;
export type ApiAuthType = (typeof API_AUTH_TYPES)[number];

/**
 * How a sync/async API checks its caller. configJSON by type (secrets encrypted at rest):
 * fixedField `{fields: [{location: header|query|body, name, value}]}`,
 * httpBasic / httpDigest `{users: [{username, password}]}`, func `{funcId}`.
 */
export interface ApiAuthRow extends Timestamps {
  id: string;
  title: string | null;
  type: ApiAuthType;
  configJSON: JsonObject;
  note: string | null;
}

export interface TaskRecordRow {
  id: string;
  rootTaskId: string | null;
  funcId: string;
  scriptId: string;
  origin: string;
  originId: string;
  queue: number;
  status: string;
  triggerTimeMs: number;
  startTimeMs: number | null;
  endTimeMs: number | null;
  kwargsJSON: JsonObject;
  returnValueJSON: unknown;
  printLogsTEXT: string | null;
  exceptionType: string | null;
  exceptionTEXT: string | null;
  tracebackTEXT: string | null;
  reason: string | null;
  timeoutMs: number;
  attempt: number;
  peakMemoryMb: number | null;
  /** The whole TaskMessage while the task is not final (lets an embedded broker recover it). */
  messageJSON: JsonObject | null;
  /** The HTTP request an API call came with, credentials masked (replay shows and re-sends it). */
  httpRequestJSON: JsonObject | null;
  /** The task this one re-ran (a replay or a requeue of a dead letter). */
  replayOf: string | null;
  /** Earlier attempts of a retried task, oldest first (the row holds the latest). */
  attemptsJSON: TaskAttempt[] | null;
}

/** One failed attempt of a task that was retried. */
export interface TaskAttempt {
  attempt: number;
  status: string;
  startTimeMs: number | null;
  endTimeMs: number | null;
  exceptionType: string | null;
  exceptionTEXT: string | null;
  reason: string | null;
  /** Epoch ms the next attempt was due. */
  retryAtMs: number;
}

/** A folder of the resources folder served read-only at `/api/v1/fs/:id/` (DataFlux Func's file service). */
export interface FileServiceRow extends Timestamps {
  id: string;
  /** Folder-relative, `/a/b` (`/`: the whole resources folder). */
  root: string;
  isDisabled: boolean;
  note: string | null;
}

/**
 * A named, stored connection that scripts use with `DFF.CONN(id)` (DataFlux Func's connector).
 * configJSON by type (docs/connectors.md); its secret fields (`password`, `secretKey`, header
 * values of an http connector) are encrypted at rest.
 */
export interface ConnectorRow extends Timestamps {
  id: string;
  title: string | null;
  description: string | null;
  type: ConnectorType;
  configJSON: JsonObject;
  isBuiltin: boolean;
  /** When it was pinned (lists show pinned first), null: not pinned. */
  pinTime: number | null;
}

/**
 * A blueprint (DataFlux Func's biz_main_blueprint): a flow canvas (`canvasJSON`: LogicFlow's
 * `{nodes, edges}`) that deploy turns into the script `_bp_<id>__main` (docs/blueprints.md);
 * `viewJSON` is the editor's viewport, kept as sent.
 */
export interface BlueprintRow extends Timestamps {
  id: string;
  title: string | null;
  description: string | null;
  canvasJSON: JsonObject;
  viewJSON: JsonObject;
  /** As add and modify set it (deploy does not: DataFlux Func's does not either). */
  isDeployed: boolean;
}

export interface EntityRows {
  scriptSets: ScriptSetRow;
  scripts: ScriptRow;
  funcs: FuncRow;
  syncApis: SyncApiRow;
  asyncApis: AsyncApiRow;
  cronJobs: CronJobRow;
  envVariables: EnvVariableRow;
  users: UserRow;
  accessKeys: AccessKeyRow;
  apiAuth: ApiAuthRow;
  fileServices: FileServiceRow;
  connectors: ConnectorRow;
  blueprints: BlueprintRow;
}
export type EntityName = keyof EntityRows;

/** A text column holding `contains`, ignoring case (DataFlux Func's `like` list filter). */
export interface ContainsText {
  contains: string;
}

/**
 * One of `columns` holds `text`, whatever its case (DataFlux Func's `_fuzzySearch`; JSON columns
 * searched as their stored text). Empty text narrows nothing.
 */
export interface AnyContains<Column extends string> {
  columns: readonly Column[];
  text: string;
}

/** Filters on columns: a value is equality, an array "one of", `{contains}` a text search. */
export type RowFilter<Row> = { [K in keyof Row]?: Row[K] | Row[K][] | ContainsText };

export interface ListOptions {
  limit?: number;
  offset?: number;
}

export interface EntityRepo<Row extends { id: string }> {
  list(filter?: RowFilter<Row>, options?: ListOptions): Promise<Row[]>;
  get(id: string): Promise<Row | undefined>;
  /** Throws DuplicateIdError when the id exists, DuplicateValueError when another unique column's value does (users.username). */
  insert(row: Row): Promise<void>;
  /** False when no row has this id. Throws DuplicateValueError when another row has a unique column's new value. */
  update(id: string, patch: Partial<Omit<Row, 'id'>>): Promise<boolean>;
  delete(id: string): Promise<boolean>;
}

export class DuplicateIdError extends Error {
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} exists already`);
    this.name = 'DuplicateIdError';
  }
}

/**
 * A value a unique index keeps to one row (users.username) is another row's already: the check
 * before writing passed, and a concurrent write took the value first.
 */
export class DuplicateValueError extends Error {
  constructor(
    readonly entity: string,
    readonly field: string,
    readonly value: string,
  ) {
    super(`${entity}: ${field} ${value} is taken`);
    this.name = 'DuplicateValueError';
  }
}

/** The row an operation works on was deleted meanwhile (e.g. a script deleted while it is being published). */
export class RowGoneError extends Error {
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} does not exist`);
    this.name = 'RowGoneError';
  }
}

export interface ScriptOps {
  /** Save a draft if the stored draft md5 is still `prevMD5` (any when undefined). False on conflict. */
  saveDraft(id: string, codeDraft: string, codeDraftMD5: string, prevMD5: string | undefined, now: number): Promise<boolean>;
  /** In one transaction: set code, bump publishVersion, add history, replace the script's funcs. Returns the new version; RowGoneError when the script is gone. */
  publish(input: { scriptId: string; code: string; codeMD5: string; note: string | null; funcs: FuncRow[]; now: number }): Promise<number>;
  history(scriptId: string): Promise<ScriptPublishRow[]>;
  /** Published versions of every script (or those given), newest first; the code only when asked. */
  listHistory(
    filter: { scriptId?: readonly string[] | undefined; publishVersion?: readonly number[] | undefined; anyContains?: AnyContains<keyof ScriptPublishRow> | undefined },
    page: { limit: number; offset: number },
    withCode: boolean,
  ): Promise<ScriptPublishRow[]>;
  /** Delete a script and its funcs and history. */
  deleteScript(id: string): Promise<boolean>;
}

export interface TaskRecordFilter {
  id?: string;
  funcId?: string;
  origin?: string;
  originId?: string;
  status?: string | string[];
  rootTaskId?: string;
  scriptId?: string;
  /** The script set of the record's script (its id before `__`). */
  scriptSetId?: string;
  queue?: number;
  /** triggerTimeMs range, inclusive. */
  since?: number;
  until?: number;
  anyContains?: AnyContains<keyof TaskRecordRow>;
}

/**
 * How long before `since` a task may have been triggered and still count in timingsSince: the
 * longest default wait (900 s expiry) plus the longest default timeout (3600 s), rounded up.
 */
export const TIMING_LOOKBACK_MS = 2 * 3_600_000;

export interface TaskRecordUpdate {
  id: string;
  patch: Partial<Omit<TaskRecordRow, 'id'>>;
}

/** When a finished task ran: what the capacity planner measures. */
export interface TaskTiming {
  queue: number;
  startTimeMs: number;
  endTimeMs: number;
}

/** A place in an origin's records, in their order (trigger time, then id). */
export interface RecordCursor {
  triggerTimeMs: number;
  id: string;
}

export interface TaskRecordOps {
  insert(record: TaskRecordRow): Promise<void>;
  update(id: string, patch: Partial<Omit<TaskRecordRow, 'id'>>): Promise<void>;
  /** Inserts then updates, all in one transaction (one commit). Throws DuplicateIdError like insert. */
  writeBatch(inserts: readonly TaskRecordRow[], updates: readonly TaskRecordUpdate[]): Promise<void>;
  get(id: string): Promise<TaskRecordRow | undefined>;
  /** Newest first. */
  list(filter: TaskRecordFilter, options?: ListOptions): Promise<TaskRecordRow[]>;
  /**
   * Records still `status` (`queued` or `running`) that were triggered at or before `until`,
   * oldest first (trigger time, then id), starting after `after` (the last one of the previous
   * page): recovery from a broker that lost its data pages through them.
   */
  unfinishedUntil(status: 'queued' | 'running', until: number, after: RecordCursor | undefined, limit: number): Promise<TaskRecordRow[]>;
  /**
   * Update the record only while it still has `expected.status` (and `expected.attempt`, when
   * given), in one statement: a sweep that read it earlier never overwrites what another writer
   * (a cancel, a worker's outcome) stored meanwhile. True when it was updated.
   */
  updateIf(id: string, expected: { status: string; attempt?: number }, patch: Partial<Omit<TaskRecordRow, 'id'>>): Promise<boolean>;
  /**
   * Tasks that ran to an end (success, failure, timeout: they have a start and an end time) and
   * ended at or after `since`, newest first, at most `limit`. Only tasks triggered at most
   * TIMING_LOOKBACK_MS before `since` are looked at (the status + trigger time index bounds the scan).
   */
  timingsSince(since: number, limit: number): Promise<TaskTiming[]>;
  /**
   * Keep the newest `keep` records of an origin: the finished ones older than those are deleted
   * (queued and running ones are never trimmed, however old). With `from` (the cutoff an earlier
   * trim answered), only the records from it on are looked at: a backlog's queued records before
   * it are not read again. Answers how many were deleted and the cutoff (the oldest record kept;
   * none when the origin has `keep` records or fewer, or `keep` is 0).
   */
  trim(origin: string, originId: string, keep: number, from?: RecordCursor): Promise<{ deleted: number; cutoff: RecordCursor | undefined }>;
  /** How many records each of `ids` has (by origin id or function id); ids without records are left out. */
  countBy(field: 'originId' | 'funcId', ids: readonly string[]): Promise<Record<string, number>>;
  /**
   * The records of `origin` from any of `originIds` that were triggered within [since, until]
   * (inclusive) or are still queued or running, in no order: what the beat checks for a batch of
   * due jobs in one query (a run already recorded for a scheduled time, a run not finished yet).
   */
  originActivity(origin: string, originIds: readonly string[], since: number, until: number): Promise<OriginActivity[]>;
}

export interface OriginActivity {
  id: string;
  originId: string;
  triggerTimeMs: number;
  status: string;
  /** When it started running (null until then, or for a short task, written straight to its outcome). */
  startTimeMs: number | null;
  timeoutMs: number;
  /** An unfinished record's: the latest its task (or the next attempt of a retry) may start, from its message (null without one). */
  startsBefore: number | null;
}

/** DFF.STORE: durable scoped key-value with optional expiry. */
export interface FuncStoreOps {
  get(scope: string, key: string, now: number): Promise<unknown>;
  /** With `notExists`, set only when absent (or expired); returns whether it was set. */
  set(scope: string, key: string, value: unknown, expireAt: number | null, notExists: boolean, now: number): Promise<boolean>;
  delete(scope: string, key: string): Promise<boolean>;
  keys(scope: string, pattern: string | null, now: number): Promise<string[]>;
  /** The func-stores routes: entries (expired ones too, until pruned), newest first, without their values. */
  browse(filter: FuncStoreFilter, page: { limit: number; offset: number }): Promise<FuncStoreEntry[]>;
  /** One entry with its value (an expired one too). */
  entry(scope: string, key: string): Promise<(FuncStoreEntry & { value: unknown }) | undefined>;
}

/** `scope` / `key`: substring of it; `search`: substring of either. */
export interface FuncStoreFilter {
  scope?: string | undefined;
  key?: string | undefined;
  search?: string | undefined;
}

export interface FuncStoreEntry {
  scope: string;
  key: string;
  expireAt: number | null;
  /** Bytes of the value as JSON. */
  dataSize: number;
  createTime: number;
  updateTime: number;
}

/**
 * Sign-in state that must outlive a process and be the same for every server of a stack: marks
 * with an expiry (a signed-out token's id, an access-key nonce used in embedded mode).
 */
export interface AuthStateOps {
  /** Sets the mark until `expireAt` unless a live one exists (an expired one counts as absent); whether it was set. */
  mark(key: string, expireAt: number, now: number): Promise<boolean>;
  /** Whether a live mark exists. */
  isMarked(key: string, now: number): Promise<boolean>;
  /** Deletes the expired marks; answers how many. */
  prune(now: number): Promise<number>;
}

export interface CronIndexOps {
  /** Enabled cron jobs whose nextRunTime <= now, earliest first (uses an index). */
  due(now: number, limit: number): Promise<CronJobRow[]>;
  setRunTimes(id: string, nextRunTime: number | null, lastRunTime: number | null): Promise<void>;
  /** The earliest nextRunTime of the enabled jobs, null when none has one (uses the due index). */
  nextDue(): Promise<number | null>;
  /** setRunTimes for many jobs: one UPDATE per distinct (nextRunTime, lastRunTime) pair. */
  setRunTimesMany(updates: readonly CronRunTimes[]): Promise<void>;
}

export interface CronRunTimes {
  id: string;
  nextRunTime: number | null;
  lastRunTime: number | null;
}

/** One table of the store as the system report lists it (DataFlux Func's `DB_TABLE_STATUS` entry). */
export interface TableStatus {
  name: string;
  /** Exact on SQLite; MySQL's own estimate (`information_schema`), as DataFlux Func reports it. */
  rows: number;
  /** Bytes of the table's rows, of its indexes, both, and both per row (0 without rows). */
  dataSize: number;
  indexSize: number;
  totalSize: number;
  avgRowSize: number;
}

/** What the system report says of the store: its settings (MySQL's variables, SQLite's pragmas) and its tables. */
export interface StoreReport {
  settings: Record<string, string>;
  tables: TableStatus[];
}

export interface Store {
  readonly dialect: 'sqlite' | 'mysql';
  entity<N extends EntityName>(name: N): EntityRepo<EntityRows[N]>;
  readonly scripts: ScriptOps;
  readonly taskRecords: TaskRecordOps;
  readonly funcStore: FuncStoreOps;
  readonly cron: CronIndexOps;
  readonly authState: AuthStateOps;
  /** The audit log of admin writes. */
  readonly operationRecords: OperationRecordOps;
  readonly recoverPoints: RecoverPointOps;
  /** What script-set exports sent out and imports brought in (DataFlux Func's export and import history). */
  readonly scriptSetExportHistory: ScriptSetHistoryOps;
  readonly scriptSetImportHistory: ScriptSetHistoryOps;
  readonly settings: SettingOps;
  /** Temporary flags, captcha answers. */
  readonly expiring: ExpiringValueOps;
  /** Autoscaling policies of the stack's worker units. */
  readonly autoscale: AutoscaleOps;
  /**
   * A mark that differs after any write to the database, by this process or another (SQLite);
   * absent where that cannot be known cheaply (MySQL). The beat skips its tick while the mark
   * stays and no job is due.
   */
  changeMark?(): string;
  /** Whether `err` says the database cannot be reached (refused, lost, timed out): the server answers 503 `ESysDB`, not 500. */
  isUnreachable?(err: unknown): boolean;
  /** The tables with their rows and sizes, and the database's settings (`GET /api/v1/system-report`). */
  report(): Promise<StoreReport>;
  /** Apply pending migrations (idempotent). */
  migrate(): Promise<void>;
  close(): Promise<void>;
}
