/**
 * The worker unit's fetch loop: how much it reserves, when it refills, what it stores before an
 * ack, how it stops. Real embedded broker and SQLite store; the pool is a stand-in whose tasks
 * the test finishes by hand (the Python pool itself: runner-pool.test.ts; the whole chain with
 * real processes: backend/test/production-*.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedBroker } from '../adapters/broker/embedded/embedded-broker.js';
import { openStore, type OpenedStore } from '../adapters/store/open-store.js';
import type { Broker, Delivery, HandOffConsumer, ReplyRoute } from '../domain/ports/broker.js';
import type { FuncRunnerPool } from '../domain/ports/runner.js';
import type { FuncCatalog } from '../domain/scripts/func-catalog.js';
import { queuedRecord } from '../domain/tasks/task-record.js';
import type { TaskMessage, TaskOutcome } from '../domain/tasks/task.js';
import { WorkerUnit } from './worker-unit.js';

interface Held {
  task: TaskMessage;
  finish: (o: TaskOutcome) => void;
  replyTo: ReplyRoute | undefined;
}

/** A pool that takes `concurrency` tasks at once and runs each until the test finishes it. */
class HandPool implements FuncRunnerPool {
  readonly running: Held[] = [];
  maxRunning = 0;
  closed = false;
  /** `processes` busy ones take no new task of their own (default: one per slot). */
  constructor(
    public depth: number,
    public processes = depth,
  ) {}
  run(task: TaskMessage, _md5: string, onStart?: (t: number) => void, replyTo?: ReplyRoute): Promise<TaskOutcome> {
    return new Promise((resolve) => {
      if (this.closed) {
        resolve({ status: 'failure', reason: 'EWorkerNoResponse', printLogs: [] });
        return;
      }
      this.running.push({ task, finish: resolve, replyTo });
      this.maxRunning = Math.max(this.maxRunning, this.running.length);
      onStart?.(Date.now());
    });
  }
  /** Finish the `n` oldest running tasks successfully. */
  finish(n: number): void {
    for (const h of this.running.splice(0, n)) h.finish({ status: 'success', result: h.task.id, printLogs: [], costMs: 0.1 });
  }
  reserveCapacity(): number {
    return this.depth;
  }
  discover(): never {
    throw new Error('not used');
  }
  idle(): number {
    return Math.max(0, this.processes - this.running.length);
  }
  takesNext(): boolean {
    return this.idle() > 0;
  }
  /** Tasks beyond `processes` count as waiting in the pool: they end not started. */
  dropWaiting(): number {
    const waiting = this.running.splice(this.processes);
    for (const h of waiting) h.finish({ status: 'failure', reason: 'EWorkerNoResponse', printLogs: [] });
    return waiting.length;
  }
  whenIdle(): Promise<void> {
    return Promise.resolve();
  }
  stats(): { processes: number; busy: number; tasksDone: number; restarts: number } {
    return { processes: 1, busy: this.running.length, tasksDone: 0, restarts: 0 };
  }
  close(): Promise<void> {
    this.closed = true;
    for (const h of this.running.splice(0)) h.finish({ status: 'failure', reason: 'EWorkerNoResponse', printLogs: [] });
    return Promise.resolve();
  }
}

const catalog = { script: () => Promise.resolve({ md5: 'm' }) } as unknown as FuncCatalog;

