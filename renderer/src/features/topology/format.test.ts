import { describe, expect, it } from 'vitest';
import { describeResources, formatMemory, formatNumber, formatRate, queueList } from './format';

describe('topology format', () => {
  it('queueList', () => {
    expect(queueList([1, 9])).toBe('#1, #9');
    expect(queueList([])).toBe('');
  });

  it('formatNumber: up to 2 decimals, no trailing zeros, thousands separated', () => {
    expect(formatNumber(1.5)).toBe('1.5');
    expect(formatNumber(2)).toBe('2');
    expect(formatNumber(0.125)).toBe('0.13');
    expect(formatNumber(12345.678)).toBe('12,345.68');
    expect(formatNumber(1.26, 1)).toBe('1.3');
  });

  it('formatMemory: GiB for whole quarter-GiB amounts from 1 GiB, MiB otherwise', () => {
    expect(formatMemory(512)).toBe('512 MiB');
    expect(formatMemory(1024)).toBe('1 GiB');
    expect(formatMemory(1536)).toBe('1.5 GiB');
    expect(formatMemory(1280)).toBe('1.25 GiB');
    expect(formatMemory(1100)).toBe('1,100 MiB');
  });

  it('formatRate: whole numbers from 10 a minute, one decimal below', () => {
    expect(formatRate(0)).toBe('0');
    expect(formatRate(0.25)).toBe('0.3');
    expect(formatRate(9.94)).toBe('9.9');
    expect(formatRate(10.4)).toBe('10');
    expect(formatRate(1234.5)).toBe('1,235');
  });

  it('describeResources: limits and reservations, a 0 limit shown, nothing set is empty', () => {
    expect(describeResources({ cpus: 1.5, memoryMb: 512 }, { cpus: 0.5 })).toBe('limit 1.5 CPU · 512 MiB, reserved 0.5 CPU');
    expect(describeResources(undefined, { memoryMb: 2048 })).toBe('reserved 2 GiB');
    expect(describeResources({ cpus: 0 }, undefined)).toBe('limit 0 CPU');
    expect(describeResources({}, {})).toBe('');
    expect(describeResources(undefined, undefined)).toBe('');
  });
});
