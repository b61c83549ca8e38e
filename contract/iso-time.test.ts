import { describe, expect, it } from 'vitest';
import { parseIsoTime } from './iso-time.js';

const utc = (iso: string): number => Date.parse(iso);

describe('parseIsoTime', () => {
  it('takes a time without an offset as UTC, with or without seconds and their fraction, T or a space', () => {
    expect(parseIsoTime('2026-12-07T11:37:15.817112')).toBe(utc('2026-12-07T11:37:15.817Z'));
    expect(parseIsoTime('2026-12-07T11:37:15.8')).toBe(utc('2026-12-07T11:37:15.800Z'));
    expect(parseIsoTime('2026-12-07T11:37:15,25')).toBe(utc('2026-12-07T11:37:15.250Z'));
    expect(parseIsoTime('2030-01-01 00:00:00')).toBe(utc('2030-01-01T00:00:00Z'));
    expect(parseIsoTime('2030-01-01T08:30')).toBe(utc('2030-01-01T08:30:00Z'));
    expect(parseIsoTime('2030-01-01')).toBe(utc('2030-01-01T00:00:00Z'));
  });

  it('applies Z or an offset (±HH:MM, ±HHMM, ±HH)', () => {
    expect(parseIsoTime('2030-01-01T08:00:00Z')).toBe(utc('2030-01-01T08:00:00Z'));
    expect(parseIsoTime('2030-01-01T08:00:00.5z')).toBe(utc('2030-01-01T08:00:00.500Z'));
    expect(parseIsoTime('2030-01-01T08:00:00+08:00')).toBe(utc('2030-01-01T00:00:00Z'));
    expect(parseIsoTime('2030-01-01 08:00+0800')).toBe(utc('2030-01-01T00:00:00Z'));
    expect(parseIsoTime('2030-01-01T08:00:00-05')).toBe(utc('2030-01-01T13:00:00Z'));
    expect(parseIsoTime('2030-01-01T00:15:00+05:45')).toBe(utc('2029-12-31T18:30:00Z'));
  });

  it('refuses other text, dates that do not exist and times out of range', () => {
    for (const bad of [
      '',
      'tomorrow',
      '2030',
      '2030-01',
      '20300101',
      '2030-W01',
      '2030-1-1',
      '2030-02-30',
      '2029-02-29',
      '2030-13-01',
      '2030-00-10',
      '2030-01-01T',
      '2030-01-01T24:00',
      '2030-01-01T10:60',
      '2030-01-01T10:00:60',
      '2030-01-01T10',
      '2030-01-01Z',
      '2030-01-01T10:00+24:00',
      '2030-01-01T10:00:00.',
      ' 2030-01-01',
      '2030-01-01T10:00:00 +08:00',
    ]) {
      expect(parseIsoTime(bad), bad).toBeUndefined();
    }
    expect(parseIsoTime('2028-02-29')).toBe(utc('2028-02-29T00:00:00Z'));
  });
});
