/**
 * Task record retention per origin (DataFlux Func's taskRecordLimit): an API or cron job keeps
 * its newest `taskRecordLimit` records (default below); direct calls and debug runs keep a fixed
 * number per function. Trimming runs every tenth of the limit (at most every 100) completions of
 * an origin, so its cost is spread thin; an origin may exceed its limit by that much meanwhile.
 * A busy origin is trimmed at most once a second, unless it exceeds its limit by the whole limit:
 * each trim is a query and a delete in the database, and at hundreds of calls a second their
 * number, not the rows they delete, was what the sync calls' tail waited behind (bench/RESULTS.md,
 * issue 20, session 15).
 *
 * Queued and running records are never trimmed, so a backlog's records lie before the cutoff until
 * they finish. A trim therefore starts where the origin's last trim here cut (its cutoff), and only
 * every FULL_TRIM_INTERVAL_MS goes back to the origin's oldest record for what finished behind it:
 * otherwise each trim read the whole backlog again (bench/RESULTS.md, issue 20, session 31). That
 * full trim comes on a timer too (`schedule`): a backlog drained with no new records does not move
 * the cutoff, and an origin quiet afterwards has no completion left to trim it.
 */
import type { RecordCursor, Store } from '../ports/store.js';
import type { TaskMessage } from './task.js';

export const DEFAULT_RECORD_LIMITS: Record<string, number> = {
  direct: 1000,
  syncAPI: 1000,
  asyncAPI: 1000,
  cronJob: 1000,
  debugger: 100,
  connector: 1000,
  func: 1000,
  apiAuth: 100,
};

/** An origin is trimmed every this many completions: a tenth of its limit, between 1 and 100. */
export function trimEvery(limit: number): number {
  return Math.max(1, Math.min(100, Math.floor(limit / 10)));
}

/** A busy origin is trimmed at most this often (unless it is over its limit by the whole limit). */
export const TRIM_MIN_INTERVAL_MS = 1000;

/** An origin's trims start at its last cutoff, but go back to its oldest record at least this often. */
export const FULL_TRIM_INTERVAL_MS = 60_000;

/** A changed taskRecordLimit applies within this long. */
const LIMIT_CACHE_MS = 10_000;

const TABLE_OF: Partial<Record<string, 'syncApis' | 'asyncApis' | 'cronJobs'>> = { syncAPI: 'syncApis', asyncAPI: 'asyncApis', cronJob: 'cronJobs' };

export class TaskRecordRetention {
  private readonly counts = new Map<string, number>();
  /** When each origin was last trimmed (`now`). */
  private readonly trimmedAt = new Map<string, number>();
  /** Each origin's last cutoff, and when its last full trim was. */
  private readonly cutAt = new Map<string, { cutoff: RecordCursor; fullAt: number }>();
  /** The full trim due for an origin that had windowed trims since its last one (cancels it). */
  private readonly fullDue = new Map<string, () => void>();

  constructor(
    private readonly store: Store,
    private readonly limits: Record<string, number> = DEFAULT_RECORD_LIMITS,
    private readonly now: () => number = Date.now,
    /** Runs `fn` after `ms` (a timer that keeps no process alive); answers its cancel. */
    private readonly schedule: (fn: () => void, ms: number) => () => void = unrefTimer,
  ) {}

  /** Cancels the full trims still due (the worker is stopping). */
  close(): void {
    for (const cancel of this.fullDue.values()) cancel();
    this.fullDue.clear();
  }

  private readonly limitCache = new Map<string, { limit: number; at: number }>();

  private async limitOf(task: TaskMessage, key: string): Promise<number> {
    const hit = this.limitCache.get(key);
    if (hit && Date.now() - hit.at < LIMIT_CACHE_MS) return hit.limit;
    let limit = this.limits[task.origin] ?? 1000;
    const table = TABLE_OF[task.origin];
    if (table) {
      const row = await this.store.entity(table).get(task.originId);
      if (row?.taskRecordLimit !== null && row?.taskRecordLimit !== undefined) limit = row.taskRecordLimit;
    }
    if (this.limitCache.size > 10_000) this.limitCache.clear();
    this.limitCache.set(key, { limit, at: Date.now() });
    return limit;
  }

  /**
   * Call after a task's outcome is stored; trims an origin every max(1, min(100, limit / 10))
   * completions, but not again within TRIM_MIN_INTERVAL_MS unless `limit` completions came since
   * the last trim. Answers how many records were deleted.
   */
  async after(task: TaskMessage): Promise<number> {
    const key = `${task.origin}\u0000${task.originId}`;
    const limit = await this.limitOf(task, key);
    const n = (this.counts.get(key) ?? 0) + 1;
    const now = this.now();
    const last = this.trimmedAt.get(key);
    if (n < trimEvery(limit) || (n < limit && last !== undefined && now - last < TRIM_MIN_INTERVAL_MS && now >= last)) {
      this.counts.set(key, n);
      return 0;
    }
    this.counts.set(key, 0);
    if (this.trimmedAt.size > 10_000) this.trimmedAt.clear();
    this.trimmedAt.set(key, now);
    const cut = this.cutAt.get(key);
    const windowed = cut !== undefined && now >= cut.fullAt && now - cut.fullAt < FULL_TRIM_INTERVAL_MS;
    if (!windowed) this.cancelFull(key);
    const { deleted, cutoff } = await this.store.taskRecords.trim(task.origin, task.originId, limit, windowed ? cut.cutoff : undefined);
    if (this.cutAt.size > 10_000) {
      this.cutAt.clear();
      this.close();
    }
    if (cutoff === undefined) {
      this.cutAt.delete(key);
      this.cancelFull(key);
    } else {
      const fullAt = windowed ? cut.fullAt : now;
      this.cutAt.set(key, { cutoff, fullAt });
      if (windowed && !this.fullDue.has(key))
        this.fullDue.set(
          key,
          this.schedule(() => void this.fullTrim(key, task, limit), fullAt + FULL_TRIM_INTERVAL_MS - now),
        );
    }
    return deleted;
  }

  private cancelFull(key: string): void {
    this.fullDue.get(key)?.();
    this.fullDue.delete(key);
  }

  /** The timer's full trim of an origin; a failure leaves the next completion's trim to be a full one. */
  private async fullTrim(key: string, task: TaskMessage, limit: number): Promise<void> {
    this.fullDue.delete(key);
    const now = this.now();
    this.trimmedAt.set(key, now);
    this.counts.set(key, 0);
    try {
      const { cutoff } = await this.store.taskRecords.trim(task.origin, task.originId, limit);
      if (cutoff === undefined) this.cutAt.delete(key);
      else this.cutAt.set(key, { cutoff, fullAt: now });
    } catch {
      this.cutAt.delete(key);
    }
  }
}

function unrefTimer(fn: () => void, ms: number): () => void {
  const timer = setTimeout(fn, Math.max(0, ms));
  timer.unref();
  return () => clearTimeout(timer);
}
