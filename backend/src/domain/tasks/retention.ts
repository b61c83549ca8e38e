/**
 * Task record retention per origin (DataFlux Func's taskRecordLimit): an API or cron job keeps
 * its newest `taskRecordLimit` records (default below); direct calls and debug runs keep a fixed
 * number per function. Trimming runs every TRIM_EVERY completions of an origin, so its cost is
 * spread thin (an origin may exceed its limit by fewer than TRIM_EVERY records meanwhile).
 */
import type { Store } from '../ports/store.js';
import type { TaskMessage } from './task.js';

export const DEFAULT_RECORD_LIMITS: Record<string, number> = {
  direct: 1000, syncAPI: 1000, asyncAPI: 1000, cronJob: 1000, debugger: 100, subscription: 1000, func: 1000, apiAuth: 100,
};

export const TRIM_EVERY = 10;

const TABLE_OF: Partial<Record<string, 'syncApis' | 'asyncApis' | 'cronJobs'>> = { syncAPI: 'syncApis', asyncAPI: 'asyncApis', cronJob: 'cronJobs' };

export class TaskRecordRetention {
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly limits: Record<string, number> = DEFAULT_RECORD_LIMITS,
  ) {}

  private async limitOf(task: TaskMessage): Promise<number> {
    const table = TABLE_OF[task.origin];
    if (table) {
      const row = await this.store.entity(table).get(task.originId);
      if (row?.taskRecordLimit !== null && row?.taskRecordLimit !== undefined) return row.taskRecordLimit;
    }
    return this.limits[task.origin] ?? 1000;
  }

  /** Call after a task's outcome is stored; trims every `TRIM_EVERY` completions of an origin. Answers how many records were deleted. */
  async after(task: TaskMessage): Promise<number> {
    const key = `${task.origin}\u0000${task.originId}`;
    const n = (this.counts.get(key) ?? 0) + 1;
    if (n < TRIM_EVERY) {
      this.counts.set(key, n);
      return 0;
    }
    this.counts.set(key, 0);
    return this.store.taskRecords.trim(task.origin, task.originId, await this.limitOf(task));
  }
}