async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('WorkerUnit', () => {
  let home: string;
  let store: OpenedStore;
  let broker: EmbeddedBroker;
  let seq = 0;

  const task = (): TaskMessage => {
    seq += 1;
    return {
      id: `t-${seq}`,
      funcId: 'a__b.f',
      scriptId: 'a__b',
      funcName: 'f',
      kwargs: {},
      origin: 'direct',
      originId: 'a__b.f',
      queue: 3,
      timeoutMs: 10_000,
      expiresAt: Date.now() + 60_000,
      triggerTime: Date.now(),
    };
  };
  const submit = async (n: number): Promise<TaskMessage[]> => {
    const tasks = Array.from({ length: n }, task);
    for (const t of tasks) {
      await store.taskRecords.insert(queuedRecord(t));
      await broker.enqueue(t);
    }
    return tasks;
  };
  const done = async (): Promise<number> => (await broker.stats())[3]!.done;
  /** A unit on queue 3 over `pool`, started with one task submitted and running, and 30 ms more for its loop to settle. */
  const startWithOneRunning = async (pool: HandPool): Promise<{ unit: WorkerUnit; first: TaskMessage }> => {
    const unit = new WorkerUnit({ name: 'u', queues: [3], broker, store, pool, catalog });
    const [first] = await submit(1);
    unit.start();
    try {
      await until('the first task running', () => pool.running.length === 1);
      await new Promise((r) => setTimeout(r, 30));
    } catch (err) {
      await unit.stop();
      throw err;
    }
    return { unit, first: first! };
  };

  beforeEach(async () => {
    home = mkdtempSync(join(tmpdir(), 'func-unit-'));
    store = await openStore({ sqlitePath: join(home, 'db.sqlite') });
    await store.migrate();
    broker = new EmbeddedBroker();
  });
  afterEach(async () => {
    await broker.close();
    await store.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('keeps at most what the pool takes at once, refills when half of it is free, and acks each stored outcome', async () => {
    const pool = new HandPool(8);
    const unit = new WorkerUnit({ name: 'u', queues: [3], broker, store, pool, catalog });
    const tasks = await submit(30);
    unit.start();
    try {
      await until('a full pool', () => pool.running.length === 8);
      await new Promise((r) => setTimeout(r, 30));
      expect(pool.running).toHaveLength(8);
      // Three free of eight: below half, nothing more is reserved.
      pool.finish(3);
      await until('3 acked', async () => (await done()) === 3);
      await new Promise((r) => setTimeout(r, 30));
      expect(pool.running).toHaveLength(5);
      // A fourth: half is free, the unit tops the pool up in one go.
      pool.finish(1);
      await until('a refill', () => pool.running.length === 8);
      while ((await done()) < 30) {
        pool.finish(pool.running.length);
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(pool.maxRunning).toBe(8);
      expect(unit.done).toBe(30);
      for (const t of tasks) expect((await store.taskRecords.get(t.id))?.status).toBe('success');
    } finally {
      await unit.stop();
    }
  });

  it('sends no blocking reserve while every process is busy after the queues ran dry, and one as soon as a process is idle or a task ends', async () => {
    // One process pipelining short tasks: the pool takes 8, but a task arriving now would wait.
    const pool = new HandPool(8, 1);
    const calls: boolean[] = [];
    const reserveBatch: Broker['reserveBatch'] = broker.reserveBatch.bind(broker);
    broker.reserveBatch = (...args: Parameters<Broker['reserveBatch']>) => {
      calls.push(args[5]?.waitFirst === true);
      return reserveBatch(...args);
    };
    const { unit, first } = await startWithOneRunning(pool);
    try {
      // The batch came back short: the next reserve would block, and the only process is busy.
      expect(calls).toEqual([false]);
      const [second] = await submit(1);
      await new Promise((r) => setTimeout(r, 30));
      expect(pool.running.map((h) => h.task.id)).toEqual([first.id]);
      expect((await broker.stats())[3]!.length).toBe(1);
      // The first ends: its outcome is stored, then the reserve goes out and takes the second.
      pool.finish(1);
      await until('the second task running', () => pool.running.length === 1 && pool.running[0]!.task.id === second!.id);
      expect((await store.taskRecords.get(first.id))?.status).toBe('success');
      expect(calls).toEqual([false, true]);
      // A process that comes up again (a restart) ends no task: the loop notices it all the same.
      pool.processes = 2;
      const [third] = await submit(1);
      await until('the third task running beside the second', () => pool.running.length === 2);
      expect(pool.running.map((h) => h.task.id)).toEqual([second!.id, third!.id]);
      pool.finish(2);
      await until('all acked', async () => (await done()) === 3);
    } finally {
      pool.finish(pool.running.length);
      await unit.stop();
    }
  });

  it('reserves a task arriving while another runs at once when a process is idle', async () => {
    const pool = new HandPool(8, 2);
    const { unit, first } = await startWithOneRunning(pool);
    try {
      const [second] = await submit(1);
      await until('the second task running beside the first', () => pool.running.length === 2);
      expect(pool.running.map((h) => h.task.id)).toEqual([first.id, second!.id]);
      pool.finish(2);
      await until('both acked', async () => (await done()) === 2);
    } finally {
      await unit.stop();
    }
  });

  it('hands the reply route of a delivery to the pool, and publishes a sync result only when the Python process did not send it', async () => {
    const pool = new HandPool(2);
    const route: ReplyRoute = { host: '127.0.0.1', port: 1, token: 't' };
    const reserveBatch: Broker['reserveBatch'] = broker.reserveBatch.bind(broker);
    broker.reserveBatch = async (...args: Parameters<Broker['reserveBatch']>) => (await reserveBatch(...args)).map((d) => ({ ...d, replyTo: route }));
    const published: string[] = [];
    const publishResult = broker.publishResult.bind(broker);
    broker.publishResult = (r) => {
      published.push(r.taskId);
      return publishResult(r);
    };
    const unit = new WorkerUnit({ name: 'u', queues: [3], broker, store, pool, catalog });
    const tasks = await submit(2);
    for (const t of tasks) t.waitResult = true;
    unit.start();
    try {
      await until('both running', () => pool.running.length === 2);
      expect(pool.running.map((h) => h.replyTo)).toEqual([route, route]);
      const [sent, notSent] = pool.running.splice(0, 2);
      sent!.finish({ status: 'success', result: 1, printLogs: [], replied: true });
      notSent!.finish({ status: 'success', result: 2, printLogs: [] });
      await until('both acked', async () => (await done()) === 2);
      expect(published).toEqual([notSent!.task.id]);
      // Stored either way, without the flag.
      for (const h of [sent!, notSent!]) expect((await store.taskRecords.get(h.task.id))?.status).toBe('success');
    } finally {
      await unit.stop();
    }
  });

  it('takes a task handed straight to it only while a process is idle, stores and acks it, and withdraws its offer when it stops', async () => {
    const pool = new HandPool(1);
    const offers: (HandOffConsumer | undefined)[] = [];
    const withHandOffs: Broker = broker;
    withHandOffs.serveHandOffs = (c) => offers.push(c);
    const acked: string[] = [];
    const ack = broker.ack.bind(broker);
    broker.ack = (d) => {
      if (!d.receipt.startsWith('handed:')) return ack(d);
      acked.push(d.task.id);
      return Promise.resolve();
    };
    const handed = (t: TaskMessage): Delivery => ({ task: { ...t, waitResult: true, recordedByWorker: true }, attempt: 1, receipt: `handed:${t.id}` });
    const unit = new WorkerUnit({ name: 'u', queues: [3], broker, store, pool, catalog, handOffSlots: 1 });
    unit.start();
    const consumer = offers[0]!;
    const [a, b, c] = [task(), task(), task()];
    try {
      expect(consumer).toMatchObject({ queues: [3], slots: 1 });
      expect(consumer.take(handed(a))).toBe(true);
      await until('a running', () => pool.running.length === 1);
      // Its one process is busy: not taken (the server enqueues it).
      expect(consumer.take(handed(b))).toBe(false);
      pool.finish(1);
      await until('a acked', () => acked.length === 1);
      expect(acked).toEqual([a.id]);
      // The record is the worker's to write whole (nothing was stored before).
      expect(await store.taskRecords.get(a.id)).toMatchObject({ status: 'success', attempt: 1 });
      expect(await store.taskRecords.get(b.id)).toBeUndefined();
    } finally {
      await unit.stop();
    }
    expect(offers).toHaveLength(2);
    expect(offers[1]).toBeUndefined();
    expect(consumer.take(handed(c))).toBe(false);
    expect(pool.running).toHaveLength(0);
  });

  it('marks a task running after RUNNING_MARK_MS, never a short one', async () => {
    const pool = new HandPool(2);
    const unit = new WorkerUnit({ name: 'u', queues: [3], broker, store, pool, catalog });
    const [quick, slow] = await submit(2);
    unit.start();
    try {
      await until('both running', () => pool.running.length === 2);
      pool.finish(1);
      await until('the quick one done', async () => (await store.taskRecords.get(quick!.id))?.status === 'success');
      await until('the slow one marked', async () => (await store.taskRecords.get(slow!.id))?.status === 'running');
      pool.finish(1);
      await until('the slow one done', async () => (await store.taskRecords.get(slow!.id))?.status === 'success');
    } finally {
      await unit.stop();
    }
  });

  it('stops reserving on stop, lets running tasks finish, and gives tasks killed by the pool back at once', async () => {
    const pool = new HandPool(4);
    const unit = new WorkerUnit({ name: 'u', queues: [3], broker, store, pool, catalog });
    await submit(6);
    unit.start();
    await until('a full pool', () => pool.running.length === 4);
    const stopping = unit.stop();
    pool.finish(2);
    await new Promise((r) => setTimeout(r, 30));
    await pool.close();
    await stopping;
    const stats = (await broker.stats())[3]!;
    // Two finished and acked; two killed under it back in the queue (ahead of the two never reserved).
    expect(stats).toMatchObject({ done: 2, inFlight: 0, length: 4 });
    expect((await broker.reserve([3], 'next', 0))!.attempt).toBe(2);
  });

  it('keeps the reservations of running tasks alive while it stops', async () => {
    let clock = Date.now();
    const short = new EmbeddedBroker({ visibilityTimeoutMs: 200, now: () => clock });
    const pool = new HandPool(1);
    const unit = new WorkerUnit({ name: 'u', queues: [3], broker: short, store, pool, catalog, extendEveryMs: 20 });
    try {
      const t = task();
      await store.taskRecords.insert(queuedRecord(t));
      await short.enqueue(t);
      unit.start();
      await until('the task running', () => pool.running.length === 1);
      const stopping = unit.stop();
      // The task runs on for ten visibility timeouts; its reservation is extended all along.
      for (let i = 0; i < 20; i++) {
        await new Promise((r) => setTimeout(r, 25));
        clock += 100;
      }
      expect((await short.stats())[3]).toMatchObject({ inFlight: 1, length: 0 });
      pool.finish(1);
      await stopping;
      expect((await short.stats())[3]).toMatchObject({ inFlight: 0, length: 0, done: 1 });
    } finally {
      await short.close();
    }
  });

  it('gives back, unstarted, what a reserve took as the stop came', async () => {
    const pool = new HandPool(4);
    const reserveBatch: Broker['reserveBatch'] = broker.reserveBatch.bind(broker);
    let calls = 0;
    // The broker answers only once the stop has aborted the wait, with tasks reserved meanwhile.
    broker.reserveBatch = async (queues, consumer, max, _wait, signal) => {
      calls += 1;
      while (!signal?.aborted) await new Promise((r) => setTimeout(r, 5));
      return reserveBatch(queues, consumer, max, 0);
    };
    const unit = new WorkerUnit({ name: 'u', queues: [3], broker, store, pool, catalog });
    await submit(3);
    unit.start();
    await until('the reserve sent', () => calls === 1);
    await unit.stop();
    expect(pool.maxRunning).toBe(0);
    expect((await broker.stats())[3]).toMatchObject({ length: 3, inFlight: 0, done: 0 });
  });

  it('gives the tasks waiting in the pool back to the broker as soon as it stops', async () => {
    // Two processes; the pool takes six, four of them wait in the pool.
    const pool = new HandPool(6, 2);
    const unit = new WorkerUnit({ name: 'u', queues: [3], broker, store, pool, catalog });
    await submit(8);
    unit.start();
    await until('a full pool', () => pool.running.length === 6);
    const stopping = unit.stop();
    await until('the waiting four back in the queue', async () => (await broker.stats())[3]!.length === 6);
    expect((await broker.stats())[3]).toMatchObject({ inFlight: 2, done: 0 });
    pool.finish(1);
    await until('one done', async () => (await done()) === 1);
    await pool.close();
    await stopping;
    expect((await broker.stats())[3]).toMatchObject({ done: 1, inFlight: 0, length: 7 });
  });
});
