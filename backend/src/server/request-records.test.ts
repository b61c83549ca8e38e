/** System metrics: the server's CPU percentage is measured over a stretch long enough to mean something. */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { AppContext } from './app-context.js';
import { SystemMetrics } from './request-records.js';

// Only the broker's queue lengths are read from the context.
const ctx = { broker: { stats: () => Promise.resolve([]) } } as unknown as AppContext;
const cpuPoints = (m: SystemMetrics): number[] => [...(m.series.get('serverCPUPercent')?.values() ?? [])].flat().map(([, v]) => v);
/** A CPU percentage one process can reach: every core busy. */
const MOST = 100 * availableParallelism();

describe('SystemMetrics serverCPUPercent', () => {
  it('the sample taken at start has no CPU point (its stretch is microseconds long), where it once read 16600 %', async () => {
    for (let i = 0; i < 200; i++) {
      const m = new SystemMetrics(ctx);
      await m.sample();
      expect(cpuPoints(m)).toEqual([]);
      expect(m.series.get('serverMemoryRSS')?.size).toBe(1);
    }
  });

  it('a later sample measures the whole stretch since the start, a sane percentage', async () => {
    const m = new SystemMetrics(ctx);
    await m.sample();
    const until = Date.now() + 1100;
    while (Date.now() < until) Math.sqrt(Math.random()); // busy: a percentage well above 0
    await m.sample();
    const [first, ...rest] = cpuPoints(m);
    expect(rest).toEqual([]);
    expect(first).toBeGreaterThan(10);
    expect(first).toBeLessThanOrEqual(MOST);
    // A sample right after the last point adds none: its CPU time counts in the next stretch.
    await m.sample();
    expect(cpuPoints(m)).toHaveLength(1);
  });
});
