/**
 * The whole production stack on a Redis of its own (AOF, fsync always): SIGKILL Redis while
 * async tasks are queued and running, start it again on the same folder and port — every
 * accepted task completes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishScript, taskSucceeded } from '../src/testing/test-client.js';
import { redisAnswers } from '../src/testing/processes.js';
import { ownRedisStack, REDIS_AOF_ALWAYS } from '../src/testing/own-redis-stack.js';

const CODE = `import time

@DFF.API('Work', timeout=60)
def work(i):
    time.sleep(0.1)
    return i
`;

const prod = ownRedisStack(REDIS_AOF_ALWAYS);
const { client } = prod;

beforeAll(async () => {
  await prod.up();
  await publishScript(client, 'aof__work', CODE);
  prod.role(['worker', '--queues', '1', '--name', 'worker-1', '--concurrency', '1']);
}, 90_000);

afterAll(async () => {
  await prod.down('SIGKILL');
});

describe('Redis restart', () => {
  it('loses no accepted task when Redis is SIGKILLed and started again', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await client.callFunc({ params: { funcId: 'aof__work.work' }, body: { kwargs: { i }, options: { async: true } } });
      if (!('id' in r)) throw new Error(`an async call answered no task id: ${JSON.stringify(r)}`);
      ids.push(r.id);
    }
    await prod.killRedis();
    expect(await redisAnswers(prod.redisPort)).toBeUndefined();
    await prod.startRedis();
    for (const id of ids) {
      const done = await taskSucceeded(client, id, 40_000);
      expect(typeof done.returnValueJSON).toBe('number');
    }
  }, 120_000);
});
