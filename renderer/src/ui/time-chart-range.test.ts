import { describe, expect, it } from 'vitest';
import { alignedData, clockTime, timeAxisLabels, valueAxisSize } from './TimeChart';

describe('alignedData', () => {
  it("gives a live chart's first seconds a gap back to its least span, ending at the latest point", () => {
    expect(alignedData([1000], [[3]], 60)).toEqual([
      [940, 1000],
      [null, 3],
    ]);
    expect(
      alignedData(
        [990, 1000],
        [
          [1, 2],
          [null, 5],
        ],
        60,
      ),
    ).toEqual([
      [940, 990, 1000],
      [null, 1, 2],
      [null, null, 5],
    ]);
  });

  it('leaves data spanning long enough, no data, and charts without a least span as they are', () => {
    expect(alignedData([900, 1000], [[1, 2]], 60)).toEqual([
      [900, 1000],
      [1, 2],
    ]);
    expect(alignedData([], [[]], 60)).toEqual([[], []]);
    expect(alignedData([1000], [[3]])).toEqual([[1000], [3]]);
  });
});

describe('clockTime', () => {
  it('is the local clock time on one line, seconds included', () => {
    const at = new Date(2026, 11, 7, 9, 5, 7).getTime() / 1000;
    expect(clockTime(at)).toMatch(/^09:05:07$/);
  });
});

describe('timeAxisLabels', () => {
  const at = (h: number, m: number, s = 0, day = 7): number => new Date(2026, 11, day, h, m, s).getTime() / 1000;
  it('labels a time axis on the 24-hour clock, as the rest of the console (not "8pm")', () => {
    expect(timeAxisLabels([at(20, 0), at(22, 30)], 3600)).toEqual(['20:00', '22:30']);
    expect(timeAxisLabels([at(8, 34, 50), at(8, 35, 0)], 10)).toEqual(['08:34:50', '08:35:00']);
    // A chart spanning days names the day at midnight.
    expect(timeAxisLabels([at(22, 0), at(0, 0, 0, 8), at(2, 0, 0, 8)], 7200)).toEqual(['22:00', '12-08', '02:00']);
  });
});

describe('valueAxisSize', () => {
  it("is wide enough for the longest label (a fixed 44 px clipped '10,000' to '0,000')", () => {
    const measure = (t: string): number => t.length * 7;
    expect(valueAxisSize(['0', '5,000', '10,000'], measure, 20)).toBe(62);
    expect(valueAxisSize(['0', '1'], measure, 20)).toBe(30);
    expect(valueAxisSize(undefined, measure, 20)).toBe(30);
  });
});
