/**
 * A worker SIGKILLed mid-task together with a Redis that keeps nothing on disk: its task's record
 * said `running`, and nothing held the task any more (its reservation went with Redis). The
 * record sweep (wiring/redis-recovery.ts, one role per 5 minutes; here a role of the test's own
 * with short periods, on the same Redis and MariaDB) enqueues it again from its record, and the
 * next worker runs it (attempt 2). The queued tasks of the same case: production-redis-loss.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisBroker } from '../src/adapters/broker/redis/redis-broker.js';
import { openStore, type OpenedStore } from '../src/adapters/store/open-store.js';
import { eventually } from '../src/testing/eventually.js';
import { publishScript, taskSucceeded } from '../src/testing/test-client.js';
import { redisAnswers } from '../src/testing/processes.js';
import { ownRedisStack, REDIS_KEEPS_NOTHING } from '../src/testing/own-redis-stack.js';
import { startRedisRecovery, type RedisRecovery } from '../src/wiring/redis-recovery.js';

// The first run marks itself in DFF.STORE (the database: it outlives Redis) and hangs (its worker is
// killed under it); a run again finds the mark.
const CODE = `import time

@DFF.API('Once', timeout=4)
def once():
    if DFF.STORE.get('ran'):
        return 'again'
    DFF.STORE.set('ran', 'yes')
    time.sleep(60)
    return 'first'
`;

const prod = ownRedisStack(REDIS_KEEPS_NOTHING);
const { client } = prod;
let store: OpenedStore | undefined;
let broker: RedisBroker | undefined;
let recovery: RedisRecovery | undefined;
const notices: string[] = [];

beforeAll(async () => {
  await prod.up();
  await publishScript(client, 'wloss__once', CODE);
}, 90_000);

afterAll(async () => {
  await recovery?.close();
  await broker?.close();
  await store?.close();
  await prod.down('SIGKILL');
});

describe('a worker dies with the data of Redis', () => {
  it('its running task is enqueued again from its record and runs on the next worker, not left running for ever', async () => {
    const worker = prod.role(['worker', '--queues', '1', '--name', 'worker-1', '--concurrency', '1']);
    await eventually(() => /worker-1 is up/.test(worker.output()) || undefined, 30_000, 'the worker up');
    const r = await client.callFunc({ params: { funcId: 'wloss__once.once' }, body: { options: { async: true, expires: 120 } } });
    if (!('id' in r)) throw new Error(`an async call answered no task id: ${JSON.stringify(r)}`);
    await eventually(async () => ((await client.getTask({ params: { id: r.id } })).status === 'running' ? true : undefined), 30_000, 'the task running');
    // Running in Python, past its mark.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    // The worker and Redis die together; Redis comes back empty.
    await worker.kill('SIGKILL');
    await prod.killRedis();
    expect(await redisAnswers(prod.redisPort)).toBeUndefined();
    await prod.startRedis();

    // A role of the stack with the sweep every 500 ms and a grace of 1 s past the task's timeout.
    const url = prod.redisUrl;
    store = await openStore({ mysqlUrl: prod.env.FUNC_DB_URL! });
    broker = new RedisBroker({ url, prefix: prod.env.FUNC_REDIS_PREFIX!, sweepEveryMs: 0 });
    await broker.ready();
    recovery = await startRedisRecovery({
      url,
      prefix: prod.env.FUNC_REDIS_PREFIX!,
      store,
      broker,
      now: Date.now,
      orphanSweepMs: 500,
      runningGraceMs: 1_000,
      onNotice: (m) => notices.push(m),
    });
    prod.role(['worker', '--queues', '1', '--name', 'worker-1', '--concurrency', '1']);

    const done = await taskSucceeded(client, r.id, 60_000);
    expect(done.returnValueJSON).toBe('again');
    expect(done.attempt).toBe(2);
    expect(notices.some((m) => /left running past their timeout, held by no worker nor Redis: 1 enqueued again/.test(m))).toBe(true);
  }, 150_000);
});
