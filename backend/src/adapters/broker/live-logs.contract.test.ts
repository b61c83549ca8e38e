/** The live-log channel (ports/live-logs.ts): the same suite against the embedded and the Redis adapter. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_BACKLOG_EVENTS, type LiveLogEvent, type LiveLogs } from '../../domain/ports/live-logs.js';
import { EmbeddedLiveLogs } from './embedded/embedded-live-logs.js';
import { RedisLiveLogs } from './redis/redis-live-logs.js';
import { deleteKeys, requireRedis, TEST_REDIS_URL, uniquePrefix } from './testing/redis-test-env.js';
import { eventually } from '../../testing/eventually.js';

function contract(name: string, open: () => Promise<LiveLogs>, close: (l: LiveLogs) => Promise<void>): void {
  describe(`live logs: ${name}`, () => {
    let live: LiveLogs;
    beforeAll(async () => {
      live = await open();
    });
    afterAll(async () => {
      await close(live);
    });

    it('delivers batches published after the subscription, in order', async () => {
      const got: LiveLogEvent[] = [];
      const sub = await live.subscribe('task-a', (e) => got.push(e));
      live.publish('task-a', { seq: 1, lines: ['one'] });
      live.publish('task-a', { seq: 2, lines: ['two', 'three'] });
      live.publish('task-b', { seq: 1, lines: ['not mine'] });
      live.publish('task-a', { seq: 3, end: 'success' });
      await eventually(() => (got.length === 3 ? true : undefined), 3000, 'three events');
      expect(got).toEqual([
        { seq: 1, lines: ['one'] },
        { seq: 2, lines: ['two', 'three'] },
        { seq: 3, end: 'success' },
      ]);
      sub.close();
    });

    it('gives a late subscriber the backlog (the last batches) once, then what follows', async () => {
      for (let i = 1; i <= LIVE_BACKLOG_EVENTS + 5; i++) live.publish('task-late', { seq: i, lines: [`line ${i}`] });
      // Published batches reach Redis before a later read on another connection: wait until the backlog is whole.
      await new Promise((r) => setTimeout(r, 100));
      const got: LiveLogEvent[] = [];
      const sub = await live.subscribe('task-late', (e) => got.push(e));
      live.publish('task-late', { seq: LIVE_BACKLOG_EVENTS + 6, lines: ['after'] });
      await eventually(() => (got.at(-1)?.seq === LIVE_BACKLOG_EVENTS + 6 ? true : undefined), 3000, 'the batch after');
      expect(got.map((e) => e.seq)).toEqual(Array.from({ length: LIVE_BACKLOG_EVENTS + 1 }, (_, i) => i + 6));
      sub.close();
    });

    it('two subscribers of one key each get every batch; a closed one gets no more', async () => {
      const a: number[] = [];
      const b: number[] = [];
      const sa = await live.subscribe('task-two', (e) => a.push(e.seq));
      const sb = await live.subscribe('task-two', (e) => b.push(e.seq));
      live.publish('task-two', { seq: 1, lines: ['x'] });
      await eventually(() => (a.length === 1 && b.length === 1 ? true : undefined), 3000, 'both');
      sa.close();
      live.publish('task-two', { seq: 2, lines: ['y'] });
      await eventually(() => (b.length === 2 ? true : undefined), 3000, 'the second');
      await new Promise((r) => setTimeout(r, 50));
      expect(a).toEqual([1]);
      sb.close();
    });
  });
}

contract(
  'embedded',
  () => Promise.resolve(new EmbeddedLiveLogs()),
  (l) => l.close(),
);

const prefix = uniquePrefix('live');
contract(
  'redis',
  async () => {
    await requireRedis();
    return new RedisLiveLogs({ url: TEST_REDIS_URL, prefix });
  },
  async (l) => {
    await l.close();
    await deleteKeys(prefix);
  },
);
