import { describe, expect, it } from 'vitest';
import { formatDuration, formatTime, toJson } from './format';

describe('formatTime', () => {
  it('is local time, zero-padded, to the second', () => {
    const ms = new Date(2024, 0, 2, 3, 4, 5, 678).getTime();
    expect(formatTime(ms)).toBe('2024-01-02 03:04:05');
  });

  it('shows a dash for no time, but 0 is a time', () => {
    expect(formatTime(null)).toBe('—');
    expect(formatTime(undefined)).toBe('—');
    expect(formatTime(0)).toMatch(/^19(69|70)-/);
  });
});

describe('formatDuration', () => {
  it('sub-millisecond, milliseconds, seconds', () => {
    expect(formatDuration(0)).toBe('<1 ms');
    expect(formatDuration(0.4)).toBe('<1 ms');
    expect(formatDuration(1)).toBe('1 ms');
    expect(formatDuration(12.4)).toBe('12 ms');
    expect(formatDuration(1000)).toBe('1.00 s');
    expect(formatDuration(61_234)).toBe('61.23 s');
  });

  it('never shows 1000 ms: what rounds to a second is shown in seconds', () => {
    expect(formatDuration(999.4)).toBe('999 ms');
    expect(formatDuration(999.5)).toBe('1.00 s');
    expect(formatDuration(999.9)).toBe('1.00 s');
  });

  it('shows a dash for no duration', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(undefined)).toBe('—');
  });
});

describe('toJson', () => {
  it('pretty-prints, empty for undefined, null as null', () => {
    expect(toJson({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(toJson(undefined)).toBe('');
    expect(toJson(null)).toBe('null');
  });

  it('says so instead of throwing for a value JSON cannot hold', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(toJson(loop)).toBe('(not serialisable)');
    expect(toJson(10n)).toBe('(not serialisable)');
  });
});
