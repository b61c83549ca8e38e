/**
 * What scripts set on cron jobs (domain/cron/cron-overrides.ts) on both func caches: the embedded
 * one and the real Redis at 127.0.0.1:6379 (FUNC_TEST_REDIS_URL), under its own key prefix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRON_PAUSE_KEY, CronOverrideStore, DYNAMIC_CRON_EXPR_KEY } from '../../domain/cron/cron-overrides.js';
import type { FuncCache } from '../../domain/ports/broker.js';
import { EmbeddedCache } from './embedded/embedded-cache.js';
import { RedisFuncCache } from './redis/redis-cache.js';
import { TEST_REDIS_URL, deleteKeys, requireRedis, uniquePrefix } from './testing/redis-test-env.js';

const prefix = uniquePrefix('cron-overrides');
beforeAll(async () => {
  await requireRedis();
});
afterAll(async () => {
  await deleteKeys(prefix);
});

const caches: [string, () => FuncCache][] = [
  ['embedded', () => new EmbeddedCache(() => 0)],
  ['redis', () => new RedisFuncCache({ url: TEST_REDIS_URL, prefix })],
];

describe.each(caches)('CronOverrideStore on the %s cache', (_name, make) => {
  it('sets, reads, lists, pauses, expires and clears', async () => {
    const cache = make();
    let clock = 1_000_400;
    const o = new CronOverrideStore(cache, () => clock);
    try {
      // Ends at floor(now) + expires seconds, as DataFlux Func; inside Func in ms.
      expect(await o.setDynamic('a', '* * * * *', 60)).toEqual({ expr: '* * * * *', expireTime: 1_060_000 });
      await o.setDynamic('b', '*/5 * * * *', null);
      expect(await o.pause('b', 30)).toBe(1_030_000);
      expect(await o.getDynamic('a')).toEqual({ expr: '* * * * *', expireTime: 1_060_000 });
      expect(await o.allDynamic()).toEqual({ a: '* * * * *', b: '*/5 * * * *' });
      // Stored as DataFlux Func stores them: epoch seconds.
      expect(JSON.parse((await o.dynamicRaw()).a!)).toEqual({ expireTime: 1060, value: '* * * * *' });
      expect(await cache.command('hget', [CRON_PAUSE_KEY, 'b'])).toBe('1030');
      // The list fields in epoch seconds, as DataFlux Func (ms would be 1_060_000).
      const fields = await o.fieldsFor(['a', 'b', 'c']);
      expect(fields.get('a')).toEqual({ dynamicCronExpr: '* * * * *', dynamicCronExprExpireTime: 1060, isPaused: false, pauseExpireTime: null });
      expect(fields.get('b')).toEqual({ dynamicCronExpr: '*/5 * * * *', dynamicCronExprExpireTime: null, isPaused: true, pauseExpireTime: 1030 });
      expect(fields.get('c')).toEqual({ dynamicCronExpr: null, dynamicCronExprExpireTime: null, isPaused: false, pauseExpireTime: null });

      // In force through the second it ends, as DataFlux Func compares whole seconds.
      clock = 1_060_999;
      expect(await o.getDynamic('a')).not.toBeNull();
      clock = 1_061_000;
      expect(await o.getDynamic('a')).toBeNull();
      expect(await o.allDynamic()).toEqual({ b: '*/5 * * * *' });
      const all = await o.readAll();
      // Expired entries are still read (a catching-up beat applies them before their end) and listed for deletion.
      expect(all.dynamic.get('a')).toEqual({ expr: '* * * * *', expireTime: 1_060_000 });
      expect(all.expiredDynamic).toEqual(['a']);
      expect(all.expiredPause).toEqual(['b']);
      await o.dropExpired(all);
      expect(Object.keys(await o.dynamicRaw())).toEqual(['b']);
      expect((await o.readAll()).pausedUntil.size).toBe(0);
      await o.clearDynamic('b');
      expect(await o.dynamicRaw()).toEqual({});
    } finally {
      await cache.close();
    }
  });

  it('a fractional expires is rounded up to a whole second, and 0 is until cleared', async () => {
    const cache = make();
    const o = new CronOverrideStore(cache, () => 2_000_900);
    try {
      expect(await o.setDynamic('f', '* * * * *', 0.5)).toEqual({ expr: '* * * * *', expireTime: 2_001_000 });
      expect(await o.setDynamic('z', '* * * * *', 0)).toEqual({ expr: '* * * * *', expireTime: null });
      expect((await o.fieldsFor(['f', 'z'])).get('f')?.dynamicCronExprExpireTime).toBe(2001);
      expect((await o.fieldsFor(['z'])).get('z')?.dynamicCronExprExpireTime).toBeNull();
    } finally {
      await cache.command('hdel', [DYNAMIC_CRON_EXPR_KEY, ['f', 'z']]);
      await cache.close();
    }
  });

  it('reads a time an earlier Func stored in ms as ms', async () => {
    const cache = make();
    const now = Date.UTC(2026, 0, 1);
    const o = new CronOverrideStore(cache, () => now);
    try {
      await cache.command('hset', [DYNAMIC_CRON_EXPR_KEY, 'old', JSON.stringify({ value: '* * * * *', expireTime: now + 60_500 })]);
      await cache.command('hset', [CRON_PAUSE_KEY, 'old', String(now + 30_000)]);
      const all = await o.readAll();
      expect(all.dynamic.get('old')).toEqual({ expr: '* * * * *', expireTime: now + 60_500 });
      expect(all.pausedUntil.get('old')).toBe(now + 30_000);
      expect(all.expiredDynamic).toEqual([]);
      expect(all.expiredPause).toEqual([]);
      expect((await o.fieldsFor(['old'])).get('old')).toEqual({
        dynamicCronExpr: '* * * * *',
        dynamicCronExprExpireTime: now / 1000 + 60,
        isPaused: true,
        pauseExpireTime: now / 1000 + 30,
      });
    } finally {
      await cache.command('hdel', [DYNAMIC_CRON_EXPR_KEY, 'old']);
      await cache.command('hdel', [CRON_PAUSE_KEY, 'old']);
      await cache.close();
    }
  });
});
