import { describe, expect, it } from 'vitest';
import { fireTimesWithin, firingsPerMinuteWithin } from './cron-expr.js';
import { cronForecast, type ForecastJob } from './cron-forecast.js';

const FROM = Date.UTC(2026, 0, 1, 0, 0, 0);
const DAY_MIN = 24 * 60;

function job(id: string, expr: string, queue = 2): ForecastJob {
  return { id, funcId: `f__m.${id}`, queue, firings: firingsPerMinuteWithin(expr, 'UTC', FROM, FROM + DAY_MIN * 60_000) };
}

describe('fireTimesWithin', () => {
  it('walks the window, capped', () => {
    expect(fireTimesWithin('0 * * * *', 'UTC', FROM, FROM + 3 * 3_600_000, 100)).toEqual({ times: [FROM, FROM + 3_600_000, FROM + 7_200_000], capped: false });
    expect(fireTimesWithin('* * * * * *', 'UTC', FROM, FROM + 60_000, 10)).toMatchObject({ capped: true });
    expect(fireTimesWithin('* * * * * *', 'UTC', FROM, FROM + 60_000, 10).times).toHaveLength(10);
  });
});

describe('cronForecast', () => {
  it('counts firings per minute and marks the minutes over capacity with their jobs ("everything at :00")', () => {
    // 30 hourly jobs at :00 and one every 5 minutes; T = 3 s, 1 process: 20 tasks a minute.
    const jobs = [...Array.from({ length: 30 }, (_, i) => job(`h${String(i).padStart(2, '0')}`, '0 * * * *')), job('five', '*/5 * * * *')];
    const f = cronForecast({ jobs, queues: [{ queue: 2, processes: 1, taskMs: 3000 }], from: FROM, minutes: DAY_MIN });
    const [q] = f.queues;
    expect(q?.capacityPerMinute).toBe(20);
    expect(q?.perMinute).toHaveLength(DAY_MIN);
    expect(q?.perMinute[0]).toBe(31);
    expect(q?.perMinute[5]).toBe(1);
    expect(q?.perMinute[1]).toBe(0);
    expect(q?.peak).toBe(31);
    expect(q?.overloadedMinutes).toBe(24);
    expect(q?.overloaded[1]).toMatchObject({ minute: FROM + 60 * 60_000, firings: 31, capacity: 20 });
    expect(q?.overloaded[0]?.jobs).toHaveLength(31);
    expect(q?.overloaded[0]?.jobs[0]).toEqual({ id: 'five', funcId: 'f__m.five', firings: 1 });
  });

  it('suggests offsets that clear the overloaded minutes', () => {
    const jobs = Array.from({ length: 30 }, (_, i) => job(`h${String(i).padStart(2, '0')}`, '0 * * * *'));
    const f = cronForecast({ jobs, queues: [{ queue: 2, processes: 1, taskMs: 3000 }], from: FROM, minutes: DAY_MIN });
    // 10 of the 30 must move; one minute later has room for all 10.
    expect(f.suggestions).toHaveLength(10);
    expect(new Set(f.suggestions.map((s) => s.offsetMinutes))).toEqual(new Set([1]));
    expect(f.suggestions[0]?.reason).toBe('queue #2: 24 overloaded minute(s) in the window, 0 after shifting the 10 suggested job(s)');
    // Applying them leaves no minute over 20.
    const moved = new Map(f.suggestions.map((s) => [s.jobId, s.offsetMinutes]));
    const shifted = jobs.map((j) => ({ ...j, firings: j.firings.map((f) => ({ ...f, at: f.at + (moved.get(j.id) ?? 0) * 60_000 })) }));
    const again = cronForecast({ jobs: shifted, queues: [{ queue: 2, processes: 1, taskMs: 3000 }], from: FROM, minutes: DAY_MIN });
    expect(again.queues[0]?.overloadedMinutes).toBe(0);
  });

  it('marks nothing without a measured T, everything when no process listens; keeps queues apart', () => {
    const jobs = [job('a', '* * * * *', 2), job('b', '* * * * *', 4)];
    const f = cronForecast({
      jobs,
      queues: [
        { queue: 2, processes: 1, taskMs: null },
        { queue: 4, processes: 0, taskMs: null },
      ],
      from: FROM,
      minutes: 60,
    });
    expect(f.queues[0]).toMatchObject({ capacityPerMinute: null, overloadedMinutes: 0, peak: 1 });
    expect(f.queues[1]).toMatchObject({ capacityPerMinute: 0, overloadedMinutes: 60 });
    expect(f.suggestions).toEqual([]);
  });

  it('counts a sub-minute job in every minute of the window', () => {
    const f = cronForecast({ jobs: [job('fast', '*/5 * * * * *')], queues: [{ queue: 2, processes: 1, taskMs: 1000 }], from: FROM, minutes: DAY_MIN });
    const [q] = f.queues;
    expect(q?.perMinute.reduce((s, n) => s + n, 0)).toBe(17_280);
    expect(Math.min(...q!.perMinute)).toBe(12);
    expect(q?.overloadedMinutes).toBe(0);
  });
});
