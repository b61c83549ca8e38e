import { describe, expect, it } from 'vitest';
import { historyKey, KEEP, restoreHistory, saveHistory, WINDOW_MS, type HistoryStorage, type Sample } from './history-store';

/** Web Storage's string semantics (Node has no sessionStorage): what was set comes back as the same text. */
function memoryStorage(): HistoryStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (k) => items.get(k) ?? null,
    setItem: (k, v) => {
      items.set(k, v);
    },
  };
}

const T0 = 1_765_000_000_000;
/** `n` samples from T0, one a second (the event stream's pace) unless `stepMs` says otherwise, queue #1 busy. */
const samples = (n: number, stepMs = 1000): Sample[] => Array.from({ length: n }, (_, i) => ({ time: T0 + i * stepMs, throughput: { 1: i % 3 }, length: { 1: i, 3: 0 } }));

describe('history store', () => {
  const key = historyKey('');

  it('gives back what was saved for the stack, numbers by queue as the charts read them', () => {
    const storage = memoryStorage();
    saveHistory(key, samples(10), storage);
    const back = restoreHistory(key, T0 + 12_000, storage);
    expect(back).toHaveLength(10);
    expect(back[9]!.time).toBe(T0 + 9000);
    expect(back[4]!.throughput[1]).toBe(1);
    expect(back[4]!.length[1]).toBe(4);
    expect(Object.keys(back[4]!.length).map(Number)).toEqual([1, 3]);
  });

  it('drops the samples further back than the window from the stack’s newest time, and caps them at KEEP', () => {
    const storage = memoryStorage();
    saveHistory(key, samples(60), storage);
    // 60 s after the last stored sample: the window reaches back to T0 + 29 s.
    const now = T0 + 59_000 + 60_000;
    const back = restoreHistory(key, now, storage);
    expect(back[0]!.time).toBe(now - WINDOW_MS);
    expect(back).toHaveLength(31);
    // Two a second (polled faster, say): 180 in the window, the newest KEEP of them kept.
    saveHistory(key, samples(200, 500), storage);
    const capped = restoreHistory(key, T0 + 100_000, storage);
    expect(capped).toHaveLength(KEEP);
    expect(capped.at(-1)!.time).toBe(T0 + 199 * 500);
  });

  it('drops them all when the gap since the last stored sample is longer than the window', () => {
    const storage = memoryStorage();
    saveHistory(key, samples(60), storage);
    expect(restoreHistory(key, T0 + 59_000 + WINDOW_MS + 1, storage)).toEqual([]);
  });

  it('drops samples at or after the new time (a stack whose clock went back): the chart’s times stay ascending', () => {
    const storage = memoryStorage();
    saveHistory(key, samples(10), storage);
    expect(restoreHistory(key, T0 + 5000, storage).map((s) => s.time)).toEqual([0, 1, 2, 3, 4].map((i) => T0 + i * 1000));
  });

  it('keeps one history per stack, keyed by its URL (a trailing slash is the same stack)', () => {
    const storage = memoryStorage();
    saveHistory(historyKey(''), samples(3), storage);
    saveHistory(historyKey('http://other:8088/'), samples(7), storage);
    expect(historyKey('http://other:8088')).toBe(historyKey('http://other:8088/'));
    expect(historyKey('')).not.toBe(historyKey('http://other:8088'));
    expect(restoreHistory(historyKey(''), T0 + 10_000, storage)).toHaveLength(3);
    expect(restoreHistory(historyKey('http://other:8088'), T0 + 10_000, storage)).toHaveLength(7);
    expect(restoreHistory(historyKey('http://third'), T0 + 10_000, storage)).toEqual([]);
  });

  it('ignores what it cannot read: nothing, broken JSON, another version, a sample of the wrong shape, times out of order', () => {
    const storage = memoryStorage();
    const now = T0 + 10_000;
    const stored = (v: unknown): Sample[] => {
      storage.items.set(key, typeof v === 'string' ? v : JSON.stringify(v));
      return restoreHistory(key, now, storage);
    };
    expect(restoreHistory(key, now, storage)).toEqual([]);
    expect(stored('{"v":1,"samples":[')).toEqual([]);
    expect(stored('null')).toEqual([]);
    expect(stored(samples(3))).toEqual([]); // a bare list: no version
    expect(stored({ v: 2, samples: samples(3) })).toEqual([]);
    expect(stored({ v: 1, samples: 'x' })).toEqual([]);
    expect(stored({ v: 1, samples: [...samples(2), null] })).toEqual([]);
    expect(stored({ v: 1, samples: [{ time: T0, throughput: { 1: 'x' }, length: {} }] })).toEqual([]);
    expect(stored({ v: 1, samples: [{ time: T0, throughput: { q: 1 }, length: {} }] })).toEqual([]);
    expect(stored({ v: 1, samples: [{ time: String(T0), throughput: {}, length: {} }] })).toEqual([]);
    expect(stored({ v: 1, samples: [{ time: T0, throughput: [], length: {} }] })).toEqual([]);
    expect(stored({ v: 1, samples: [samples(2)[1], samples(2)[0]] })).toEqual([]);
    expect(stored({ v: 1, samples: samples(2) })).toHaveLength(2);
  });

  it('never throws when storage refuses: full on write, or none at all', () => {
    const full: HistoryStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(() => saveHistory(key, samples(3), full)).not.toThrow();
    expect(restoreHistory(key, T0, full)).toEqual([]);
    expect(() => saveHistory(key, samples(3), null)).not.toThrow();
    expect(restoreHistory(key, T0, null)).toEqual([]);
  });
});
