/**
 * The production stack on a Redis of its own that keeps nothing on disk (`--save "" --appendonly
 * no`): SIGKILL it while async tasks are queued (one delayed) and start it again empty — every
 * accepted task still completes, from its record (wiring/redis-recovery.ts), the delayed one not
 * before its eta. While Redis is down a call answers 503 ERedisUnavailable and /healthz answers
 * 503 within 2 s. With AOF instead: production-redis-restart.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../contract/errors.js';
import { publishScript, taskSucceeded } from '../src/testing/test-client.js';
import { redisAnswers } from '../src/testing/processes.js';
import { ownRedisStack, REDIS_KEEPS_NOTHING } from '../src/testing/own-redis-stack.js';

const CODE = `import time

@DFF.API('Work', timeout=60)
def work(i):
    time.sleep(0.1)
    return i
`;

const prod = ownRedisStack(REDIS_KEEPS_NOTHING);
const { client } = prod;

async function asyncCall(i: number, options: Record<string, unknown> = {}): Promise<string> {
  const r = await client.callFunc({ params: { funcId: 'loss__work.work' }, body: { kwargs: { i }, options: { async: true, ...options } } });
  if (!('id' in r)) throw new Error(`an async call answered no task id: ${JSON.stringify(r)}`);
  return r.id;
}

beforeAll(async () => {
  await prod.up();
  await publishScript(client, 'loss__work', CODE);
  prod.role(['worker', '--queues', '1', '--name', 'worker-1', '--concurrency', '1']);
}, 90_000);

afterAll(async () => {
  await prod.down('SIGKILL');
});

describe('Redis without persistence restarts', () => {
  it('warns at start that Redis keeps nothing on disk, naming the recovery', () => {
    expect(prod.processes[0]!.output()).toMatch(/Redis keeps nothing on disk .*Queued tasks are enqueued again from their records/);
  });

  it('loses no accepted task: the queued ones are enqueued again from their records, a delayed one keeps its eta', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push(await asyncCall(i));
    const delayedId = await asyncCall(100, { delay: 12 });
    const delayedAt = Date.now();
    await taskSucceeded(client, ids[2]!, 30_000);

    await prod.killRedis();
    expect(await redisAnswers(prod.redisPort)).toBeUndefined();

    // Redis down: /healthz says so within 2 s; a call is refused as 503 ERedisUnavailable.
    const t0 = Date.now();
    const health = await fetch(`${prod.base}/healthz`);
    expect(health.status).toBe(503);
    expect(Date.now() - t0).toBeLessThan(2_500);
    const refused = await asyncCall(999).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).code).toBe('ERedisUnavailable');
    expect((refused as ApiError).detail.status).toBe(503);

    await prod.startRedis();
    for (const id of ids) {
      const done = await taskSucceeded(client, id, 60_000);
      expect(typeof done.returnValueJSON).toBe('number');
    }
    const delayed = await taskSucceeded(client, delayedId, 60_000);
    expect(delayed.startTimeMs).toBeGreaterThanOrEqual(delayedAt + 11_000);
    expect(prod.processes.map((r) => r.output()).join('')).toMatch(/Redis had lost its data \(no marker key\): \d+ task\(s\) still recorded as queued were enqueued again/);
  }, 150_000);
});
