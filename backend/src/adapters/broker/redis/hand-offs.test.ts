/**
 * Sync tasks handed straight from a server to a worker unit (real Redis, real loopback sockets):
 * the offer after a first task through Redis, the hand-off and its ack, a task not taken, a full
 * unit, a unit that goes away with a task (enqueued on Redis, the delivery counted), a release.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery, HandOffConsumer } from '../../../domain/ports/broker.js';
import type { TaskMessage } from '../../../domain/tasks/task.js';
import { requireRedis } from '../testing/redis-test-env.js';
import { testBrokers } from '../testing/redis-brokers.js';
import { sampleTask } from '../testing/sample-task.js';
import type { RedisBroker, RedisBrokerOptions } from './redis-broker.js';
import { REQUEUE_GRACE_MS } from './hand-offs.js';

const brokers = testBrokers('handoff');
const make = (o?: RedisBrokerOptions): Promise<RedisBroker> => brokers.make(o);
const sync = (id: string, queue = 3, extra: Partial<TaskMessage> = {}): TaskMessage => sampleTask(id, queue, Date.now(), { waitResult: true, ...extra });

beforeAll(async () => {
  await requireRedis();
});
afterAll(() => brokers.dispose());

/** A consumer that keeps what it is handed and takes while `accept` says so. */
function consumer(queues: number[], slots: number): HandOffConsumer & { got: Delivery[]; accept: boolean } {
  const c = {
    queues,
    slots,
    got: [] as Delivery[],
    accept: true,
    take: (d: Delivery): boolean => {
      if (!c.accept) return false;
      c.got.push(d);
      return true;
    },
  };
  return c;
}

/** A server and a worker whose unit has offered itself (after one sync task through Redis). */
async function connected(slots = 1): Promise<{ server: RedisBroker; worker: RedisBroker; unit: ReturnType<typeof consumer> }> {
  brokers.next();
  const server = await make({ replyHost: '127.0.0.1' });
  const worker = await make();
  const unit = consumer([3, 5], slots);
  worker.serveHandOffs(unit);
  const first = server.waitResult('first', 5000);
  expect(await server.enqueue(sync('first'))).toBe(1);
  const d = (await worker.reserve([3], 'w', 1000))!;
  expect(d.replyTo).toBeDefined();
  await worker.publishResult({ taskId: 'first', payload: 'through redis' });
  await worker.ack(d);
  expect((await first.promise)?.payload).toBe('through redis');
  await expect.poll(() => server.handOffStats().units).toBe(1);
  return { server, worker, unit };
}

