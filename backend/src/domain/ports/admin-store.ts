/**
 * Port: what the store keeps for administration (DataFlux Func's names): the operation records
 * (the audit log of admin writes), script recover points (snapshots of every script set and
 * script), system settings, and short-lived values with an expiry (temporary flags, captchas).
 */
import type { AnyContains, ListOptions } from './store.js';

/** One admin write: who, what, when, from where, and how it ended. */
export interface OperationRecordRow {
  id: string;
  userId: string | null;
  username: string | null;
  /** The contract's operation id (`modifyCronJob`). */
  operationId: string;
  traceId: string;
  clientId: string | null;
  clientIPsJSON: string[];
  reqMethod: string;
  /** The route as declared (`/api/v1/cron-jobs/:id/do/modify`). */
  reqRoute: string;
  /** The path asked for, secrets in the query masked. */
  reqURL: string;
  reqParamsJSON: Record<string, unknown> | null;
  reqQueryJSON: Record<string, unknown> | null;
  /** The body with every secret-bearing field replaced by `***` (see redactBody). */
  reqBodyJSON: unknown;
  respStatusCode: number;
  /** The error reason when it failed (`EClientBadRequest`), null when it succeeded. */
  respReason: string | null;
  reqCost: number;
  createTime: number;
}

export interface OperationRecordFilter {
  id?: string[];
  userId?: string[];
  username?: string[];
  traceId?: string[];
  reqMethod?: string[];
  operationId?: string[];
  /** Substring of the route. */
  reqRoute?: string;
  respStatusCode?: number;
  /** createTime range, inclusive. */
  since?: number;
  until?: number;
  anyContains?: AnyContains<keyof OperationRecordRow>;
}

export interface OperationRecordOps {
  /** Writes several records in one statement. */
  insertMany(rows: readonly OperationRecordRow[]): Promise<void>;
  /** Newest first. */
  list(filter: OperationRecordFilter, options?: ListOptions): Promise<OperationRecordRow[]>;
  count(filter: OperationRecordFilter): Promise<number>;
  /** Keeps the newest `keep` records; answers how many were deleted. */
  trim(keep: number): Promise<number>;
}

export const RECOVER_POINT_TYPES = ['import', 'recover', 'manual'] as const;
export type RecoverPointType = (typeof RECOVER_POINT_TYPES)[number];

export interface RecoverPointScriptSet {
  id: string;
  title: string | null;
  description: string | null;
  requirements: string | null;
}

export interface RecoverPointScript {
  id: string;
  scriptSetId: string;
  title: string | null;
  description: string | null;
  code: string | null;
  codeDraft: string;
}

/** Every script set and script at one moment. */
export interface RecoverPointData {
  scriptSets: RecoverPointScriptSet[];
  scripts: RecoverPointScript[];
}

export interface RecoverPointRow {
  id: string;
  type: RecoverPointType;
  note: string | null;
  exportData: RecoverPointData;
  createTime: number;
}

export interface RecoverPointOps {
  insert(row: RecoverPointRow): Promise<void>;
  get(id: string): Promise<RecoverPointRow | undefined>;
  /** Newest first, without exportData (summaries: scriptSetCount and scriptCount instead). */
  list(filter: { id?: string[]; type?: RecoverPointType[]; note?: string }, options?: ListOptions): Promise<RecoverPointSummary[]>;
  delete(id: string): Promise<boolean>;
  /** Keeps the newest `keep` points; answers how many were deleted. */
  trim(keep: number): Promise<number>;
}

export interface RecoverPointSummary {
  id: string;
  type: RecoverPointType;
  note: string | null;
  scriptSetCount: number;
  scriptCount: number;
  createTime: number;
}

/** One script-set export or import (DataFlux Func's export and import history). */
export interface ScriptSetHistoryRow {
  id: string;
  note: string | null;
  /** What went out or came in, flattened, without code (DataFlux Func's summaryJSON). */
  summaryJSON: Record<string, unknown>;
  createTime: number;
  updateTime: number;
}

export interface ScriptSetHistoryOps {
  insert(row: ScriptSetHistoryRow): Promise<void>;
  /** Newest first; `note` matches a part of the note. */
  list(filter: { id?: string[]; note?: string }, options?: ListOptions): Promise<(ScriptSetHistoryRow & { seq: number })[]>;
}

/** System settings as stored: only the values someone set (the defaults live in the domain). */
export interface SettingOps {
  all(): Promise<Record<string, unknown>>;
  set(id: string, value: unknown, now: number): Promise<void>;
  delete(id: string): Promise<boolean>;
}

/** Values that end by themselves: temporary flags, captcha answers. An expired value reads as absent. */
export interface ExpiringValueOps {
  /** expireAt null: until deleted. */
  set(id: string, value: unknown, expireAt: number | null, now: number): Promise<void>;
  get(id: string, now: number): Promise<{ value: unknown; expireAt: number | null } | undefined>;
  /** Reads and deletes in one go (a captcha answer is good once); undefined when absent or expired. */
  take(id: string, now: number): Promise<unknown>;
  delete(id: string): Promise<boolean>;
  prune(now: number): Promise<number>;
}
