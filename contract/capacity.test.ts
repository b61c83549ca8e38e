import { describe, expect, it } from 'vitest';
import { capacityPerReplica, measuredTaskMs, replicasNeeded } from './capacity.js';

/** The seed's tables: worker-8 with 5 processes per pod. */
describe('capacity formula against the seed', () => {
  it('capacity per pod', () => {
    const table: [number, number][] = [
      [300, 1000],
      [500, 600],
      [800, 375],
      [1000, 300],
      [2000, 150],
      [3000, 100],
    ];
    for (const [t, a] of table) expect(capacityPerReplica(5, t)).toBeCloseTo(a, 9);
  });
  it('pods needed for 1,000 / 5,000 / 10,000 monitors', () => {
    const times = [300, 500, 800, 1000, 2000, 3000];
    const expected: Record<number, number[]> = {
      1000: [1, 2, 3, 4, 7, 10],
      5000: [5, 9, 14, 17, 34, 50],
      10000: [10, 17, 27, 34, 67, 100],
    };
    for (const [m, pods] of Object.entries(expected)) {
      expect(times.map((t) => replicasNeeded(Number(m), capacityPerReplica(5, t)))).toEqual(pods);
    }
  });
  it('no load needs no replica; unknown duration cannot be planned', () => {
    expect(replicasNeeded(0, 600)).toBe(0);
    expect(capacityPerReplica(5, 0)).toBe(0);
    expect(replicasNeeded(10, 0)).toBe(Number.POSITIVE_INFINITY);
  });
  it('a measured T under the 1 ms clock resolution counts as 1 ms; no measurement stays unknown', () => {
    expect(measuredTaskMs(0)).toBe(1);
    expect(measuredTaskMs(0.4)).toBe(1);
    expect(measuredTaskMs(500)).toBe(500);
    expect(measuredTaskMs(null)).toBeNull();
    expect(measuredTaskMs(-1)).toBeNull();
    expect(measuredTaskMs(Number.NaN)).toBeNull();
  });
});
