/**
 * What scripts set on cron jobs (domain/cron/cron-overrides.ts) on both func caches: the embedded
 * one and the real Redis at 127.0.0.1:6379 (FUNC_TEST_REDIS_URL), under its own key prefix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CronOverrideStore } from '../../domain/cron/cron-overrides.js';
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
    let clock = 1_000_000;
    const o = new CronOverrideStore(cache, () => clock);
    try {
      expect(await o.setDynamic('a', '* * * * *', 60)).toEqual({ expr: '* * * * *', expireTime: 1_060_000 });
      await o.setDynamic('b', '*/5 * * * *', null);
      expect(await o.pause('b', 30)).toBe(1_030_000);
      expect(await o.getDynamic('a')).toEqual({ expr: '* * * * *', expireTime: 1_060_000 });
      expect(await o.allDynamic()).toEqual({ a: '* * * * *', b: '*/5 * * * *' });
      const fields = await o.fieldsFor(['a', 'b', 'c']);
      expect(fields.get('a')).toEqual({ dynamicCronExpr: '* * * * *', dynamicCronExprExpireTime: 1_060_000, isPaused: false, pauseExpireTime: null });
      expect(fields.get('b')).toEqual({ dynamicCronExpr: '*/5 * * * *', dynamicCronExprExpireTime: null, isPaused: true, pauseExpireTime: 1_030_000 });
      expect(fields.get('c')).toEqual({ dynamicCronExpr: null, dynamicCronExprExpireTime: null, isPaused: false, pauseExpireTime: null });

      clock = 1_060_001;
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
});
