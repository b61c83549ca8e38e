/**
 * The broker port's contract: one suite, run against every implementation
 * (broker.contract.test.ts). Time is an injected clock; sweeps are explicit.
 */
import { describe, expect, it } from 'vitest';
import type { Broker, BrokerOptions, Delivery } from '../../../domain/ports/broker.js';
import type { TaskMessage } from '../../../domain/tasks/task.js';
import { sampleTask } from './sample-task.js';

export interface BrokerHarness {
  broker: Broker;
  /** Redeliver expired reservations, promote due delayed tasks (both by the injected clock). */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

export interface BrokerHarnessOptions extends BrokerOptions {
  now: () => number;
}

export type MakeBroker = (options: BrokerHarnessOptions) => Promise<BrokerHarness>;

export function brokerContract(name: string, make: MakeBroker): void {
  describe(`Broker contract: ${name}`, () => {
    let clock = 1_000_000;
    const now = (): number => clock;
    const task = (id: string, queue: number, extra: Partial<TaskMessage> = {}): TaskMessage => sampleTask(id, queue, clock, { kwargs: { n: 1, s: 'ü"\\' }, ...extra });
    const withBroker = (options: Omit<BrokerHarnessOptions, 'now'>, body: (h: BrokerHarness) => Promise<void>) => async (): Promise<void> => {
      const h = await make({ now, ...options });
      try {
        await body(h);
      } finally {
        await h.close();
      }
    };
    const reserveNow = async (b: Broker, queues: number[], consumer = 'c'): Promise<Delivery | null> => b.reserve(queues, consumer, 0);
    /** Past a visibility timeout of 100 ms, and a sweep: what was in flight is redelivered (or dead-lettered). */
    const expire = async (h: BrokerHarness): Promise<void> => {
      clock += 101;
      await h.sweep();
    };
    /** Task `id` enqueued, reserved, timed out and reserved again: the stale delivery and the fresh one. */
    const redelivered = async (h: BrokerHarness, id: string, queue: number): Promise<[Delivery, Delivery]> => {
      await h.broker.enqueue(task(id, queue));
      const stale = (await reserveNow(h.broker, [queue]))!;
      await expire(h);
      return [stale, (await reserveNow(h.broker, [queue]))!];
    };

    it(
      'delivers FIFO per queue, in the order of the queues asked for',
      withBroker({}, async ({ broker: b }) => {
        await b.enqueue(task('a', 2));
        await b.enqueue(task('b', 1));
        await b.enqueue(task('c', 1));
        await b.enqueue(task('d', 0));
        const got: string[] = [];
        for (let i = 0; i < 3; i++) got.push((await reserveNow(b, [1, 2]))!.task.id);
        expect(got).toEqual(['b', 'c', 'a']);
        expect(await reserveNow(b, [1, 2])).toBeNull();
        const d = (await reserveNow(b, [5, 0]))!;
        expect(d.task).toEqual(task('d', 0));
        expect(d.attempt).toBe(1);
      }),
    );

    it(
      'takes from the queues in the order asked for, not their numbers (a worker given 9,1 prefers #9)',
      withBroker({}, async ({ broker: b }) => {
        await b.enqueue(task('low1', 1));
        await b.enqueue(task('high1', 9));
        await b.enqueue(task('low2', 1));
        await b.enqueue(task('high2', 9));
        expect((await reserveNow(b, [9, 1]))!.task.id).toBe('high1');
        expect((await b.reserveBatch([9, 1], 'c', 3, 0)).map((d) => d.task.id)).toEqual(['high2', 'low1', 'low2']);
      }),
    );

    it(
      "answers a waiting task's place in its queue through reserve, release, cancel and retry",
      withBroker({}, async ({ broker: b }) => {
        const answered: (number | null)[] = [];
        for (const id of ['p1', 'p2', 'p3', 'p4']) answered.push(await b.enqueue(task(id, 4)));
        expect(answered).toEqual([1, 2, 3, 4]); // the enqueue answers the place
        expect(await b.enqueue(task('later', 4, { eta: clock + 5000 }))).toBeNull();
        const places = async (): Promise<(number | null)[]> => Promise.all(['p1', 'p2', 'p3', 'p4'].map((id) => b.queuePosition(id, 4)));
        expect(await places()).toEqual([1, 2, 3, 4]);
        const d = (await reserveNow(b, [4]))!;
        expect(d.task.id).toBe('p1');
        expect(await places()).toEqual([null, 1, 2, 3]);
        await b.release(d);
        expect(await b.queuePosition('p1', 4)).toBe(1);
        expect(await b.cancel('p3', 4)).toBe(true);
        expect(await b.queuePosition('p3', 4)).toBeNull();
        const again = (await reserveNow(b, [4]))!;
        expect(again.task.id).toBe('p1');
        await b.ack(again);
        expect(await b.queuePosition('p1', 4)).toBeNull();
        const p2 = (await reserveNow(b, [4]))!;
        expect(await b.retry(p2, { ...p2.task, attempt: 1, eta: clock + 1000 })).toBe(true);
        expect(await b.queuePosition('p2', 4)).toBeNull(); // delayed: no place yet
        expect(await b.queuePosition('p4', 4)).toBe(1);
      }),
    );

    it(
      'hands a task straight to a waiting consumer of its queue only',
      withBroker({}, async ({ broker: b }) => {
        const other = b.reserve([3], 'c3', 300);
        const waiting = b.reserve([1], 'c1', 5000);
        await new Promise((r) => setTimeout(r, 20));
        await b.enqueue(task('x', 1));
        // Delivered within the wait (a miss would answer null after 5 s); how fast is the bench's to say.
        expect((await waiting)!.task.id).toBe('x');
        expect(await other).toBeNull();
      }),
    );

    it(
      'wakes as many waiting consumers as tasks arrive, each task delivered once',
      withBroker({}, async ({ broker: b }) => {
        const waiters = Array.from({ length: 4 }, (_, i) => b.reserve(i % 2 === 0 ? [4, 5, 6] : [6, 5, 4], `w${i}`, 5000));
        await new Promise((r) => setTimeout(r, 20));
        await b.enqueue(task('t1', 6));
        await b.enqueue(task('t2', 6));
        await b.enqueue(task('t3', 4));
        await b.enqueue(task('t4', 5));
        const got = (await Promise.all(waiters)).map((d) => d!.task.id).sort();
        expect(got).toEqual(['t1', 't2', 't3', 't4']);
      }),
    );

    it(
      'delivers many tasks to concurrent consumers exactly once when they ack',
      withBroker({}, async ({ broker: b }) => {
        const n = 300;
        const seen: string[] = [];
        const consume = async (id: string): Promise<void> => {
          for (;;) {
            const d = await b.reserve([7], id, 300);
            if (!d) return;
            seen.push(d.task.id);
            await b.ack(d);
          }
        };
        const consumers = Array.from({ length: 4 }, (_, i) => consume(`k${i}`));
        for (let i = 0; i < n; i++) await b.enqueue(task(`m${i}`, 7));
        await Promise.all(consumers);
        expect(seen.length).toBe(n);
        expect(new Set(seen).size).toBe(n);
        expect((await b.stats())[7]).toMatchObject({ length: 0, inFlight: 0, done: n });
      }),
    );

    it('redelivers an unacked reservation after the visibility timeout, then dead-letters it', async () => {
      const dead: [string, number][] = [];
      await withBroker({ visibilityTimeoutMs: 1000, maxDeliveries: 2, onDeadLetter: (d) => dead.push([d.taskId, d.attempts]) }, async (h) => {
        const b = h.broker;
        const queued = task('p', 1);
        await b.enqueue(queued);
        const first = clock;
        const d1 = (await reserveNow(b, [1], 'unit-a#0'))!;
        expect(d1.attempt).toBe(1);
        clock += 999;
        await h.sweep();
        expect(await reserveNow(b, [1])).toBeNull();
        clock += 2;
        await h.sweep();
        const second = clock;
        const d2 = (await reserveNow(b, [1], 'unit-b#3'))!;
        expect(d2.task.id).toBe('p');
        expect(d2.attempt).toBe(2);
        expect(await b.deadLetters(10)).toEqual([]);
        clock += 1001;
        await h.sweep();
        expect(await reserveNow(b, [1])).toBeNull();
        expect(await b.deadLetters(10)).toEqual([
          {
            taskId: 'p',
            funcId: 's__m.f',
            queue: 1,
            attempts: 2,
            at: clock,
            task: queued,
            history: [
              { attempt: 1, consumer: 'unit-a#0', at: first },
              { attempt: 2, consumer: 'unit-b#3', at: second },
            ],
          },
        ]);
        expect((await b.stats())[1]).toMatchObject({ length: 0, inFlight: 0, delayed: 0 });
      })();
      expect(dead).toEqual([['p', 2]]);
    });

    it(
      'lists dead letters newest first, at most `limit`',
      withBroker({ visibilityTimeoutMs: 100, maxDeliveries: 1 }, async (h) => {
        const b = h.broker;
        const at: Record<string, number> = {};
        for (const [id, q] of [
          ['old', 3],
          ['mid', 7],
          ['new', 3],
        ] as const) {
          await b.enqueue(task(id, q));
          expect((await reserveNow(b, [q], `c-${id}`))!.task.id).toBe(id);
          await expire(h);
          at[id] = clock;
        }
        const all = await b.deadLetters(500);
        expect(all.map((d) => [d.taskId, d.queue, d.attempts, d.at])).toEqual([
          ['new', 3, 1, at.new],
          ['mid', 7, 1, at.mid],
          ['old', 3, 1, at.old],
        ]);
        expect(all.map((d) => d.history.map((x) => x.consumer))).toEqual([['c-new'], ['c-mid'], ['c-old']]);
        expect((await b.deadLetters(2)).map((d) => d.taskId)).toEqual(['new', 'mid']);
        expect(await b.deadLetters(0)).toEqual([]);
      }),
    );

    it(
      'redelivers to another consumer the task of a consumer that reserved and vanished',
      withBroker({ visibilityTimeoutMs: 500 }, async (h) => {
        const b = h.broker;
        await b.enqueue(task('v', 2));
        const vanished = (await b.reserve([2], 'worker-a', 0))!;
        expect(vanished.attempt).toBe(1);
        // worker-a never acks nor extends. worker-b waits on the queue.
        const other = b.reserve([2], 'worker-b', 5000);
        await new Promise((r) => setTimeout(r, 30));
        clock += 501;
        await h.sweep();
        const d = (await other)!;
        expect(d.task.id).toBe('v');
        expect(d.attempt).toBe(2);
        await b.ack(d);
        // The vanished consumer's late ack changes nothing.
        await b.ack(vanished);
        expect((await b.stats())[2]).toMatchObject({ length: 0, inFlight: 0, done: 1 });
      }),
    );

    it(
      'extend keeps a reservation and ack ends it',
      withBroker({ visibilityTimeoutMs: 1000 }, async (h) => {
        const b = h.broker;
        await b.enqueue(task('e', 1));
        const d = (await reserveNow(b, [1]))!;
        clock += 800;
        await b.extend(d);
        clock += 800;
        await h.sweep();
        expect(await reserveNow(b, [1])).toBeNull();
        expect((await b.stats())[1]).toMatchObject({ length: 0, inFlight: 1, done: 0 });
        await b.ack(d);
        await b.ack(d);
        expect((await b.stats())[1]).toMatchObject({ length: 0, inFlight: 0, done: 1 });
        clock += 5000;
        await h.sweep();
        expect(await reserveNow(b, [1])).toBeNull();
      }),
    );

    it(
      'a stale delivery can neither extend nor ack the redelivered task',
      withBroker({ visibilityTimeoutMs: 100 }, async (h) => {
        const b = h.broker;
        const [old, fresh] = await redelivered(h, 's', 3);
        await b.ack(old);
        await b.extend(old);
        expect((await b.stats())[3]).toMatchObject({ inFlight: 1, done: 0 });
        await expire(h);
        expect((await reserveNow(b, [3]))!.attempt).toBe(3);
        await b.ack(fresh);
        expect((await b.stats())[3]).toMatchObject({ done: 0 });
      }),
    );

    it(
      'release gives a task back ahead of its queue, the delivery counted; a stale one, or the last allowed, is a no-op',
      withBroker({ visibilityTimeoutMs: 1000, maxDeliveries: 3 }, async (h) => {
        const b = h.broker;
        await b.enqueue(task('r1', 4));
        await b.enqueue(task('r2', 4));
        const d1 = (await reserveNow(b, [4], 'unit-a'))!;
        expect(d1).toMatchObject({ attempt: 1, task: { id: 'r1' } });
        await b.release(d1);
        expect((await b.stats())[4]).toMatchObject({ length: 2, inFlight: 0 });
        const again = (await reserveNow(b, [4], 'unit-b'))!;
        expect(again).toMatchObject({ attempt: 2, task: { id: 'r1' } });
        // Released again and handed to a consumer that waits on its queue.
        expect((await reserveNow(b, [4]))!.task.id).toBe('r2');
        const waiting = b.reserve([4, 5], 'unit-c', 5000);
        await new Promise((r) => setTimeout(r, 30));
        await b.release(again);
        const third = (await waiting)!;
        expect(third).toMatchObject({ attempt: 3, task: { id: 'r1' } });
        // Stale receipts change nothing; nor does the last allowed delivery's (left for the dead letters).
        await b.release(d1);
        await b.release(again);
        await b.release(third);
        expect((await b.stats())[4]).toMatchObject({ length: 0, inFlight: 2 });
        // Every delivery is in the dead letter's history.
        clock += 1001;
        await h.sweep();
        const dead = (await b.deadLetters(10)).find((x) => x.taskId === 'r1')!;
        expect(dead.attempts).toBe(3);
        expect(dead.history.map((x) => x.consumer)).toEqual(['unit-a', 'unit-b', 'unit-c']);
      }),
    );

    it(
      'holds delayed tasks until their eta',
      withBroker({}, async (h) => {
        const b = h.broker;
        await b.enqueue(task('later', 1, { eta: clock + 5000 }));
        await b.enqueue(task('sooner', 1, { eta: clock + 1000 }));
        expect(await reserveNow(b, [1])).toBeNull();
        expect((await b.stats())[1]).toMatchObject({ length: 0, delayed: 2 });
        clock += 1000;
        await h.sweep();
        expect((await reserveNow(b, [1]))!.task.id).toBe('sooner');
        expect(await reserveNow(b, [1])).toBeNull();
        const waiting = b.reserve([1], 'c', 5000);
        clock += 4000;
        await h.sweep();
        expect((await waiting)!.task.id).toBe('later');
        expect((await b.stats())[1]).toMatchObject({ delayed: 0 });
      }),
    );

    it(
      'holds a task with an eta beyond what a timer takes (2^31 ms) without a timer overflow, until its eta',
      withBroker({}, async (h) => {
        const b = h.broker;
        const warnings: string[] = [];
        const onWarning = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
        process.on('warning', onWarning);
        try {
          const far = 2 ** 31 + 60_000;
          await b.enqueue(task('far', 13, { eta: clock + far }));
          // Real time passes: a timer that overflowed fires after 1 ms, again and again.
          await new Promise((r) => setTimeout(r, 50));
          expect(await reserveNow(b, [13])).toBeNull();
          clock += far - 1;
          await h.sweep();
          await new Promise((r) => setTimeout(r, 20));
          expect(await reserveNow(b, [13])).toBeNull();
          expect((await b.stats())[13]).toMatchObject({ length: 0, delayed: 1 });
          clock += 1;
          await h.sweep();
          expect((await reserveNow(b, [13]))!.task.id).toBe('far');
          expect(warnings.filter((w) => /TimeoutOverflow/.test(w))).toEqual([]);
        } finally {
          process.off('warning', onWarning);
        }
      }),
    );

    it(
      'cancels a waiting or delayed task for good; a reserved, finished or unknown one is left as it is',
      withBroker({ visibilityTimeoutMs: 10_000_000 }, async (h) => {
        const b = h.broker;
        for (const id of ['w1', 'w2', 'w3']) await b.enqueue(task(id, 14));
        await b.enqueue(task('later', 14, { eta: clock + 3_600_000 }));
        await b.enqueue(task('taken', 15));
        const taken = (await reserveNow(b, [15]))!;
        expect(await b.cancel('w2', 14)).toBe(true);
        expect(await b.cancel('later', 14)).toBe(true);
        expect(await b.cancel('w2', 14)).toBe(false);
        expect(await b.cancel('taken', 15)).toBe(false);
        expect(await b.cancel('nobody', 14)).toBe(false);
        expect((await b.stats())[14]).toMatchObject({ length: 2, delayed: 0, inFlight: 0 });
        // The others keep their order; the delayed one never comes, the reserved one is still in flight.
        clock += 3_600_000;
        await h.sweep();
        expect((await reserveNow(b, [14]))!.task.id).toBe('w1');
        expect((await reserveNow(b, [14]))!.task.id).toBe('w3');
        expect(await reserveNow(b, [14])).toBeNull();
        expect((await b.stats())[15]).toMatchObject({ inFlight: 1 });
        await b.ack(taken);
        expect(await b.cancel('taken', 15)).toBe(false);
        expect((await b.stats())[15]).toMatchObject({ inFlight: 0, done: 1 });
        // A cancelled task's id can be enqueued again (nothing of it is left behind).
        await b.enqueue(task('w2', 14));
        expect(await reserveNow(b, [14])).toMatchObject({ attempt: 1, task: { id: 'w2' } });
      }),
    );

    it(
      'reserves up to max tasks in one call, in queue priority then FIFO, each in flight once',
      withBroker({}, async (h) => {
        const b = h.broker;
        for (const id of ['a', 'b', 'c']) await b.enqueue(task(id, 3));
        await b.enqueue(task('p', 2));
        const first = await b.reserveBatch([2, 3], 'c1', 3, 0);
        expect(first.map((d) => d.task.id)).toEqual(['p', 'a', 'b']);
        expect(first.map((d) => d.attempt)).toEqual([1, 1, 1]);
        expect(new Set(first.map((d) => d.receipt)).size).toBe(3);
        expect((await b.stats())[3]).toMatchObject({ length: 1, inFlight: 2 });
        const rest = await b.reserveBatch([2, 3], 'c2', 5, 0);
        expect(rest.map((d) => d.task.id)).toEqual(['c']);
        expect(await b.reserveBatch([2, 3], 'c2', 5, 50)).toEqual([]);
        for (const d of [...first, ...rest]) await b.ack(d);
        expect((await b.stats())[3]).toMatchObject({ length: 0, inFlight: 0, done: 3 });
        // A waiting batch consumer is woken by a task and takes it.
        const waiting = b.reserveBatch([4], 'c3', 4, 5000);
        await new Promise((r) => setTimeout(r, 30));
        await b.enqueue(task('late', 4));
        expect((await waiting).map((d) => d.task.id)).toEqual(['late']);
      }),
    );

    it(
      'acks many deliveries of several queues at once, a stale one among them',
      withBroker({ visibilityTimeoutMs: 100 }, async (h) => {
        const b = h.broker;
        const [old, again] = await redelivered(h, 'stale', 6);
        for (let i = 0; i < 5; i++) await b.enqueue(task(`x${i}`, 7));
        for (let i = 0; i < 3; i++) await b.enqueue(task(`y${i}`, 8));
        const batch = await b.reserveBatch([7, 8], 'c', 10, 0);
        expect(batch).toHaveLength(8);
        // Issued together (one call on Redis), settled together.
        await Promise.all([...batch.map((d) => b.ack(d)), b.ack(old)]);
        const stats = await b.stats();
        expect(stats[7]).toMatchObject({ length: 0, inFlight: 0, done: 5 });
        expect(stats[8]).toMatchObject({ length: 0, inFlight: 0, done: 3 });
        expect(stats[6]).toMatchObject({ inFlight: 1, done: 0 });
        await b.ack(again);
        expect((await b.stats())[6]).toMatchObject({ inFlight: 0, done: 1 });
      }),
    );

    it(
      'waitFirst waits for a task instead of looking first, and still gets what arrives',
      withBroker({}, async (h) => {
        const b = h.broker;
        expect(await b.reserveBatch([11], 'c', 4, 0)).toEqual([]);
        const waiting = b.reserveBatch([11], 'c', 4, 5000, undefined, { waitFirst: true });
        await new Promise((r) => setTimeout(r, 30));
        await b.enqueue(task('w1', 11));
        expect((await waiting).map((d) => d.task.id)).toEqual(['w1']);
      }),
    );

    it(
      'a task arriving as a wait is aborted is returned or left queued, never kept reserved out of sight',
      withBroker({}, async (h) => {
        const b = h.broker;
        for (let i = 0; i < 30; i++) {
          const ac = new AbortController();
          const waiting = b.reserveBatch([12], 'c', 4, 5000, ac.signal, { waitFirst: true });
          await new Promise((r) => setTimeout(r, i % 3));
          const enqueued = b.enqueue(task(`ab-${i}`, 12));
          if (i % 2 === 0) await enqueued;
          ac.abort();
          await enqueued;
          const got = await waiting;
          const stats = (await b.stats())[12]!;
          expect(got.length + stats.length).toBe(1);
          expect(stats.inFlight).toBe(got.length);
          for (const d of got) await b.ack(d);
          const left = await b.reserve([12], 'c', 0);
          if (left) await b.ack(left);
        }
        expect((await b.stats())[12]).toMatchObject({ length: 0, inFlight: 0, done: 30 });
      }),
    );

    it(
      'counts queued, delayed, in-flight and done tasks per queue',
      withBroker({}, async (h) => {
        const b = h.broker;
        for (const id of ['a', 'b', 'c']) await b.enqueue(task(id, 9));
        await b.enqueue(task('d', 9, { eta: clock + 10_000 }));
        await b.enqueue(task('e', 10));
        const d = (await reserveNow(b, [9]))!;
        await b.ack(d);
        await reserveNow(b, [9]);
        const stats = await b.stats();
        expect(stats).toHaveLength(16);
        expect(stats[9]).toEqual({ queue: 9, length: 1, delayed: 1, inFlight: 1, done: 1 });
        expect(stats[10]).toEqual({ queue: 10, length: 1, delayed: 0, inFlight: 0, done: 0 });
        expect(stats[0]).toEqual({ queue: 0, length: 0, delayed: 0, inFlight: 0, done: 0 });
      }),
    );

    it(
      'returns null when the wait ends or the signal aborts',
      withBroker({}, async ({ broker: b }) => {
        let t0 = Date.now();
        expect(await b.reserve([11], 'c', 150)).toBeNull();
        expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
        const ac = new AbortController();
        const pending = b.reserve([11], 'c', 10_000, ac.signal);
        await new Promise((r) => setTimeout(r, 30));
        t0 = Date.now();
        ac.abort();
        expect(await pending).toBeNull();
        expect(Date.now() - t0).toBeLessThan(500);
        // The queue still works after an aborted wait.
        await b.enqueue(task('after', 11));
        expect((await b.reserve([11], 'c', 1000))!.task.id).toBe('after');
      }),
    );

    it(
      'pushes a result to its waiter, and a waiter times out with null',
      withBroker({}, async ({ broker: b }) => {
        const w = b.waitResult('t1', 5000);
        await b.enqueue(task('t1', 0, { waitResult: true }));
        const d = (await reserveNow(b, [0]))!;
        await b.publishResult({ taskId: d.task.id, payload: { status: 'success', result: [1, 'two'] } });
        expect(await w.promise).toEqual({ taskId: 't1', payload: { status: 'success', result: [1, 'two'] } });
        const t0 = Date.now();
        expect(await b.waitResult('t2', 50).promise).toBeNull();
        expect(Date.now() - t0).toBeLessThan(1000);
        const cancelled = b.waitResult('t3', 5000);
        cancelled.cancel();
        expect(await cancelled.promise).toBeNull();
        await b.publishResult({ taskId: 'nobody-waits', payload: null });
      }),
    );

    it(
      'retries a delivery: the next attempt waits for its eta, starts with no deliveries, and a stale receipt changes nothing',
      withBroker({}, async (h) => {
        const b = h.broker;
        await b.enqueue(task('r1', 2));
        const d1 = (await reserveNow(b, [2]))!;
        const next = { ...d1.task, eta: clock + 5000, kwargs: { n: 2 } };
        expect(await b.retry(d1, next)).toBe(true);
        expect(await b.retry(d1, next)).toBe(false);
        expect((await b.stats())[2]).toMatchObject({ length: 0, delayed: 1, inFlight: 0 });
        expect(await reserveNow(b, [2])).toBeNull();
        clock += 5001;
        await h.sweep();
        const d2 = (await reserveNow(b, [2]))!;
        expect(d2.task).toMatchObject({ id: 'r1', kwargs: { n: 2 } });
        expect(d2.attempt).toBe(1);
        // An eta already come: ready at once.
        expect(await b.retry(d2, { ...d2.task, eta: clock - 1, kwargs: { n: 3 } })).toBe(true);
        expect(await b.queuePosition('r1', 2)).toBe(1);
        const d3 = (await reserveNow(b, [2]))!;
        expect(d3.task.kwargs).toEqual({ n: 3 });
        await b.ack(d3);
        expect((await b.stats())[2]).toMatchObject({ length: 0, delayed: 0, inFlight: 0 });
      }),
    );

    it(
      'buries a delivery in the dead letters with its reason; takes dead letters out once each',
      withBroker({}, async (h) => {
        const b = h.broker;
        const queued = task('b1', 4);
        await b.enqueue(queued);
        await b.enqueue(task('b2', 4));
        const d1 = (await reserveNow(b, [4], 'unit-x#1'))!;
        const d2 = (await reserveNow(b, [4], 'unit-x#2'))!;
        expect(await b.bury(d1, 'retries used up: 3 attempts')).toBe(true);
        expect(await b.bury(d1, 'again')).toBe(false);
        expect(await b.bury(d2, 'retries used up: 1 attempts')).toBe(true);
        const dead = await b.deadLetters(10);
        expect(dead.map((d) => d.taskId)).toEqual(['b2', 'b1']);
        expect(dead[1]).toMatchObject({
          taskId: 'b1',
          queue: 4,
          attempts: 1,
          reason: 'retries used up: 3 attempts',
          task: queued,
          history: [{ attempt: 1, consumer: 'unit-x#1' }],
        });
        expect((await b.stats())[4]).toMatchObject({ length: 0, inFlight: 0 });
        const [first, second] = await Promise.all([b.takeDeadLetters(['b1', 'nope']), b.takeDeadLetters(['b1'])]);
        expect([...first, ...second].map((d) => d.taskId)).toEqual(['b1']);
        expect((await b.deadLetters(10)).map((d) => d.taskId)).toEqual(['b2']);
        expect(await b.takeDeadLetters([])).toEqual([]);
      }),
    );

    it(
      'delivers 200 concurrent results, each to its own waiter',
      withBroker({}, async ({ broker: b }) => {
        const ids = Array.from({ length: 200 }, (_, i) => `r${i}`);
        const waits = ids.map((id) => b.waitResult(id, 10_000).promise);
        await Promise.all([...ids].reverse().map((id, i) => b.publishResult({ taskId: id, payload: { i, id } })));
        const results = await Promise.all(waits);
        results.forEach((r, i) => expect(r).toEqual({ taskId: ids[i], payload: { i: 199 - i, id: ids[i] } }));
      }),
    );
    it(
      'tells where a ready task stands in its queue, null when it is not waiting ready there',
      withBroker({}, async (h) => {
        const b = h.broker;
        for (const id of ['p1', 'p2', 'p3', 'p4']) await b.enqueue(task(id, 4));
        expect(await Promise.all(['p1', 'p2', 'p3', 'p4'].map((id) => b.queuePosition(id, 4)))).toEqual([1, 2, 3, 4]);
        expect(await b.queuePosition('p2', 5)).toBeNull();
        expect(await b.queuePosition('nobody', 4)).toBeNull();
        const first = (await reserveNow(b, [4]))!;
        expect(first.task.id).toBe('p1');
        expect(await b.queuePosition('p1', 4)).toBeNull();
        expect(await b.queuePosition('p2', 4)).toBe(1);
        expect(await b.queuePosition('p4', 4)).toBe(3);
        // A cancelled task ahead may count until it would have reached the head (no scan to renumber).
        expect(await b.cancel('p3', 4)).toBe(true);
        expect(await b.queuePosition('p3', 4)).toBeNull();
        expect(await b.queuePosition('p4', 4)).toBeGreaterThanOrEqual(2);
        expect(await b.queuePosition('p4', 4)).toBeLessThanOrEqual(3);
        expect((await reserveNow(b, [4]))!.task.id).toBe('p2');
        expect(await b.queuePosition('p4', 4)).toBe(1);
        // Released: back at the head, ahead of p4.
        await b.ack(first);
        const p4 = (await reserveNow(b, [4]))!;
        await b.enqueue(task('p5', 4));
        await b.release(p4);
        expect(await b.queuePosition('p4', 4)).toBe(1);
        expect(await b.queuePosition('p5', 4)).toBe(2);
        // Delayed: no position until it is due and ready.
        await b.enqueue(task('p6', 4, { eta: clock + 10_000 }));
        expect(await b.queuePosition('p6', 4)).toBeNull();
        clock += 20_000;
        await h.sweep();
        expect(await b.queuePosition('p6', 4)).toBeGreaterThanOrEqual(1);
      }),
    );
  });
}
