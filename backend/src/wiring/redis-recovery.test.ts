/**
 * Recovery of a Redis that lost its data, and settling records that never reached it: a real
 * SQLite store, the real RedisBroker on 127.0.0.1:6379 under a prefix of its own. Redis "losing
 * its data" is every key of the prefix deleted (marker, bodies, queues), as a restart without
 * persistence leaves them. The whole stack with a Redis restarted for real:
 * test/production-redis-loss.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisBroker } from '../adapters/broker/redis/redis-broker.js';
import { TEST_REDIS_URL, deleteKeys, requireRedis, uniquePrefix } from '../adapters/broker/testing/redis-test-env.js';
import { sampleTask } from '../adapters/broker/testing/sample-task.js';
import { openStore, type OpenedStore } from '../adapters/store/open-store.js';
import { TaskDispatcher } from '../domain/tasks/dispatcher.js';
import { storeTaskState } from '../domain/tasks/store-outcome.js';
import { queuedRecord } from '../domain/tasks/task-record.js';
import type { TaskMessage } from '../domain/tasks/task.js';
import { toApiError } from '../server/errors.js';
import { eventually } from '../testing/eventually.js';
import { startRedisRecovery, type RedisRecovery } from './redis-recovery.js';

let home = '';
let store: OpenedStore;
let broker: RedisBroker;
let prefix = '';
const recoveries: RedisRecovery[] = [];
const notices: string[] = [];

async function recovery(extra: { orphanSweepMs?: number; orphanAgeMs?: number; runningGraceMs?: number } = {}): Promise<RedisRecovery> {
  // Warnings (this Redis keeps nothing on disk) aside.
  const r = await startRedisRecovery({
    url: TEST_REDIS_URL,
    prefix,
    store,
    broker,
    now: Date.now,
    onNotice: (m) => {
      if (!m.startsWith('warning:')) notices.push(m);
    },
    ...extra,
  });
  recoveries.push(r);
  return r;
}

const queueStats = async (queue: number): Promise<{ ready: number; delayed: number }> => {
  const s = (await broker.stats()).find((q) => q.queue === queue)!;
  return { ready: s.length, delayed: s.delayed };
};

beforeEach(async () => {
  await requireRedis();
  home = mkdtempSync(join(tmpdir(), 'func-redis-recovery-'));
  store = await openStore({ sqlitePath: join(home, 'db.sqlite') });
  await store.migrate();
  prefix = uniquePrefix('recovery');
  broker = new RedisBroker({ url: TEST_REDIS_URL, prefix, sweepEveryMs: 0 });
  await broker.ready();
  notices.length = 0;
});

afterEach(async () => {
  await Promise.all(recoveries.splice(0).map((r) => r.close()));
  await broker.close();
  await store.close();
  await deleteKeys(prefix);
  rmSync(home, { recursive: true, force: true });
});

describe('Redis lost its data', () => {
  it('enqueues again, once across roles, the tasks still recorded queued (eta kept), not the running ones', async () => {
    const a = await recovery();
    const b = await recovery();
    // The first start of a stack finds no marker: nothing queued, nothing to say.
    expect(notices).toEqual([]);
    const dispatcher = new TaskDispatcher(store, broker);
    const now = Date.now();
    await dispatcher.submit(sampleTask('t-ready', 3, now));
    await dispatcher.submit(sampleTask('t-delayed', 3, now, { eta: now + 60_000 }));
    await dispatcher.submit(sampleTask('t-running', 3, now));
    await store.taskRecords.update('t-running', { status: 'running' });
    expect(await queueStats(3)).toEqual({ ready: 2, delayed: 1 });

    await deleteKeys(prefix);
    expect(await queueStats(3)).toEqual({ ready: 0, delayed: 0 });
    await Promise.all([a.check(), b.check()]);

    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/2 task\(s\) still recorded as queued were enqueued again/);
    expect(await queueStats(3)).toEqual({ ready: 1, delayed: 1 });
    const d = await broker.reserve([3], 'test', 0);
    expect(d?.task.id).toBe('t-ready');
    // A later check finds the marker: nothing again.
    await a.check();
    expect(notices).toHaveLength(1);
  });

  it('ends a record left queued for a task that never reached Redis, not one that did', async () => {
    // Started first: its first check (no marker yet) would enqueue the orphan as a lost task.
    await recovery({ orphanSweepMs: 200, orphanAgeMs: 0 });
    const dispatcher = new TaskDispatcher(store, broker);
    const now = Date.now();
    await store.taskRecords.insert(queuedRecord(sampleTask('t-orphan', 2, now)));
    await dispatcher.submit(sampleTask('t-enqueued', 2, now));
    const ended = await eventually(async () => {
      const r = await store.taskRecords.get('t-orphan');
      return r?.status === 'failure' ? r : undefined;
    }, 5_000);
    expect(ended).toMatchObject({ reason: 'ESys', exceptionType: 'TaskNeverEnqueued', messageJSON: null });
    expect((await store.taskRecords.get('t-enqueued'))?.status).toBe('queued');
    expect(notices.some((m) => /1 task record\(s\) left queued/.test(m))).toBe(true);
  });
});

describe('records left running that no worker holds', () => {
  it('runs again a task whose worker died with the data of Redis, ends those that cannot run again, leaves those a worker or Redis may hold', async () => {
    const a = await recovery({ orphanSweepMs: 200, runningGraceMs: 0 });
    const dispatcher = new TaskDispatcher(store, broker);
    const now = Date.now();
    // A worker (this test) reserves each and marks it running as a worker unit does, then dies.
    const running = async (id: string, extra: Partial<TaskMessage>): Promise<void> => {
      await dispatcher.submit(sampleTask(id, 4, now, extra));
      const d = await broker.reserve([4], 'worker-a', 0);
      expect(d?.task.id).toBe(id);
      await storeTaskState(store.taskRecords, d!.task, { status: 'running', startTimeMs: now, attempt: d!.attempt });
    };
    await running('t-lost', { timeoutMs: 100 });
    // Within its timeout: its worker may be alive and running it still.
    await running('t-live', { timeoutMs: 600_000 });
    // Its last delivery (of 5) was the one lost.
    await running('t-last', { timeoutMs: 100 });
    await store.taskRecords.update('t-last', { attempt: 5 });
    // A sync call recorded by its worker: no message kept to run it again.
    await store.taskRecords.insert({ ...queuedRecord(sampleTask('t-sync', 4, now, { timeoutMs: 100 })), status: 'running', startTimeMs: now, attempt: 1, messageJSON: null });

    // Redis loses its data, the worker's reservations with it.
    await deleteKeys(prefix);
    await a.check();
    // A worker killed while Redis keeps its data: Redis delivers it again after its visibility timeout.
    await running('t-held', { timeoutMs: 100 });

    await eventually(async () => ((await store.taskRecords.get('t-lost'))?.status === 'queued' ? true : undefined), 5_000);
    const again = await broker.reserve([4], 'worker-b', 0);
    expect(again).toMatchObject({ task: { id: 't-lost' }, attempt: 2 });
    for (const id of ['t-last', 't-sync']) {
      const ended = await eventually(async () => {
        const r = await store.taskRecords.get(id);
        return r?.status === 'failure' ? r : undefined;
      }, 5_000);
      expect(ended).toMatchObject({ reason: 'EWorkerNoResponse', exceptionType: 'TaskLost', messageJSON: null });
      expect(ended.exceptionTEXT).toMatch(/still running after its timeout, held by no worker and not by Redis/);
    }
    expect((await store.taskRecords.get('t-last'))?.exceptionTEXT).toMatch(/delivery 5 \(the last of 5\) was lost/);
    expect((await store.taskRecords.get('t-sync'))?.exceptionTEXT).toMatch(/cannot run again/);
    expect(notices.some((m) => /left running past their timeout, held by no worker nor Redis: 1 enqueued again, 2 ended/.test(m))).toBe(true);
    // More sweeps change nothing for those a worker or Redis may still hold.
    await new Promise((r) => setTimeout(r, 500));
    expect((await store.taskRecords.get('t-live'))?.status).toBe('running');
    expect((await store.taskRecords.get('t-held'))?.status).toBe('running');
    expect(await broker.reserve([4], 'worker-b', 0)).toBeNull();
  });
});

describe('a record left running for a task Redis dead-lettered unrecorded', () => {
  it('ends it as the dead-lettering does, not run again beside its dead letter', async () => {
    await recovery({ orphanSweepMs: 200, runningGraceMs: 0 });
    const dispatcher = new TaskDispatcher(store, broker);
    const now = Date.now();
    await dispatcher.submit(sampleTask('t-dead', 4, now, { timeoutMs: 100 }));
    const d = await broker.reserve([4], 'worker-a', 0);
    // Its record says delivery 4 of 5 (the fifth died before it was marked running).
    await storeTaskState(store.taskRecords, d!.task, { status: 'running', startTimeMs: now, attempt: 4 });
    // The broker's sweep dead-letters it as sweep-9 does (body gone, entry in P dead); the store never hears of it.
    const redis = new Redis(TEST_REDIS_URL);
    try {
      await redis
        .multi()
        .hdel(`${prefix}msg`, 't-dead')
        .zrem(`${prefix}inflight:4`, 't-dead')
        .lpush(`${prefix}dead`, JSON.stringify({ queue: 4, attempts: 5, at: now, history: [], task: d!.task }))
        .exec();
    } finally {
      redis.disconnect();
    }
    const ended = await eventually(async () => {
      const r = await store.taskRecords.get('t-dead');
      return r?.status === 'failure' ? r : undefined;
    }, 5_000);
    expect(ended).toMatchObject({ reason: 'EWorkerNoResponse', exceptionTEXT: 'dead-lettered after 5 deliveries without an outcome', messageJSON: null });
    expect(await broker.reserve([4], 'worker-b', 0)).toBeNull();
    expect((await broker.deadLetters(10)).map((e) => e.taskId)).toEqual(['t-dead']);
  });
});

describe('a submit Redis does not take', () => {
  it('ends its record as a failure naming the broker, and the API answers 503 ERedisUnavailable', async () => {
    // Nothing listens on port 1.
    const down = new RedisBroker({ url: 'redis://127.0.0.1:1', prefix, sweepEveryMs: 0, maxRetriesPerRequest: 1 });
    try {
      const err = await new TaskDispatcher(store, down).submit(sampleTask('t-refused', 1, Date.now())).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Error);
      expect(await store.taskRecords.get('t-refused')).toMatchObject({ status: 'failure', reason: 'ERedisUnavailable', exceptionType: 'RedisUnavailableError', messageJSON: null });
      const api = toApiError(err);
      expect(api.status).toBe(503);
      expect(api.code).toBe('ERedisUnavailable');
      expect(api.message).toBe('The broker (Redis) cannot be reached; try again once it is back');
    } finally {
      await down.close();
    }
  });
});
