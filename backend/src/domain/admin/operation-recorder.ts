/**
 * The audit log's writer. Recording never delays a request: `record` queues the row and returns;
 * queued rows go out together (one multi-row INSERT) on a short timer or when MAX_BATCH are
 * waiting, and a failed write is reported to `onError` and dropped (an audit row is not worth
 * failing or retrying a request for). The table is trimmed to the newest `limit` rows every
 * trimEvery(limit) rows written, like task records (domain/tasks/retention.ts).
 */
import type { OperationRecordOps, OperationRecordRow } from '../ports/admin-store.js';
import { trimEvery } from '../tasks/retention.js';

/** DataFlux Func keeps this many operation records. */
export const OPERATION_RECORD_LIMIT = 50_000;
const MAX_BATCH = 200;
const FLUSH_MS = 100;

export interface OperationRecorderOptions {
  limit?: number;
  flushMs?: number;
  onError?: (err: unknown, lost: number) => void;
}

export class OperationRecorder {
  private queue: OperationRecordRow[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private sinceTrim = 0;
  private readonly limit: number;
  private readonly flushMs: number;
  private readonly onError: (err: unknown, lost: number) => void;

  constructor(
    private readonly ops: OperationRecordOps,
    options: OperationRecorderOptions = {},
  ) {
    this.limit = options.limit ?? OPERATION_RECORD_LIMIT;
    this.flushMs = options.flushMs ?? FLUSH_MS;
    this.onError = options.onError ?? (() => undefined);
  }

  record(row: OperationRecordRow): void {
    this.queue.push(row);
    if (this.queue.length >= MAX_BATCH) void this.flush();
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => void this.flush(), this.flushMs);
      this.timer.unref?.();
    }
  }

  /** Writes what is queued; resolves when it (and any write before it) is done. Never rejects. */
  flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = this.queue;
    this.queue = [];
    this.writing = this.writing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.ops.insertMany(batch);
      } catch (err) {
        this.onError(err, batch.length);
        return;
      }
      this.sinceTrim += batch.length;
      if (this.sinceTrim >= trimEvery(this.limit)) {
        this.sinceTrim = 0;
        try {
          await this.ops.trim(this.limit);
        } catch (err) {
          this.onError(err, 0);
        }
      }
    });
    return this.writing;
  }
}
