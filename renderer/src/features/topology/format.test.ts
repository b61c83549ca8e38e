import { describe, expect, it } from 'vitest';
import { describeResources, formatMemory, formatNumber, formatRate, queueList } from './format';

describe('topology format', () => {
  it('queueList', () => {
    expect(queueList([1, 9])).toBe('#1, #9');
    expect(queueList([])).toBe('');
  });

  // formatNumber: up to 2 decimals (or those given), no trailing zeros, thousands separated;
  // formatMemory: GiB for whole quarter-GiB amounts from 1 GiB, MiB otherwise;
  // formatRate: whole numbers from 10 a minute, one decimal below.
  it.each([
    ['formatNumber', 1.5, '1.5', formatNumber],
    ['formatNumber', 2, '2', formatNumber],
    ['formatNumber', 0.125, '0.13', formatNumber],
    ['formatNumber', 12345.678, '12,345.68', formatNumber],
    ['formatNumber (1 decimal)', 1.26, '1.3', (n: number) => formatNumber(n, 1)],
    ['formatMemory', 512, '512 MiB', formatMemory],
    ['formatMemory', 1024, '1 GiB', formatMemory],
    ['formatMemory', 1536, '1.5 GiB', formatMemory],
    ['formatMemory', 1280, '1.25 GiB', formatMemory],
    ['formatMemory', 1100, '1,100 MiB', formatMemory],
    ['formatRate', 0, '0', formatRate],
    ['formatRate', 0.25, '0.3', formatRate],
    ['formatRate', 9.94, '9.9', formatRate],
    ['formatRate', 10.4, '10', formatRate],
    ['formatRate', 1234.5, '1,235', formatRate],
  ])('%s(%s) is %s', (_name, n, shown, format) => {
    expect(format(n)).toBe(shown);
  });

  it('describeResources: limits and reservations, a 0 limit shown, nothing set is empty', () => {
    expect(describeResources({ cpus: 1.5, memoryMb: 512 }, { cpus: 0.5 })).toBe('limit 1.5 CPU · 512 MiB, reserved 0.5 CPU');
    expect(describeResources(undefined, { memoryMb: 2048 })).toBe('reserved 2 GiB');
    expect(describeResources({ cpus: 0 }, undefined)).toBe('limit 0 CPU');
    expect(describeResources({}, {})).toBe('');
    expect(describeResources(undefined, undefined)).toBe('');
  });
});
