import { describe, expect, it } from 'vitest';
import { formatDuration, formatSince, formatTime, formatTimeS, inSentence, toJson } from './format';

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

describe('formatTimeS', () => {
  it('shows an epoch-seconds time (a cron job override end) as the same date as its ms', () => {
    const ms = new Date(2026, 0, 1, 0, 2, 30).getTime();
    expect(formatTimeS(ms / 1000)).toBe('2026-01-01 00:02:30');
    expect(formatTimeS(ms / 1000)).toBe(formatTime(ms));
    expect(formatTimeS(null)).toBe('—');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '<1 ms'],
    [0.4, '<1 ms'],
    [1, '1 ms'],
    [12.4, '12 ms'],
    [1000, '1.00 s'],
    [61_234, '61.23 s'],
    // Never 1000 ms: what rounds to a second is shown in seconds.
    [999.4, '999 ms'],
    [999.5, '1.00 s'],
    [999.9, '1.00 s'],
    // No duration: a dash.
    [null, '—'],
    [undefined, '—'],
  ])('formatDuration(%s) is %s', (ms, shown) => {
    expect(formatDuration(ms)).toBe(shown);
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

describe('inSentence', () => {
  it('lowercases words, not acronyms', () => {
    expect(inSentence('Sync APIs')).toBe('sync APIs');
    expect(inSentence('Async APIs')).toBe('async APIs');
    expect(inSentence('Env variables')).toBe('env variables');
    expect(inSentence('Users')).toBe('users');
    expect(inSentence('API auth')).toBe('API auth');
  });
});

describe('formatSince', () => {
  it('is the 24-hour time of today (the alert banner said "8:34:58 PM"), the whole time of another day', () => {
    const now = new Date(2026, 11, 7, 21, 0, 0).getTime();
    expect(formatSince(new Date(2026, 11, 7, 20, 34, 58).getTime(), now)).toBe('20:34:58');
    expect(formatSince(new Date(2026, 11, 6, 8, 4, 5).getTime(), now)).toBe('2026-12-06 08:04:05');
  });
});
