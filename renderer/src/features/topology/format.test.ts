import { describe, expect, it } from 'vitest';
import { describeResources, formatMemory, formatNumber, formatRate, queueList } from './format';

describe('topology format', () => {
  it('queueList', () => {
    expect(queueList([1, 9])).toBe('#1, #9');
    expect(queueList([])).toBe('');
  });

  it.each([
    [1.5, undefined, '1.5'],
    [2, undefined, '2'],
    [0.125, undefined, '0.13'],
    [12345.678, undefined, '12,345.68'],
    [1.26, 1, '1.3'],
  ] as const)('formatNumber(%s, %s) is %s: up to 2 decimals (or those given), no trailing zeros, thousands separated', (n, decimals, shown) => {
    expect(formatNumber(n, decimals)).toBe(shown);
  });

  it.each([
    [512, '512 MiB'],
    [1024, '1 GiB'],
    [1536, '1.5 GiB'],
    [1280, '1.25 GiB'],
    [1100, '1,100 MiB'],
  ])('formatMemory(%s) is %s: GiB for whole quarter-GiB amounts from 1 GiB, MiB otherwise', (mb, shown) => {
    expect(formatMemory(mb)).toBe(shown);
  });

  it.each([
    [0, '0'],
    [0.25, '0.3'],
    [9.94, '9.9'],
    [10.4, '10'],
    [1234.5, '1,235'],
  ])('formatRate(%s) is %s: whole numbers from 10 a minute, one decimal below', (perMinute, shown) => {
    expect(formatRate(perMinute)).toBe(shown);
  });

  it('describeResources: limits and reservations, a 0 limit shown, nothing set is empty', () => {
    expect(describeResources({ cpus: 1.5, memoryMb: 512 }, { cpus: 0.5 })).toBe('limit 1.5 CPU · 512 MiB, reserved 0.5 CPU');
    expect(describeResources(undefined, { memoryMb: 2048 })).toBe('reserved 2 GiB');
    expect(describeResources({ cpus: 0 }, undefined)).toBe('limit 0 CPU');
    expect(describeResources({}, {})).toBe('');
    expect(describeResources(undefined, undefined)).toBe('');
  });
});
