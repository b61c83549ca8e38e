/**
 * The Redis broker beside the raw Redis floor measured in the same run:
 * - floor: LPUSH by a producer, BLMOVE by a blocked consumer, LPUSH of a reply the producer
 *   waits for with BLPOP (two hops through Redis, like a sync call);
 * - enqueue → reserve → ack (a consumer already waiting in reserve);
 * - a sync round trip: waitResult + enqueue → reserve → publishResult → ack → result;
 * - async drain: N tasks enqueued, 1 and 2 consumers reserving and acking (tasks/s).
 * Redis at FUNC_BENCH_REDIS_URL (default 127.0.0.1:6379), under a prefix deleted afterwards.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisBroker } from '../backend/src/adapters/broker/redis/redis-broker.js';
import { deleteKeys } from '../backend/src/adapters/broker/testing/redis-test-env.js';
import type { TaskMessage } from '../backend/src/domain/tasks/task.js';
import { printTable, summarize, type Row } from './stats.js';

const N = Number(process.env.BENCH_N ?? 5000);
const WARMUP = 500;
const DRAIN_N = Number(process.env.BENCH_DRAIN_N ?? 20_000);

const task = (id: string): TaskMessage => ({
  id,
  funcId: 'bench__noop.noop',
  scriptId: 'bench__noop',
  funcName: 'noop',
  kwargs: {},
  origin: 'asyncAPI',
  originId: 'bench',
  queue: 0,
  timeoutMs: 30_000,
  expiresAt: Date.now() + 600_000,
  triggerTime: Date.now(),
});

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

export async function rawFloor(url: string, prefix: string, n: number): Promise<number[]> {
  const producer = new Redis(url);
  const consumer = new Redis(url);
  const src = `${prefix}raw:src`;
  const dst = `${prefix}raw:dst`;
  const reply = `${prefix}raw:reply`;
  let running = true;
  const loop = (async (): Promise<void> => {
    while (running) {
      const v = await consumer.blmove(src, dst, 'RIGHT', 'LEFT', 1);
      if (v !== null) await consumer.lpush(reply, v);
    }
  })();
  const out: number[] = [];
  for (let i = 0; i < n + WARMUP; i++) {
    const t0 = process.hrtime.bigint();
    await producer.lpush(src, String(i));
    await producer.blpop(reply, 5);
    if (i >= WARMUP) out.push(ms(t0));
  }
  running = false;
  await loop;
  producer.disconnect();
  consumer.disconnect();
  return out;
}

async function brokerRoundTrips(url: string, prefix: string, n: number): Promise<{ ack: number[]; sync: number[] }> {
  const server = new RedisBroker({ url, prefix });
  const worker = new RedisBroker({ url, prefix });
  await Promise.all([server.ready(), worker.ready()]);
  let onAck: () => void = () => undefined;
  let running = true;
  const loop = (async (): Promise<void> => {
    while (running) {
      const d = await worker.reserve([0], 'bench#0', 1000);
      if (!d) continue;
      if (d.task.waitResult) await worker.publishResult({ taskId: d.task.id, payload: { status: 'success', result: null } });
      await worker.ack(d);
      onAck();
    }
  })();
  const ack: number[] = [];
  const sync: number[] = [];
  for (let i = 0; i < n + WARMUP; i++) {
    const acked = new Promise<void>((r) => (onAck = r));
    const t0 = process.hrtime.bigint();
    await server.enqueue(task(`a${i}`));
    await acked;
    if (i >= WARMUP) ack.push(ms(t0));
  }
  for (let i = 0; i < n + WARMUP; i++) {
    const t0 = process.hrtime.bigint();
    const w = server.waitResult(`s${i}`, 5000);
    await server.enqueue({ ...task(`s${i}`), waitResult: true });
    if ((await w.promise) === null) throw new Error('sync result timed out');
    if (i >= WARMUP) sync.push(ms(t0));
  }
  running = false;
  await loop;
  await Promise.all([server.close(), worker.close()]);
  return { ack, sync };
}

async function drain(url: string, prefix: string, consumers: number, n: number): Promise<number> {
  const producer = new RedisBroker({ url, prefix });
  const workers = Array.from({ length: consumers }, () => new RedisBroker({ url, prefix }));
  await Promise.all([producer.ready(), ...workers.map((w) => w.ready())]);
  for (let i = 0; i < n; i += 500) await Promise.all(Array.from({ length: Math.min(500, n - i) }, (_, j) => producer.enqueue(task(`d${i + j}`))));
  const t0 = process.hrtime.bigint();
  let done = 0;
  await Promise.all(
    workers.map(async (w, k) => {
      for (;;) {
        const d = await w.reserve([0], `drain#${k}`, 0);
        if (!d) return;
        await w.ack(d);
        done += 1;
      }
    }),
  );
  const seconds = ms(t0) / 1000;
  await Promise.all([producer.close(), ...workers.map((w) => w.close())]);
  return done / seconds;
}

export interface BrokerBenchResults {
  floor: Row;
  sync: Row;
  drain1: number;
  drain2: number;
}

export async function benchRedisBroker(url: string = process.env.FUNC_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379'): Promise<BrokerBenchResults> {
  const prefix = `funcbench:${randomBytes(4).toString('hex')}:`;
  try {
    const floor = summarize('raw Redis LPUSH + BLMOVE + reply (floor)', await rawFloor(url, prefix, N));
    const { ack, sync } = await brokerRoundTrips(url, prefix, N);
    const syncRow = summarize('broker sync: wait + enqueue → reserve → result', sync, 'publishResult over pub/sub, then ack');
    const rows: Row[] = [floor, summarize('broker enqueue → reserve → ack', ack), syncRow];
    printTable(`Redis broker round trips (${url})`, rows, floor);
    const one = await drain(url, prefix, 1, DRAIN_N);
    const two = await drain(url, prefix, 2, DRAIN_N);
    console.log(`Redis broker async drain (reserve + ack, ${DRAIN_N} queued tasks, no-op consumers): 1 consumer ${one.toFixed(0)} tasks/s, 2 consumers ${two.toFixed(0)} tasks/s`);
    return { floor, sync: syncRow, drain1: one, drain2: two };
  } finally {
    await deleteKeys(prefix, url);
  }
}
