/**
 * The beat of `func up` (SQLite) skips its tick while the database is unchanged and no job is due:
 * it runs no store query then, ticks again after any write (a cron job added over the API) and
 * when the earliest job falls due.
 */
import { describe, expect, it } from 'vitest';
import { useTestStack } from '../src/testing/test-stack.js';

let clock = Date.UTC(2026, 0, 1, 0, 0, 30);
const t = useTestStack({ idle__beat: "@DFF.API('Tick')\ndef tick():\n    return 'tick'\n" }, {}, { now: () => clock });

describe('an idle beat', () => {
  it('runs no query until something is written or a job falls due', async () => {
    const cron = t.stack.store.cron;
    const due = cron.due.bind(cron);
    let queries = 0;
    cron.due = (now, limit) => {
      queries++;
      return due(now, limit);
    };
    try {
      const beat = t.stack.beat;
      await beat.tickIfDue();
      expect(await beat.tickIfDue()).toBeNull();
      queries = 0;
      clock += 5000;
      expect(await beat.tickIfDue()).toBeNull();
      expect(queries).toBe(0);

      // A job added over the API (a write): the next look ticks, the one after does not.
      const { id } = await t.client.addCronJob({ body: { data: { id: 'hourly', funcId: 'idle__beat.tick', cronExpr: '0 * * * *', funcCallKwargsJSON: {} } } });
      expect(await beat.tickIfDue()).toEqual({ fired: 0, skipped: 0, missed: 0 });
      expect(queries).toBe(1);
      expect(await beat.tickIfDue()).toBeNull();
      clock = Date.UTC(2026, 0, 1, 0, 59, 59);
      expect(await beat.tickIfDue()).toBeNull();
      expect(queries).toBe(1);

      // Due: it ticks with nothing written in between, and fires.
      clock = Date.UTC(2026, 0, 1, 1, 0, 0, 100);
      expect((await beat.tickIfDue())?.fired).toBe(1);
      expect(queries).toBe(2);
      const [record] = await t.client.listTaskRecords({ query: { origin: 'cronJob', originId: id } });
      expect(record?.triggerTimeMs).toBe(Date.UTC(2026, 0, 1, 1, 0, 0));
    } finally {
      cron.due = due;
    }
  });
});
