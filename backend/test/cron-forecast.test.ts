/**
 * The cron load forecast through HTTP on a real embedded stack: 25 hourly jobs at :00 of a function
 * measured at ~6 s on queue 7 exceed what its processes take in a minute: every :00 of the next
 * 24 h is overloaded with the 25 jobs named, offsets are suggested, a minute job is counted per minute.
 */
import { describe, expect, it } from 'vitest';
import type { CronForecastOutput } from '../../contract/operations/cron-forecast.js';
import { useTestStack } from '../src/testing/test-stack.js';
import { sleepFunc } from '../src/testing/python-fixtures.js';

const CODE = `import time

${sleepFunc('nap', 'queue=7, timeout=30', 6)}`;

const t = useTestStack({ cf__main: CODE });

describe('GET /api/v1/cron-forecast', () => {
  it('marks the minutes where firings exceed the capacity, with the jobs, and suggests offsets', async () => {
    // T measured on queue 7.
    const r = await t.admin('POST', '/api/v1/func/cf__main.nap', { kwargs: { s: 6 } });
    expect(r.status, r.text).toBe(200);
    for (let i = 0; i < 25; i++)
      await t.add('/api/v1/cron-jobs/do/add', { id: `cf-${String(i).padStart(2, '0')}`, funcId: 'cf__main.nap', cronExpr: '0 * * * *', funcCallKwargsJSON: {} });
    await t.add('/api/v1/cron-jobs/do/add', { id: 'cf-minutely', funcId: 'cf__main.nap', cronExpr: '* * * * *', funcCallKwargsJSON: {} });
    const answer = await t.admin('GET', '/api/v1/cron-forecast?hours=24');
    expect(answer.status, answer.text).toBe(200);
    const f = answer.body.data as CronForecastOutput;
    expect(f.minutes).toBe(1440);
    const q = f.queues.find((x) => x.queue === 7)!;
    expect(q.processes).toBeGreaterThanOrEqual(1);
    expect(q.taskMs).toBeGreaterThan(5500);
    expect(q.capacityPerMinute).toBeCloseTo((q.processes * 60_000) / q.taskMs!, 6);
    expect(q.capacityPerMinute!).toBeLessThan(26);
    expect(q.perMinute).toHaveLength(1440);
    // Every minute after the current one has the minutely job; each :00 still ahead has all 26: the
    // window is 1440 whole minutes from the current one, so it holds 24 of them, or 23 when it starts
    // on a :00 whose firing has already passed.
    expect(Math.min(...q.perMinute.slice(1))).toBe(1);
    expect(q.peak).toBe(26);
    const startsOnTheHour = new Date(f.from).getUTCMinutes() === 0;
    expect(q.overloadedMinutes).toBeGreaterThanOrEqual(startsOnTheHour ? 23 : 24);
    expect(q.overloadedMinutes).toBeLessThanOrEqual(24);
    const first = q.overloaded[0]!;
    expect(new Date(first.minute).getUTCMinutes()).toBe(0);
    expect(first.firings).toBe(26);
    expect(first.jobs.map((j) => j.id).sort()).toEqual([...Array.from({ length: 25 }, (_, i) => `cf-${String(i).padStart(2, '0')}`), 'cf-minutely'].sort());
    expect(f.suggestions.length).toBeGreaterThan(0);
    for (const s of f.suggestions) expect(s.offsetMinutes).toBeGreaterThanOrEqual(1);
    expect(f.skipped).toEqual([]);
  }, 60_000);

  it('refuses a bad window with a 400 naming the field', async () => {
    const r = await t.admin('GET', '/api/v1/cron-forecast?hours=500');
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toMatch(/hours/);
  });
});
