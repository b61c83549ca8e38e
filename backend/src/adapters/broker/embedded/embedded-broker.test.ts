import { afterEach, describe, expect, it } from 'vitest';
import type { TaskMessage } from '../../../domain/tasks/task.js';
import { EmbeddedBroker } from './embedded-broker.js';
import { EmbeddedCache } from './embedded-cache.js';
import { sampleTask } from '../testing/sample-task.js';

let clock = 1_000_000;
const brokers: EmbeddedBroker[] = [];
const make = (o: ConstructorParameters<typeof EmbeddedBroker>[0] = {}): EmbeddedBroker => {
  const b = new EmbeddedBroker({ now: () => clock, ...o });
  brokers.push(b);
  return b;
};
const task = (id: string, queue: number, extra: Partial<TaskMessage> = {}): TaskMessage => sampleTask(id, queue, clock, extra);

afterEach(async () => {
  for (const b of brokers.splice(0)) await b.close();
});

describe('EmbeddedBroker', () => {
  it('delivers FIFO per queue, in the order of the queues asked for', async () => {
    const b = make();
    await b.enqueue(task('a', 2));
    await b.enqueue(task('b', 1));
    await b.enqueue(task('c', 1));
    const got = [];
    for (let i = 0; i < 3; i++) got.push((await b.reserve([1, 2], 'c1', 0))!.task.id);
    expect(got).toEqual(['b', 'c', 'a']);
    expect(await b.reserve([1, 2], 'c1', 0)).toBeNull();
  });

  it('hands a task straight to a waiting consumer of its queue only', async () => {
    const b = make();
    const other = b.reserve([3], 'c3', 200);
    const waiting = b.reserve([1], 'c1', 5000);
    await b.enqueue(task('x', 1));
    expect((await waiting)!.task.id).toBe('x');
    expect(await other).toBeNull();
  });

  it('redelivers an unacked reservation after the visibility timeout, then dead-letters it', async () => {
    const dead: string[] = [];
    const b = make({ visibilityTimeoutMs: 1000, maxDeliveries: 2, onDeadLetter: (d) => dead.push(d.taskId) });
    await b.enqueue(task('p', 1));
    const d1 = (await b.reserve([1], 'c', 0))!;
    expect(d1.attempt).toBe(1);
    clock += 1001;
    b.sweep();
    const d2 = (await b.reserve([1], 'c', 0))!;
    expect(d2.task.id).toBe('p');
    expect(d2.attempt).toBe(2);
    clock += 1001;
    b.sweep();
    expect(await b.reserve([1], 'c', 0)).toBeNull();
    expect((await b.deadLetters(10)).map((d) => d.taskId)).toEqual(['p']);
    expect(dead).toEqual(['p']);
  });

  it('extend keeps a reservation and ack ends it', async () => {
    const b = make({ visibilityTimeoutMs: 1000 });
    await b.enqueue(task('e', 1));
    const d = (await b.reserve([1], 'c', 0))!;
    clock += 800;
    await b.extend(d);
    clock += 800;
    b.sweep();
    expect(await b.reserve([1], 'c', 0)).toBeNull();
    await b.ack(d);
    expect((await b.stats())[1]).toMatchObject({ length: 0, inFlight: 0, done: 1 });
  });

  it('holds delayed tasks until their eta', async () => {
    const b = make();
    await b.enqueue(task('later', 1, { eta: clock + 5000 }));
    expect(await b.reserve([1], 'c', 0)).toBeNull();
    expect((await b.stats())[1]!.delayed).toBe(1);
    clock += 5000;
    b.sweep();
    expect((await b.reserve([1], 'c', 0))!.task.id).toBe('later');
  });

  it('pushes a result to its waiter, and a waiter times out with null', async () => {
    const b = make();
    const w = b.waitResult('t1', 5000);
    await b.publishResult({ taskId: 't1', payload: { status: 'success' } });
    expect(await w.promise).toEqual({ taskId: 't1', payload: { status: 'success' } });
    expect(await b.waitResult('t2', 10).promise).toBeNull();
  });
});

describe('EmbeddedCache', () => {
  it('runs string, hash and list commands with expiry', async () => {
    const c = new EmbeddedCache(() => clock);
    expect(await c.command('set', ['k', 'v', 10, false])).toBe(true);
    expect(await c.command('set', ['k', 'w', null, true])).toBe(false);
    expect(await c.command('get', ['k'])).toBe('v');
    expect(await c.command('incr', ['n'])).toBe(1);
    expect(await c.command('incrby', ['n', 5])).toBe(6);
    await c.command('hset', ['h', 'f', 'x']);
    expect(await c.command('hgetall', ['h'])).toEqual({ f: 'x' });
    await c.command('rpush', ['l', 'a']);
    await c.command('rpush', ['l', 'b']);
    expect(await c.command('lrange', ['l', 0, -1])).toEqual(['a', 'b']);
    expect((await c.command('keys', ['*'])) as string[]).toEqual(expect.arrayContaining(['k', 'n', 'h', 'l']) as unknown);
    clock += 11_000;
    expect(await c.command('get', ['k'])).toBeNull();
    await expect(c.command('hget', ['l', 'f'])).rejects.toThrow(/WRONGTYPE/);
    await expect(c.command('flushall', [])).rejects.toThrow(/not a supported command/);
  });
});
