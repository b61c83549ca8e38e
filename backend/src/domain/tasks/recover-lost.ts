/**
 * The task records as the journal of a broker that lost its data (a Redis without persistence
 * restarted), and the settling of records whose task never reached the broker.
 */
import type { Broker, DeadLetterEntry } from '../ports/broker.js';
import type { TaskRecordOps, TaskRecordRow } from '../ports/store.js';
import type { TaskMessage } from './task.js';

const PAGE = 500;

/** Dead letters read to tell a lost task from a dead-lettered one: more than a broker keeps (Redis: 10,000). */
const DEAD_LETTERS_READ = 100_000;

/** What a dead-lettered task's record says (wiring/dead-letters.ts writes it when the broker tells). */
export function deadLetteredOutcome({ attempts }: Pick<DeadLetterEntry, 'attempts'>): { status: 'failure'; reason: 'EWorkerNoResponse'; exceptionTEXT: string; messageJSON: null } {
  return { status: 'failure', reason: 'EWorkerNoResponse', exceptionTEXT: `dead-lettered after ${attempts} deliveries without an outcome`, messageJSON: null };
}

/** Pages (of `size`) through the records still `status` and triggered at or before `until`, oldest first. */
export async function forEachPage(records: TaskRecordOps, status: 'queued' | 'running', until: number, each: (page: TaskRecordRow[]) => Promise<void>, size = PAGE): Promise<void> {
  let after: { triggerTimeMs: number; id: string } | undefined;
  for (;;) {
    const page = await records.unfinishedUntil(status, until, after, size);
    if (page.length === 0) return;
    await each(page);
    const last = page[page.length - 1]!;
    after = { triggerTimeMs: last.triggerTimeMs, id: last.id };
    if (page.length < size) return;
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
          exceptionTEXT: 'recorded queued, but Redis holds no task for it (its server stopped before the enqueue, or a sweep putting it back stopped midway): nothing would run it',
          endTimeMs: now(),
          messageJSON: null,
        },
      );
      if (ended) count += 1;
    }
  });
  return count;
}

export interface AbandonedOptions {
  /** Which of the ids the broker holds a task for (waiting, delayed, in flight or being retried). */
  known: (taskIds: readonly string[]) => Promise<Set<string>>;
  /** Only records whose run would have ended (start + timeout) this long before now. */
  graceMs: number;
  now: () => number;
  /** Asked before the writes: false leaves them to a recovery that may be starting. */
  stillSure: () => Promise<boolean>;
  /** Deliveries a task gets at most (the broker's `maxDeliveries`): one lost at the last ends. */
  maxDeliveries: number;
}

/**
 * Records left `running` whose task no worker holds any more: the broker does not hold it (a
 * worker killed while the broker keeps its data leaves it in flight, and the broker delivers it
 * again: those are left alone), and its run would have ended by its timeout, plus `graceMs`, ago
 * (a live worker ends a task at its timeout and stores its outcome). That is what a worker that
 * died together with a Redis that lost its data leaves behind, or one whose dead-lettering was
 * never recorded. Each runs again, as a delivery its worker lost (at-least-once): recorded
 * `queued` and enqueued again from its record with its deliveries so far, so the worker's
 * expiry rule (`startDeadline`) and the last delivery's dead-lettering apply; one that cannot run
 * again (no message kept: a sync call recorded by its worker; or its last delivery lost) ends
 * `failure` / `EWorkerNoResponse`, exception `TaskLost`. Every write is conditional on the record
 * still being `running` at the attempt read. Answers how many were run again and ended.
 */
export async function settleAbandoned(records: TaskRecordOps, broker: Broker, options: AbandonedOptions): Promise<{ rerun: number; ended: number }> {
  const done = { rerun: 0, ended: 0 };
  const until = options.now() - options.graceMs;
  let dead: Map<string, DeadLetterEntry> | undefined;
  // A task starts after its trigger: the trigger time bounds the query, the start time decides.
  await forEachPage(records, 'running', until, async (page) => {
    const over = page.filter((r) => (r.startTimeMs ?? r.triggerTimeMs) + r.timeoutMs <= until);
    if (over.length === 0) return;
    const held = await options.known(over.map((r) => r.id));
    const lost = over.filter((r) => !held.has(r.id));
    if (lost.length === 0 || !(await options.stillSure())) return;
    // A task the broker dead-lettered whose record was never told: its record's attempt may lag the
    // broker's count (a delivery lost before it was marked running), so it is not run again beside
    // its dead letter (which an admin may requeue) but ended as the dead-lettering ends it.
    dead ??= new Map((await broker.deadLetters(DEAD_LETTERS_READ)).map((e) => [e.taskId, e]));
    for (const r of lost) {
      const expected = { status: 'running', attempt: r.attempt };
      const letter = dead.get(r.id);
      if (letter) {
        const ended = await records.updateIf(r.id, expected, { ...deadLetteredOutcome(letter), endTimeMs: options.now() });
        if (ended) done.ended += 1;
        continue;
      }
      if (r.messageJSON && r.attempt < options.maxDeliveries) {
        if (!(await records.updateIf(r.id, expected, { status: 'queued' }))) continue;
        const task = { ...(r.messageJSON as unknown as TaskMessage), waitResult: false, attempt: r.attempt };
        await broker.enqueue(task).catch(async (err: unknown) => {
          // Not enqueued: `running` again, for the next sweep to look at.
          await records.updateIf(r.id, { status: 'queued', attempt: r.attempt }, { status: 'running' });
          throw err;
        });
        done.rerun += 1;
        continue;
      }
      const why = r.messageJSON
        ? `its delivery ${r.attempt} (the last of ${options.maxDeliveries}) was lost with its worker`
        : 'its task was not kept whole (a sync call is recorded by its worker), so it cannot run again';
      const ended = await records.updateIf(r.id, expected, {
        status: 'failure',
        reason: 'EWorkerNoResponse',
        exceptionType: 'TaskLost',
        exceptionTEXT: `still running after its timeout, held by no worker and not by Redis (its worker stopped, and Redis lost its data or its dead-lettering went unrecorded): ${why}`,
        endTimeMs: options.now(),
        messageJSON: null,
      });
      if (ended) done.ended += 1;
    }
  });
  return done;
}
