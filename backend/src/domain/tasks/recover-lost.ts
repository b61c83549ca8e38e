/**
 * The task records as the journal of a broker that lost its data (a Redis without persistence
 * restarted), and the settling of records whose task never reached the broker.
 */
import type { Broker } from '../ports/broker.js';
import type { TaskRecordOps, TaskRecordRow } from '../ports/store.js';
import type { TaskMessage } from './task.js';

const PAGE = 500;

/** Pages through the records still `status` and triggered at or before `until`, oldest first. */
async function forEachPage(records: TaskRecordOps, status: 'queued' | 'running', until: number, each: (page: TaskRecordRow[]) => Promise<void>): Promise<void> {
  let after: { triggerTimeMs: number; id: string } | undefined;
  for (;;) {
    const page = await records.unfinishedUntil(status, until, after, PAGE);
    if (page.length === 0) return;
    await each(page);
    const last = page[page.length - 1]!;
    after = { triggerTimeMs: last.triggerTimeMs, id: last.id };
    if (page.length < PAGE) return;
  }
}

/**
 * The broker lost every task it held at about `until`: enqueue again, from their records (which
 * keep the whole message), the tasks still recorded `queued` then — waiting ones, delayed ones
 * (their eta kept: the message carries it) and retries waiting for their next attempt. `running`
 * ones are left out: their worker holds them and stores their outcome (its ack finds nothing,
 * which changes nothing). A task whose body the broker still has is left as it is (an enqueue is
 * idempotent per task id). `progress` is told after each page (a long recovery shows it lives).
 * Answers how many were enqueued again.
 */
export async function reenqueueQueued(records: TaskRecordOps, broker: Broker, until: number, progress: () => Promise<void> = () => Promise.resolve()): Promise<number> {
  let count = 0;
  await forEachPage(records, 'queued', until, async (page) => {
    const tasks = page.filter((r) => r.messageJSON).map((r) => ({ ...(r.messageJSON as unknown as TaskMessage), waitResult: false, attempt: r.attempt }));
    await Promise.all(tasks.map((t) => broker.enqueue(t)));
    count += tasks.length;
    await progress();
  });
  return count;
}

/**
 * Records left `queued` for a task the broker does not hold (its server stopped between the
 * record and the enqueue, e.g. a kill -9): nothing will run them, and their caller was never
 * answered with their id. They end as failures saying so. `until` must be older than the longest
 * submit (a record is written just before its enqueue, and a failed enqueue ends its record
 * itself); `known` answers which ids the broker holds; `stillSure` is asked before the writes
 * (false: the broker may have lost its data meanwhile, leave them to the recovery). Each write
 * is conditional on the record still being `queued`: one that a cancel or a worker ended since
 * it was read is left alone (a worker stores its outcome before its task leaves the broker).
 * Answers how many were ended.
 */
export async function settleOrphans(
  records: TaskRecordOps,
  known: (taskIds: readonly string[]) => Promise<Set<string>>,
  until: number,
  now: () => number,
  stillSure: () => Promise<boolean>,
): Promise<number> {
  let count = 0;
  await forEachPage(records, 'queued', until, async (page) => {
    const held = await known(page.map((r) => r.id));
    const missing = page.filter((r) => !held.has(r.id));
    if (missing.length === 0 || !(await stillSure())) return;
    for (const r of missing) {
      const ended = await records.updateIf(
        r.id,
        { status: 'queued' },
        {
          status: 'failure',
          reason: 'ESys',
          exceptionType: 'TaskNeverEnqueued',
          exceptionTEXT: 'recorded but never enqueued (its server stopped before the enqueue), so it never ran',
          endTimeMs: now(),
          messageJSON: null,
        },
      );
      if (ended) count += 1;
    }
  });
  return count;
}
