/**
 * Every production role: notices a Redis that lost its data and enqueues the queued tasks again
 * from their records (one role of the stack does it), warns at start when Redis keeps nothing on
 * disk, and (one role per period) ends the records left `queued` for tasks that never reached
 * Redis and runs again (or ends) those left `running` that no worker holds any more.
 * docs/broker-redis.md, "Redis restarts".
 */
import { RedisDataLossWatch } from '../adapters/broker/redis/redis-data-loss.js';
import { BROKER_DEFAULTS, type Broker } from '../domain/ports/broker.js';
import type { Store } from '../domain/ports/store.js';
import { reenqueueQueued, settleAbandoned, settleOrphans } from '../domain/tasks/recover-lost.js';

/** How often one role of the stack looks for records left `queued` with no task in Redis. */
export const ORPHAN_SWEEP_MS = 5 * 60_000;
/**
 * Only records older than this: a submit writes its record just before its enqueue, and an
 * enqueue that fails (after ~7 s of Redis not answering) ends its record itself.
 */
export const ORPHAN_AGE_MS = 60_000;
/**
 * A record `running` past its timeout by this much, whose task Redis does not hold, is held by no
 * worker: a worker ends a task at its timeout and stores its outcome at once (clocks of the hosts
 * agreeing within it).
 */
export const RUNNING_GRACE_MS = 60_000;

export interface RedisRecoveryOptions {
  url: string;
  prefix: string;
  store: Store;
  broker: Broker;
  now: () => number;
  /** Tests shorten them. */
  orphanSweepMs?: number;
  orphanAgeMs?: number;
  runningGraceMs?: number;
  onNotice?: ((message: string) => void) | undefined;
  onError?: ((err: unknown) => void) | undefined;
}

export interface RedisRecovery {
  /** Checks the marker now (it is checked on each reconnect and every 10 s anyway). */
  check(): Promise<void>;
  close(): Promise<void>;
}

/** Resolves once the first check (and a recovery it started) is done. */
export async function startRedisRecovery(options: RedisRecoveryOptions): Promise<RedisRecovery> {
  const { store, broker, now } = options;
  const watch = new RedisDataLossWatch({
    url: options.url,
    prefix: options.prefix,
    now,
    onError: (err) => options.onError?.(err),
    onLoss: async (detectedAt, stillRecovering) => {
      const count = await reenqueueQueued(store.taskRecords, broker, detectedAt, stillRecovering);
      if (count > 0) options.onNotice?.(`Redis had lost its data (no marker key): ${count} task(s) still recorded as queued were enqueued again from their records`);
    },
  });
  const persistence = await watch.persistence();
  if (persistence && !persistence.appendonly && persistence.save === '') {
    options.onNotice?.(
      'warning: Redis keeps nothing on disk (appendonly no, save ""): a restart empties it. Queued tasks are enqueued again from their records ' +
        'once a role notices; tasks a worker held finish there (when it died too: run again, or ended TaskLost, after their timeout); sync calls waiting then are enqueued again by their server; the func cache (DFF.CACHE, cron expressions set by scripts) and ' +
        'dead letters are lost. Run Redis with appendonly yes to keep them (docs/broker-redis.md, "Redis restarts")',
    );
  }
  await watch.start();
  const sweepMs = options.orphanSweepMs ?? ORPHAN_SWEEP_MS;
  const ageMs = options.orphanAgeMs ?? ORPHAN_AGE_MS;
  let sweeping: Promise<unknown> = Promise.resolve();
  const sweep = async (): Promise<void> => {
    // One role per period; none while the marker is missing or a recovery runs (those tasks are the recovery's).
    if (!(await watch.claim('orphans', sweepMs - Math.min(1000, sweepMs / 10))) || !(await watch.settled())) return;
    const count = await settleOrphans(
      store.taskRecords,
      (ids) => watch.knownTasks(ids),
      now() - ageMs,
      now,
      () => watch.settled(),
    );
    if (count > 0) options.onNotice?.(`${count} task record(s) left queued for tasks that never reached Redis ended as failures`);
    const { rerun, ended } = await settleAbandoned(store.taskRecords, broker, {
      known: (ids) => watch.knownTasks(ids),
      graceMs: options.runningGraceMs ?? RUNNING_GRACE_MS,
      now,
      stillSure: () => watch.settled(),
      maxDeliveries: BROKER_DEFAULTS.maxDeliveries,
    });
    if (rerun + ended > 0)
      options.onNotice?.(
        `${rerun + ended} task record(s) left running past their timeout, held by no worker nor Redis: ${rerun} enqueued again, ${ended} ended as failures (TaskLost)`,
      );
  };
  const timer = setInterval(() => {
    sweeping = sweep().catch((err: unknown) => options.onError?.(err));
  }, sweepMs);
  timer.unref();
  return {
    check: () => watch.check(),
    close: async () => {
      clearInterval(timer);
      await sweeping;
      await watch.close();
    },
  };
}
