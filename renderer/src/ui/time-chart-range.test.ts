import { describe, expect, it } from 'vitest';
import { alignedData, clockTime } from './TimeChart';

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
