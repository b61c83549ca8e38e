/**
 * Fault test: a Redis of our own (own port, AOF with fsync on every write) is SIGKILLed while
 * the broker has queued, delayed and in-flight tasks and a consumer blocked in reserve, then
 * restarted on the same port and directory. Every accepted task is still delivered: the
 * queued and delayed ones once, the in-flight ones again after the visibility timeout; the
 * acked ones never. The client reconnects by itself; a command issued while Redis is down
 * waits for it (and fails with a clear error when Redis stays away).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery } from '../../../domain/ports/broker.js';
import type { TaskMessage } from '../../../domain/tasks/task.js';
import { RedisBroker } from './redis-broker.js';
import { sampleTask } from '../testing/sample-task.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

let port = 0;
let dir = '';
let server: ChildProcess | undefined;

async function startRedis(): Promise<void> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--dir', dir, '--daemonize', 'no'],
    { stdio: 'ignore' },
  );
  server = child;
  const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  probe.on('error', () => undefined);
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode} (is redis-server installed?)`);
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return;
    } catch {
      probe.disconnect();
      if (Date.now() - t0 > 10_000) throw new Error(`redis-server on port ${port} did not answer within 10 s`);
      await sleep(20);
    }
  }
}

async function killRedis(): Promise<void> {
  const child = server;
  server = undefined;
  if (!child || child.exitCode !== null) return;
  child.kill('SIGKILL');
  await once(child, 'exit');
}

beforeAll(async () => {
  port = await freePort();
  dir = mkdtempSync(join(tmpdir(), 'func-redis-aof-'));
  await startRedis();
});

afterAll(async () => {
  await killRedis();
  rmSync(dir, { recursive: true, force: true });
});

describe('RedisBroker across a Redis crash (SIGKILL, AOF, restart)', () => {
  it('delivers every accepted task after the restart and reconnects by itself', async () => {
    let clock = 1_000_000;
    const task = (id: string, queue: number, extra: Partial<TaskMessage> = {}): TaskMessage =>
      sampleTask(id, queue, clock, { origin: 'asyncAPI', expiresAt: clock + 600_000, ...extra });
    const errors: Error[] = [];
    const broker = new RedisBroker({
      url: `redis://127.0.0.1:${port}`,
      prefix: 'fault:',
      now: () => clock,
      visibilityTimeoutMs: 1000,
      sweepEveryMs: 0,
      onError: (e) => errors.push(e),
    });
    try {
      await broker.ready();
      for (let i = 0; i < 40; i++) await broker.enqueue(task(`q${i}`, 1));
      for (let i = 0; i < 5; i++) await broker.enqueue(task(`d${i}`, 2, { eta: clock + 5000 }));
      const reserved: Delivery[] = [];
      for (let i = 0; i < 10; i++) reserved.push((await broker.reserve([1], 'doomed-worker', 0))!);
      const acked = reserved.slice(0, 4);
      for (const d of acked) await broker.ack(d);
      const inFlight = reserved.slice(4).map((d) => d.task.id);
      const blocked = broker.reserve([3], 'blocked-consumer', 20_000);
      const syncWaiter = broker.waitResult('sync-across-crash', 20_000);
      await sleep(50);

      await killRedis();
      // Issued while Redis is down: waits in the offline queue for the reconnect.
      const during = broker.enqueue(task('during-outage', 1));
      const statsDuring = broker.stats();
      await sleep(500);
      await startRedis();
      await during;
      expect((await statsDuring)[1]).toMatchObject({ inFlight: 6 });
      expect(errors.length).toBeGreaterThan(0);

      // The consumer that was blocked in reserve across the crash still gets new work.
      await broker.enqueue(task('after-restart', 3));
      const afterRestart = (await blocked)!;
      expect(afterRestart.task.id).toBe('after-restart');
      await broker.ack(afterRestart);

      // A sync caller that started waiting before the crash still gets its result.
      await broker.publishResult({ taskId: 'sync-across-crash', payload: { status: 'success' } });
      expect(await syncWaiter.promise).toEqual({ taskId: 'sync-across-crash', payload: { status: 'success' } });

      clock += 5001;
      const swept = await broker.sweep();
      expect(swept).toMatchObject({ promoted: 5, requeued: 6, dead: [] });
      const got = new Map<string, number>();
      for (;;) {
        const d = await broker.reserve([1, 2], 'survivor', 0);
        if (!d) break;
        expect(got.has(d.task.id)).toBe(false);
        got.set(d.task.id, d.attempt);
        await broker.ack(d);
      }
      const expected = [...Array.from({ length: 30 }, (_, i) => `q${i + 10}`), ...inFlight, ...Array.from({ length: 5 }, (_, i) => `d${i}`), 'during-outage'];
      expect([...got.keys()].sort()).toEqual(expected.sort());
      for (const id of inFlight) expect(got.get(id)).toBe(2);
      for (const d of acked) expect(got.has(d.task.id)).toBe(false);
      expect((await broker.stats()).slice(1, 3)).toEqual([
        { queue: 1, length: 0, delayed: 0, inFlight: 0, done: 4 + 36 + 1 },
        { queue: 2, length: 0, delayed: 0, inFlight: 0, done: 5 },
      ]);
    } finally {
      await broker.close();
    }
  });

  it('fails a command with a clear error when Redis stays away', async () => {
    await killRedis();
    const broker = new RedisBroker({ url: `redis://127.0.0.1:${port}`, prefix: 'fault2:', maxRetriesPerRequest: 1, sweepEveryMs: 0 });
    try {
      await expect(broker.stats()).rejects.toThrow(new RegExp(`Redis at 127\\.0\\.0\\.1:${port} did not answer stats`));
      await expect(broker.reserve([0], 'c', 100)).rejects.toMatchObject({ name: 'RedisUnavailableError', code: 'ERedisUnavailable' });
      // Once Redis is back, the same broker works again.
      await startRedis();
      await broker.enqueue(sampleTask('back', 0, Date.now()));
      expect((await broker.reserve([0], 'c', 1000))!.task.id).toBe('back');
    } finally {
      await broker.close();
    }
  });
});
