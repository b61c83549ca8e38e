/** Retries with back-off, the dead letter of the last failure, and its requeue: a real embedded stack with real Python. */
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, useTestStack } from '../src/testing/test-stack.js';
import { RETRY_JITTER } from '../src/domain/tasks/retry.js';

const CODE = `@DFF.API('Flaky', retry=2, retry_backoff=0.3)
def flaky(key, succeed_on=3):
    n = DFF.CACHE.incr('attempts:' + key)
    print('attempt', n)
    if n < succeed_on:
        raise ValueError('attempt %d fails' % n)
    return {'attempts': n}

@DFF.API('Plain')
def plain(key, succeed_on=3):
    n = DFF.CACHE.incr('attempts:' + key)
    if n < succeed_on:
        raise ValueError('attempt %d fails' % n)
    return {'attempts': n}
`;

const t = useTestStack();
type Task = Awaited<ReturnType<typeof t.client.getTask>>;

beforeAll(async () => {
  await t.publish('retry__main', CODE);
}, 60_000);

async function finalTask(id: string, timeoutMs = 20_000): Promise<Task> {
  return eventually(
    async () => {
      const task = await t.client.getTask({ params: { id } });
      return task.status === 'queued' || task.status === 'running' ? undefined : task;
    },
    timeoutMs,
    `task ${id} to end`,
  );
}

async function callAsync(funcId: string, kwargs: Record<string, unknown>, options: Record<string, unknown> = {}): Promise<string> {
  const r = await t.client.callFunc({ params: { funcId }, body: { kwargs, options: { ...options, async: true } } });
  if (!('id' in r)) throw new Error('no task id');
  return r.id;
}

describe('retries', () => {
  it('runs a failing task again after an exponential back-off, each failed attempt in the record', async () => {
    const id = await callAsync('retry__main.flaky', { key: 'a' });
    const task = await finalTask(id);
    expect(task.status).toBe('success');
    expect(task.returnValueJSON).toEqual({ attempts: 3 });
    const attempts = task.attempts ?? [];
    expect(attempts.map((a) => [a.attempt, a.status, a.exceptionType])).toEqual([
      [1, 'failure', 'ValueError'],
      [2, 'failure', 'ValueError'],
    ]);
    // Waits of 300 ms then 600 ms, within the jitter (and a little scheduling slack).
    const waits = attempts.map((a) => a.retryAtMs - (a.endTimeMs ?? 0));
    expect(waits[0]).toBeGreaterThanOrEqual(300 * (1 - RETRY_JITTER) - 5);
    expect(waits[0]).toBeLessThanOrEqual(300 * (1 + RETRY_JITTER) + 50);
    expect(waits[1]).toBeGreaterThanOrEqual(600 * (1 - RETRY_JITTER) - 5);
    expect(waits[1]).toBeLessThanOrEqual(600 * (1 + RETRY_JITTER) + 50);
    // Each attempt starts no earlier than its due time.
    expect(attempts[1]!.startTimeMs!).toBeGreaterThanOrEqual(attempts[0]!.retryAtMs - 5);
    expect(task.startTimeMs!).toBeGreaterThanOrEqual(attempts[1]!.retryAtMs - 5);
  });

  it("a record's attempt counts the deliveries of the attempt it shows: 0 while a retry waits, 1 once it ran; which attempt it is, attempts.length + 1", async () => {
    const id = await callAsync('retry__main.plain', { key: 'deliveries', succeed_on: 2 }, { retry: 1, retryBackoff: 2 });
    // The first attempt failed; the retry waits out its back-off (1.5-2.5 s) with no delivery yet.
    const waiting = await eventually(async () => {
      const task = await t.client.getTask({ params: { id } });
      return task.status === 'queued' && (task.attempts ?? []).length === 1 ? task : undefined;
    }, 10_000);
    expect(waiting.attempt).toBe(0);
    const task = await finalTask(id);
    expect(task).toMatchObject({ status: 'success', attempt: 1 });
    expect(task.attempts?.map((a) => a.attempt)).toEqual([1]);
  });

  it('retries a sync call by its per-call option; the caller gets the last attempt', async () => {
    const r = await t.client.callFunc({ params: { funcId: 'retry__main.plain' }, body: { kwargs: { key: 'sync' }, options: { retry: 3, retryBackoff: 0.1 } } });
    expect(r).toEqual({ result: { attempts: 3 } });
  });

  it('does not retry without the option', async () => {
    const id = await callAsync('retry__main.plain', { key: 'none' });
    const task = await finalTask(id);
    expect(task.status).toBe('failure');
    expect(task.attempts).toEqual([]);
  });

  it('refuses a bad retry option, naming it', async () => {
    const r = await t.admin('POST', '/api/v1/func/retry__main.plain', { kwargs: { key: 'x' }, options: { retry: 99 } });
    expect(r.status).toBe(400);
    expect(r.text).toContain('retry');
  });
});

describe('dead letters of used-up retries', () => {
  it('buries the last failure with its reason, and a requeue runs it again as a new task linked to it', async () => {
    const id = await callAsync('retry__main.flaky', { key: 'dead', succeed_on: 99 });
    const task = await finalTask(id);
    expect(task.status).toBe('failure');
    expect(task.attempts).toHaveLength(2);
    // Three attempts (two in `attempts`, the last the record's), the last delivered once: the
    // record's `attempt` and the dead letter's `attempts` count deliveries, its reason attempts.
    expect(task.attempt).toBe(1);
    const dead = await eventually(async () => (await t.client.listDeadLetters({ query: {} })).find((d) => d.taskId === id));
    expect(dead.reason).toContain('retries used up: 3 attempts');
    expect(dead.attempts).toBe(1);
    const answer = await t.client.requeueDeadLetters({ body: { taskIds: [id, 'not-dead'] } });
    expect(answer.notFound).toEqual(['not-dead']);
    expect(answer.requeued).toHaveLength(1);
    const again = await finalTask(answer.requeued[0]!.newTaskId);
    expect(again.replayOf).toBe(id);
    expect(again.status).toBe('failure');
    expect(again.attempts).toHaveLength(2);
    // The original was taken out: a second requeue finds nothing; the requeued run, failing again, is the dead letter now.
    const second = await t.client.requeueDeadLetters({ body: { taskIds: [id] } });
    expect(second.requeued).toEqual([]);
    expect((await t.client.listDeadLetters({ query: {} })).map((d) => d.taskId)).toContain(again.id);
  }, 30_000);

  it('refuses an empty or oversized list, naming the field', async () => {
    const r = await t.admin('POST', '/api/v1/dead-letters/do/requeue', { taskIds: [] });
    expect(r.status).toBe(400);
    expect(r.text).toContain('taskIds');
  });
});
