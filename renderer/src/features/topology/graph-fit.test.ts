import { describe, expect, it } from 'vitest';
import { allMeasured, fitZoom, graphOverflows } from './graph-fit';

const FIT = { padding: 0.08, minZoom: 0.8 };
const at = (width: number, height: number) => ({ x: 0, y: 0, width, height });

describe('graphOverflows', () => {
  it("uses fitView's padding once over the pane, as xyflow does: a graph that just fits shows no drag hint", () => {
    // 1000 px pane, 1150 px graph: xyflow fits it at (1000 - 2 * 37) / 1150 = 0.805 (1000 / 1150 / 1.16 = 0.75 overflowed).
    expect(fitZoom(at(1150, 100), 1000, 1000, 0.08)).toBeCloseTo(926 / 1150, 6);
    expect(graphOverflows(at(1150, 100), 1000, 1000, FIT)).toBe(false);
  });

  it('says a graph overflows when the fit would go below the readable zoom', () => {
    expect(graphOverflows(at(1200, 100), 1000, 1000, FIT)).toBe(true);
    expect(graphOverflows(at(100, 1200), 1000, 1000, FIT)).toBe(true);
    expect(graphOverflows(at(500, 500), 1000, 1000, FIT)).toBe(false);
  });
});

describe('allMeasured', () => {
  it('is true once every node has its measured size, and not for no nodes', () => {
    expect(allMeasured([])).toBe(false);
    expect(allMeasured([{ measured: { width: 10, height: 5 } }, { measured: {} }])).toBe(false);
    expect(allMeasured([{ measured: { width: 10, height: 5 } }, { measured: { width: 1, height: 1 } }])).toBe(true);
  });
});
