/** Redis-only behaviour beyond the port contract: dead-letter history, several instances, result recovery. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TaskMessage } from '../../../domain/tasks/task.js';
import { TEST_REDIS_URL, deleteKeys, requireRedis } from '../testing/redis-test-env.js';
import { testBrokers } from '../testing/redis-brokers.js';
import type { RedisBroker, RedisBrokerOptions } from './redis-broker.js';
import { runScript } from './redis-scripts.js';
import { sampleTask } from '../testing/sample-task.js';

const brokers = testBrokers('broker');
const { root } = brokers;
const make = (o?: RedisBrokerOptions): Promise<RedisBroker> => brokers.make(o);
let clock = 1_000_000;
const task = (id: string, queue: number, extra: Partial<TaskMessage> = {}): TaskMessage => sampleTask(id, queue, clock, extra);

beforeAll(async () => {
  await requireRedis();
});
afterAll(() => brokers.dispose());

describe('RedisBroker', () => {
  it('keeps the delivery history of a dead letter: attempts, consumers, times', async () => {
    brokers.next();
    const seen: number[] = [];
    const b = await make({ now: () => clock, visibilityTimeoutMs: 100, maxDeliveries: 3, onDeadLetter: (d) => seen.push(d.attempts) });
    const other = await make({ now: () => clock, visibilityTimeoutMs: 100, maxDeliveries: 3 });
    await b.enqueue(task('poison', 4));
    const start = clock;
    for (let i = 1; i <= 3; i++) {
      const d = (await b.reserve([4], `host-${i}#0`, 0))!;
      expect(d.attempt).toBe(i);
      clock += 101;
      // Any instance may sweep; only the sweeping instance hears about its dead letters.
      if (i < 3) await other.sweep();
    }
    const swept = await b.sweep();
    expect(swept.dead.map((d) => d.task.id)).toEqual(['poison']);
    expect(seen).toEqual([3]);
    const [dead] = await b.deadLetters(10);
    expect(dead).toMatchObject({ taskId: 'poison', funcId: 's__m.f', queue: 4, attempts: 3, at: clock, task: { id: 'poison' } });
    expect(dead!.history).toEqual([
      { attempt: 1, consumer: 'host-1#0', at: start },
      { attempt: 2, consumer: 'host-2#0', at: start + 101 },
      { attempt: 3, consumer: 'host-3#0', at: start + 202 },
    ]);
    expect((await b.stats())[4]).toMatchObject({ length: 0, inFlight: 0, delayed: 0, done: 0 });
  });

  it('carries tasks and results between instances (server and worker)', async () => {
    brokers.next();
    const server = await make();
    const worker = await make();
    const waiter = server.waitResult('sync-1', 5000);
    await server.enqueue(task('sync-1', 0, { waitResult: true }));
    const d = (await worker.reserve([0], 'w', 1000))!;
    await worker.publishResult({ taskId: d.task.id, payload: { ok: true } });
    await worker.ack(d);
    expect(await waiter.promise).toEqual({ taskId: 'sync-1', payload: { ok: true } });
    expect(server.waitingResults).toBe(0);
    expect((await server.stats())[0]!.done).toBe(1);
    const rates = await server.throughput(1);
    expect(rates).toHaveLength(16);
  });

  it('writes the reply key with the enqueue, or on its own when the enqueue comes in a later tick', async () => {
    brokers.next();
    const server = await make();
    const worker = await make();
    const admin = new Redis(TEST_REDIS_URL);
    try {
      const same = server.waitResult('sync-same', 5000);
      await server.enqueue(task('sync-same', 0, { waitResult: true }));
      const ttl = await admin.pttl(server.keys.reply('sync-same'));
      expect(ttl).toBeGreaterThan(4000);
      expect(ttl).toBeLessThanOrEqual(5000);
      const later = server.waitResult('sync-later', 5000);
      await new Promise((r) => setTimeout(r, 20));
      expect(await admin.exists(server.keys.reply('sync-later'))).toBe(1);
      await server.enqueue(task('sync-later', 0, { waitResult: true }));
      for (let i = 0; i < 2; i++) {
        const d = (await worker.reserve([0], 'w', 1000))!;
        await worker.publishResult({ taskId: d.task.id, payload: d.task.id });
        // Answered: the key is left empty (the lost-task check must not take a result still on its
        // way for a lost task), and a second publish finds nobody waiting.
        expect(await admin.get(server.keys.reply(d.task.id))).toBe('');
        await worker.publishResult({ taskId: d.task.id, payload: 'again' });
        await worker.ack(d);
      }
      expect((await same.promise)?.payload).toBe('sync-same');
      expect((await later.promise)?.payload).toBe('sync-later');
      // Each reply key is dropped by the server once its waiter is done.
      await expect.poll(() => admin.exists(server.keys.reply('sync-same'), server.keys.reply('sync-later')), { timeout: 2000 }).toBe(0);
    } finally {
      admin.disconnect();
    }
  });

  it('sends sync results straight to a server that listens for them, through Redis until connected', async () => {
    brokers.next();
    const server = await make({ instanceId: 'srv', replyHost: '127.0.0.1' });
    const worker = await make();
    const spy = new Redis(TEST_REDIS_URL);
    const onChannel: string[] = [];
    try {
      spy.on('message', (_c: string, m: string) => onChannel.push((JSON.parse(m) as { taskId: string }).taskId));
      await spy.subscribe(server.keys.resultsChannel('srv'));
      const results: unknown[] = [];
      for (let i = 0; i < 40; i++) {
        const id = `direct-${i}`;
        const waiter = server.waitResult(id, 5000);
        await server.enqueue(task(id, 2, { waitResult: true }));
        const d = (await worker.reserve([2], 'w', 1000))!;
        // The broker's own routing field is not part of the task; the delivery carries it.
        expect(d.task).not.toHaveProperty('replyTo');
        expect(d.replyTo?.host).toBe('127.0.0.1');
        expect(d.replyTo?.port).toBeGreaterThan(0);
        expect(d.replyTo?.token).toMatch(/^[0-9a-f]{32}$/);
        await worker.publishResult({ taskId: d.task.id, payload: i });
        await worker.ack(d);
        results.push((await waiter.promise)?.payload);
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(results).toEqual(Array.from({ length: 40 }, (_, i) => i));
      // The first result went through Redis (the connection was being opened), later ones did not.
      expect(onChannel[0]).toBe('direct-0');
      expect(onChannel.length).toBeLessThan(10);
      // The reply keys the publish script would have consumed are dropped by the server.
      const admin = new Redis(TEST_REDIS_URL);
      try {
        const replyKeys = Array.from({ length: 40 }, (_, i) => server.keys.reply(`direct-${i}`));
        await expect.poll(() => admin.exists(...replyKeys), { timeout: 2000 }).toBe(0);
      } finally {
        admin.disconnect();
      }
      // A dead letter does not show the listener's address either.
      const dl = await make({ now: () => clock, visibilityTimeoutMs: 100, maxDeliveries: 1, replyHost: '127.0.0.1' });
      const w = dl.waitResult('direct-dead', 5000);
      await dl.enqueue(task('direct-dead', 3, { waitResult: true }));
      expect((await dl.reserve([3], 'w', 1000))!.task).not.toHaveProperty('replyTo');
      clock += 101;
      const swept = await dl.sweep();
      expect(swept.dead[0]!.task).not.toHaveProperty('replyTo');
      expect((await dl.deadLetters(1))[0]!.task).not.toHaveProperty('replyTo');
      w.cancel();
    } finally {
      spy.disconnect();
    }
  });

  it('does not lose a result published while the waiting server resubscribes', async () => {
    brokers.next();
    const server = await make({ instanceId: `srv-${root}` });
    const worker = await make();
    const waiter = server.waitResult('sync-2', 10_000);
    const admin = new Redis(TEST_REDIS_URL);
    try {
      const list = await admin.client('LIST');
      const line = String(list)
        .split('\n')
        .find((l) => l.includes(`name=func-results:srv-${root}`));
      const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
      expect(id).toBeDefined();
      await admin.client('KILL', 'ID', id!);
      await worker.publishResult({ taskId: 'sync-2', payload: 'kept' });
      // Nobody was subscribed at that moment: the fallback copy was kept for the resubscribing server.
      expect(await admin.exists(server.keys.result('sync-2'))).toBe(1);
      expect(await waiter.promise).toEqual({ taskId: 'sync-2', payload: 'kept' });
    } finally {
      admin.disconnect();
    }
  });

  it('enqueues again a waited sync task that Redis lost with its connections up (a FLUSHALL)', async () => {
    brokers.next();
    const server = await make({ lostCheckEveryMs: 100 });
    const worker = await make();
    const waiter = server.waitResult('sync-flushed', 10_000);
    await server.enqueue(task('sync-flushed', 0, { waitResult: true }));
    // Redis emptied under live connections (only this test's keys: the Redis is shared).
    expect(await deleteKeys(brokers.prefix)).toBeGreaterThan(0);
    const d = await worker.reserve([0], 'w', 3_000);
    expect(d?.task.id).toBe('sync-flushed');
    await worker.publishResult({ taskId: 'sync-flushed', payload: 'ran again' });
    await worker.ack(d!);
    expect(await waiter.promise).toEqual({ taskId: 'sync-flushed', payload: 'ran again' });
  });

  it('skips ids in a ready list whose task is gone', async () => {
    brokers.next();
    const b = await make();
    await b.enqueue(task('once', 5));
    const admin = new Redis(TEST_REDIS_URL);
    try {
      await admin.rpush(b.keys.ready(5), 'no-such-message');
      await admin.lpush(b.keys.ready(5), 'another-orphan');
    } finally {
      admin.disconnect();
    }
    expect((await b.reserve([5], 'c', 0))!.task.id).toBe('once');
    expect(await b.reserve([5], 'c', 0)).toBeNull();
  });

  it('sends every command straight, in call order, without an auto-pipeline per tick', async () => {
    brokers.next();
    const b = await make();
    const cmd = (b as unknown as { cmd: Redis }).cmd;
    const k = b.keys;
    const pending = [
      runScript(
        cmd,
        'enqueue',
        k.msg,
        k.att,
        k.ready(1),
        k.delayed(1),
        k.wake(1),
        k.reply('x'),
        k.due,
        k.waiting(1),
        'mid-1',
        JSON.stringify(task('straight', 1)),
        0,
        '',
        clock,
        '',
        0,
      ),
      runScript(cmd, 'reserve', 8, k.msg, k.att, k.hist, k.due, k.ready(1), k.inflight(1), k.wake(1), k.waiting(1), clock, clock + 1000, '"c"', 0, 1),
    ];
    pending.push(cmd.get(`${brokers.prefix}other`));
    expect(cmd.autoPipelineQueueSize).toBe(0);
    const [queued, reserved] = await Promise.all(pending);
    expect(queued).toBe(1);
    expect((reserved as string[])[1]).toBe('mid-1');
  });

  it('takes from many queues in priority order and leaves a wake token exactly where tasks are left', async () => {
    brokers.next();
    const b = await make();
    const all = Array.from({ length: 16 }, (_, q) => q);
    for (const id of ['a', 'b', 'c']) await b.enqueue(task(`q9-${id}`, 9));
    for (const id of ['a', 'b']) await b.enqueue(task(`q3-${id}`, 3));
    await b.enqueue(task('q15-a', 15));
    const admin = new Redis(TEST_REDIS_URL);
    try {
      // An orphan in front of queue 12 (its task gone): dropped, the scan goes on behind it.
      await admin.rpush(b.keys.ready(12), 'orphan');
      const first = await b.reserveBatch(all, 'c', 4, 0);
      expect(first.map((d) => d.task.id)).toEqual(['q3-a', 'q3-b', 'q9-a', 'q9-b']);
      // Queue 3 was emptied; 9 (stopped by the batch size), 12 and 15 were not reached.
      expect(await admin.exists(b.keys.ready(3))).toBe(0);
      for (const q of [9, 15]) expect(await admin.llen(b.keys.wake(q))).toBeGreaterThan(0);
      // A consumer blocked on queue 9 alone is woken by the token left for it.
      const blocked = await b.reserveBatch([9], 'd', 4, 2000, undefined, { waitFirst: true });
      expect(blocked.map((d) => d.task.id)).toEqual(['q9-c']);
      const rest = await b.reserveBatch(all, 'c', 10, 0);
      expect(rest.map((d) => d.task.id)).toEqual(['q15-a']);
      expect(await admin.exists(b.keys.ready(12))).toBe(0);
      // Every queue empty: no token is left to wake anybody for nothing.
      expect(await b.reserveBatch(all, 'c', 10, 0)).toEqual([]);
      for (const q of all) expect(await admin.exists(b.keys.wake(q))).toBe(0);
    } finally {
      admin.disconnect();
    }
  });

  it('shares queues between instances whose sweepers race, each task delivered once', async () => {
    brokers.next();
    const a = await make({ sweepEveryMs: 5 });
    const b = await make({ sweepEveryMs: 5 });
    const seen = new Map<string, number>();
    const consume = async (broker: RedisBroker, id: string): Promise<void> => {
      for (;;) {
        const d = await broker.reserve([6, 8], id, 300);
        if (!d) return;
        seen.set(d.task.id, (seen.get(d.task.id) ?? 0) + 1);
        await broker.ack(d);
      }
    };
    const consumers = [consume(a, 'a1'), consume(a, 'a2'), consume(b, 'b1'), consume(b, 'b2')];
    const now = Date.now();
    for (let i = 0; i < 400; i++) await (i % 2 ? a : b).enqueue(task(`x${i}`, i % 3 ? 6 : 8, i % 10 === 0 ? { eta: now + 50 } : {}));
    await Promise.all(consumers);
    expect(seen.size).toBe(400);
    expect([...seen.values()].every((c) => c === 1)).toBe(true);
    const stats = await a.stats();
    expect(stats[6]!.done + stats[8]!.done).toBe(400);
    expect(stats[6]!.length + stats[8]!.length + stats[6]!.inFlight + stats[8]!.inFlight + stats[6]!.delayed + stats[8]!.delayed).toBe(0);
  });

  it('sweeps only the queues its due index names: an idle sweep is one command, every queue every 5 minutes', async () => {
    brokers.next();
    const b = await make({ now: () => clock, visibilityTimeoutMs: 100 });
    const k = b.keys;
    const cmd = (b as unknown as { cmd: Redis }).cmd;
    const pipelines = vi.spyOn(cmd, 'pipeline');
    const due = async (): Promise<string[]> => await cmd.zrange(k.due, 0, -1, 'WITHSCORES');
    await b.sweep(); // the first one looks at every queue
    expect(pipelines).toHaveBeenCalledTimes(1);
    expect(await b.sweep()).toEqual({ promoted: 0, requeued: 0, dead: [] });
    expect(pipelines).toHaveBeenCalledTimes(1); // idle: the index alone was read

    // A delayed task: indexed at its eta, promoted once due, then out of the index.
    await b.enqueue(task('later', 3, { eta: clock + 50 }));
    expect(await due()).toEqual([k.ready(3), String(clock + 50)]);
    expect((await b.sweep()).promoted).toBe(0);
    expect(pipelines).toHaveBeenCalledTimes(1);
    clock += 60;
    expect((await b.sweep()).promoted).toBe(1);
    expect(await due()).toEqual([]);

    // A reservation: indexed at its deadline, requeued when it expires.
    const d = (await b.reserve([3], 'c', 0))!;
    expect(d.task.id).toBe('later');
    expect(await due()).toEqual([k.ready(3), String(clock + 100)]);
    clock += 101;
    expect((await b.sweep()).requeued).toBe(1);
    expect(await due()).toEqual([]);

    // Acked before its deadline: looked at once when it comes, then dropped from the index.
    await b.ack((await b.reserve([3], 'c', 0))!);
    clock += 101;
    const calls = pipelines.mock.calls.length;
    expect(await b.sweep()).toEqual({ promoted: 0, requeued: 0, dead: [] });
    expect(pipelines).toHaveBeenCalledTimes(calls + 1);
    expect(await due()).toEqual([]);

    // Written without the index (an older version's instance): found by the next full sweep.
    await cmd.hset(k.msg, 'old', JSON.stringify(task('old', 9)));
    await cmd.zadd(k.delayed(9), clock - 1, 'old');
    expect((await b.sweep()).promoted).toBe(0);
    clock += 5 * 60_000;
    expect((await b.sweep()).promoted).toBe(1);
    const old = (await b.reserve([9], 'c', 0))!;
    expect(old.task.id).toBe('old');

    // A retry with back-off: indexed at its eta like a delayed enqueue.
    await b.retry(old, { ...old.task, attempt: 1, eta: clock + 30 });
    expect(await due()).toEqual([k.ready(9), String(clock + 30)]);
    clock += 31;
    expect((await b.sweep()).promoted).toBe(1);
  });

  it('keeps what a reserve took as its wait was aborted: returned, never left reserved', async () => {
    brokers.next();
    const b = await make({ now: () => clock });
    // A first aborted wait opens the blocking connection (and learns its client id).
    const warm = new AbortController();
    const first = b.reserveBatch([12], 'c', 5, 10_000, warm.signal, { waitFirst: true });
    await new Promise((r) => setTimeout(r, 30));
    warm.abort();
    expect(await first).toEqual([]);
    for (let i = 0; i < 5; i++) {
      await b.enqueue(task(`race-${i}`, 12));
      const ac = new AbortController();
      // The wake token is there: Redis runs the BLPOP and the reserve behind it at once, while the
      // abort below is already under way.
      const pending = b.reserveBatch([12], 'c', 5, 10_000, ac.signal, { waitFirst: true });
      ac.abort();
      const got = await pending;
      const stats = (await b.stats())[12]!;
      expect(got.map((d) => d.task.id)).toEqual([`race-${i}`]);
      expect(stats).toMatchObject({ length: 0, inFlight: 1 });
      await b.ack(got[0]!);
    }
    // A wait with nothing to take still ends at once when aborted.
    const ac = new AbortController();
    const idle = b.reserveBatch([12], 'c', 5, 10_000, ac.signal, { waitFirst: true });
    await new Promise((r) => setTimeout(r, 30));
    const t0 = Date.now();
    ac.abort();
    expect(await idle).toEqual([]);
    // Ignoring the abort would mean waiting out the 10 s; the bound is far from both.
    expect(Date.now() - t0).toBeLessThan(5000);
  });
  it('sends the enqueues of one tick in one socket write, a lone one a tick later', async () => {
    brokers.next();
    const b = await make();
    // Once the command connection is up (before, ioredis queues commands and sends them one by one).
    expect(await b.enqueue(task('first', 3))).toBe(1);
    // The command connection's socket (private: what is measured here is its writes).
    const socket = (b as unknown as { cmd: Redis }).cmd.stream;
    const writev = vi.spyOn(socket as unknown as { _writev: (...a: unknown[]) => void }, '_writev');
    const write = vi.spyOn(socket as unknown as { _write: (...a: unknown[]) => void }, '_write');
    // Ten enqueues issued together, as the tasks of one group commit are: one write of ten commands.
    const places = await Promise.all(Array.from({ length: 10 }, (_, i) => b.enqueue(task(`tick-${i}`, 3))));
    expect(places).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(write).not.toHaveBeenCalled();
    expect(writev).toHaveBeenCalledTimes(1);
    expect((writev.mock.calls[0]![0] as unknown[]).length).toBe(10);
    writev.mockClear();
    // A millisecond on: tasks enqueued in the same millisecond are placed by id ('alone' < 'tick-9').
    await new Promise((r) => setTimeout(r, 2));
    expect(await b.enqueue(task('alone', 3))).toBe(12);
    expect(writev.mock.calls.length + write.mock.calls.length).toBe(1);
    writev.mockRestore();
    write.mockRestore();
  });
});