describe('hand-offs', () => {
  it('hands a sync task straight to a unit that offered itself; its result and ack come back by the connection', async () => {
    const { server, worker, unit } = await connected();
    const waiter = server.waitResult('h1', 5000);
    expect(await server.enqueue(sync('h1'))).toBeNull();
    await expect.poll(() => unit.got.length).toBe(1);
    const d = unit.got[0]!;
    expect(d).toMatchObject({ task: { id: 'h1', queue: 3 }, attempt: 1, receipt: 'handed:h1' });
    expect(d.replyTo).toMatchObject({ host: '127.0.0.1' });
    expect((d.task as { replyTo?: unknown }).replyTo).toBeUndefined();
    // Nothing of it in Redis.
    expect((await server.stats())[3]).toMatchObject({ length: 0, inFlight: 0 });
    expect(server.handOffStats().inHand).toBe(1);
    await worker.publishResult({ taskId: 'h1', payload: 'straight' });
    expect((await waiter.promise)?.payload).toBe('straight');
    await worker.extend(d);
    await worker.ack(d);
    await expect.poll(() => server.handOffStats().inHand).toBe(0);
    // Counted done like an acked task (the first through Redis, this one handed).
    await expect.poll(async () => (await server.stats())[3]!.done).toBe(2);
    // And in the per-second rate (whole seconds past only: wait for this one to pass).
    await expect.poll(async () => (await server.throughput(2))[3], { timeout: 3000 }).toBeGreaterThan(0);
  });

  it('enqueues on Redis what the unit does not take, what its queues do not hold, and what it has no slot for', async () => {
    const { server, worker, unit } = await connected();
    unit.accept = false;
    const back = server.waitResult('back', 5000);
    expect(await server.enqueue(sync('back'))).toBeNull();
    const d1 = (await worker.reserve([3], 'w', 2000))!;
    expect(d1).toMatchObject({ task: { id: 'back' }, attempt: 1 });
    expect(d1.receipt).not.toMatch(/^handed:/);
    await worker.publishResult({ taskId: 'back', payload: 1 });
    await worker.ack(d1);
    expect((await back.promise)?.payload).toBe(1);
    await expect.poll(() => server.handOffStats().inHand).toBe(0);

    // Queue 4 is not the unit's; tasks with retries, drafts and tasks nobody waits for are never handed.
    const waited = (t: TaskMessage): Promise<number | null> => {
      server.waitResult(t.id, 5000);
      return server.enqueue(t);
    };
    // (A place in the queue means it was enqueued; tasks enqueued in the same millisecond are
    // ranked by id, so the places are not asserted.)
    expect(await waited(sync('other-queue', 4))).toBe(1);
    expect(await waited(sync('retried', 3, { retry: 2 }))).toBeGreaterThan(0);
    expect(await waited(sync('draft', 3, { draft: true }))).toBeGreaterThan(0);
    expect(await server.enqueue(sync('no-waiter'))).toBeGreaterThan(0);
    expect(unit.got).toHaveLength(0);
    expect((await server.stats())[3]!.length).toBe(3);

    // One slot: the second of two at once goes to Redis.
    unit.accept = true;
    expect(await waited(sync('s1'))).toBeNull();
    expect(await waited(sync('s2'))).toBeGreaterThan(0);
    expect((await server.stats())[3]!.length).toBe(4);
    await expect.poll(() => unit.got.map((d) => d.task.id)).toEqual(['s1']);
    await worker.ack(unit.got[0]!);
  });

  it('asks a busy unit once more after the I/O of the same turn (its last task may just have ended) before giving the task back', async () => {
    const { server, worker, unit } = await connected();
    let asked = 0;
    const take = unit.take.bind(unit);
    unit.take = (d) => {
      asked += 1;
      return asked > 1 && take(d);
    };
    const waiter = server.waitResult('second-ask', 5000);
    expect(await server.enqueue(sync('second-ask'))).toBeNull();
    await expect.poll(() => unit.got.length).toBe(1);
    expect(asked).toBe(2);
    await worker.publishResult({ taskId: 'second-ask', payload: 'ok' });
    await worker.ack(unit.got[0]!);
    expect((await waiter.promise)?.payload).toBe('ok');
    await expect.poll(() => server.handOffStats()).toMatchObject({ handed: 1, requeued: 0, inHand: 0 });
  });

  it('enqueues a handed task on Redis, its delivery counted, when the unit goes away without finishing it', async () => {
    const { server, worker, unit } = await connected();
    const waiter = server.waitResult('orphan', 10_000);
    expect(await server.enqueue(sync('orphan'))).toBeNull();
    await expect.poll(() => unit.got.length).toBe(1);
    // The worker dies with the task (its connections end).
    await worker.close();
    expect((await server.stats())[3]!.length).toBe(0);
    await new Promise((r) => setTimeout(r, REQUEUE_GRACE_MS + 100));
    const other = await make();
    const d = (await other.reserve([3], 'w2', 2000))!;
    expect(d).toMatchObject({ task: { id: 'orphan' }, attempt: 2 });
    await other.publishResult({ taskId: 'orphan', payload: 'second try' });
    await other.ack(d);
    expect((await waiter.promise)?.payload).toBe('second try');
    expect(server.handOffStats()).toEqual({ handed: 1, requeued: 1, inHand: 0, units: 0 });
  });

  it('hands nothing when the server is told not to (FUNC_SYNC_HANDOFF=off)', async () => {
    brokers.next();
    const server = await make({ replyHost: '127.0.0.1', syncHandOff: false });
    const worker = await make();
    const unit = consumer([3], 1);
    worker.serveHandOffs(unit);
    for (const id of ['one', 'two']) {
      const w = server.waitResult(id, 5000);
      expect(await server.enqueue(sync(id))).toBe(1);
      const d = (await worker.reserve([3], 'w', 1000))!;
      await worker.publishResult({ taskId: id, payload: id });
      await worker.ack(d);
      expect((await w.promise)?.payload).toBe(id);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(unit.got).toHaveLength(0);
    expect(server.handOffStats()).toEqual({ handed: 0, requeued: 0, inHand: 0, units: 0 });
  });

  it('enqueues a released task at once; a unit that withdraws gets no more', async () => {
    const { server, worker, unit } = await connected();
    const waiter = server.waitResult('rel', 10_000);
    expect(await server.enqueue(sync('rel'))).toBeNull();
    await expect.poll(() => unit.got.length).toBe(1);
    worker.serveHandOffs(undefined);
    await worker.release(unit.got[0]!);
    const d = (await worker.reserve([3], 'w', 2000))!;
    expect(d).toMatchObject({ task: { id: 'rel' }, attempt: 2 });
    await worker.publishResult({ taskId: 'rel', payload: 'again' });
    await worker.ack(d);
    expect((await waiter.promise)?.payload).toBe('again');
    await expect.poll(() => server.handOffStats().inHand).toBe(0);
    // Withdrawn: the next sync task is enqueued, not handed.
    expect(await server.enqueue(sync('after'))).toBe(1);
    expect(unit.got).toHaveLength(1);
  });
});
