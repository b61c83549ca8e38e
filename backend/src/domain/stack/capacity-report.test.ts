import { describe, expect, it } from 'vitest';
import type { TaskTiming } from '../ports/store.js';
import { PRESETS } from '../topology/topology.js';
import { capacityReport, percentile } from './capacity-report.js';

const NOW = 1_750_000_000_000;
const timing = (queue: number, ms: number, endAgoMs = 1000): TaskTiming => ({ queue, startTimeMs: NOW - endAgoMs - ms, endTimeMs: NOW - endAgoMs });

describe('capacity report', () => {
  it('measures T (mean, p90) and load per queue and applies the seed formula', () => {
    // Queue #8 of the attached preset (worker-8, 5 processes): 1,000 tasks of 500 ms in 1 minute.
    const timings = Array.from({ length: 1000 }, () => timing(8, 500));
    const report = capacityReport({ timings, truncated: false, topology: PRESETS.attached!, windowMinutes: 1, now: NOW });
    expect(report.queues).toHaveLength(16);
    const q8 = report.queues[8]!;
    expect(q8).toEqual({
      queue: 8,
      roles: [],
      samples: 1000,
      meanMs: 500,
      p90Ms: 500,
      tasksPerMinute: 1000,
      units: [{ name: 'worker-8', processes: 5, replicas: 1 }],
      capacityPerReplica: 600,
      replicasNeeded: 2,
    });
    expect(report).toMatchObject({ windowMinutes: 1, time: NOW });
  });

  it('takes the mean as T and reports the nearest-rank p90', () => {
    const ms = [100, 100, 100, 100, 100, 100, 100, 100, 100, 1100];
    const report = capacityReport({ timings: ms.map((m) => timing(1, m)), truncated: false, topology: PRESETS.standalone!, windowMinutes: 10, now: NOW });
    const q1 = report.queues[1]!;
    expect(q1.meanMs).toBe(200);
    expect(q1.p90Ms).toBe(100);
    expect(q1.tasksPerMinute).toBe(1);
    expect(q1.roles).toEqual(['direct', 'syncAPI']);
    expect(q1.capacityPerReplica).toBe(1500);
    expect(q1.replicasNeeded).toBe(1);
  });

  it('leaves T, capacity and replicas unknown without samples, and capacity unknown without a listener', () => {
    const report = capacityReport({ timings: [timing(12, 300)], truncated: false, topology: PRESETS.standalone!, windowMinutes: 60, now: NOW });
    expect(report.queues[2]).toMatchObject({ samples: 0, meanMs: null, p90Ms: null, tasksPerMinute: 0, capacityPerReplica: null, replicasNeeded: null, roles: ['cronJob'] });
    expect(report.queues[2]!.units).toEqual([{ name: 'worker-2', processes: 5, replicas: 1 }]);
    expect(report.queues[12]).toMatchObject({ samples: 1, meanMs: 300, units: [], capacityPerReplica: null, replicasNeeded: null });
  });

  it('sizes a replica with a running unit first, even when a stopped one is listed before it', () => {
    const topology = {
      queueMap: PRESETS.standalone!.queueMap,
      units: [
        { name: 'stopped', queues: [3], processes: 2, replicas: 0 },
        { name: 'running', queues: [3], processes: 10, replicas: 3 },
      ],
    };
    const report = capacityReport({ timings: [timing(3, 1000)], truncated: false, topology, windowMinutes: 1, now: NOW });
    expect(report.queues[3]!.units.map((u) => u.name)).toEqual(['running', 'stopped']);
    expect(report.queues[3]!.capacityPerReplica).toBe(600);
  });

  it('measures the load over the span the rows cover when the row cap cut them short', () => {
    // 60 tasks ended over the last 30 s of a 60-minute window: 120 tasks/minute, not 1.
    const timings = Array.from({ length: 60 }, (_, i) => timing(3, 100, 500 * i + 500));
    const report = capacityReport({ timings, truncated: true, topology: PRESETS.standalone!, windowMinutes: 60, now: NOW });
    expect(report.queues[3]!.tasksPerMinute).toBeCloseTo(120, 6);
    const full = capacityReport({ timings, truncated: false, topology: PRESETS.standalone!, windowMinutes: 60, now: NOW });
    expect(full.queues[3]!.tasksPerMinute).toBe(1);
  });

  it('plans tasks too fast to time (T measured as 0 ms) with T = 1 ms instead of leaving them unknown', () => {
    // 600 tasks a minute on #1 (worker-1, 5 processes), each started and ended within its millisecond.
    const timings = Array.from({ length: 600 }, () => timing(1, 0));
    const q1 = capacityReport({ timings, truncated: false, topology: PRESETS.standalone!, windowMinutes: 1, now: NOW }).queues[1]!;
    expect(q1).toMatchObject({ samples: 600, meanMs: 0, p90Ms: 0, tasksPerMinute: 600 });
    // A = 5 × 60000 ÷ 1 = 300000 a minute per replica; ceil(600 ÷ 300000) = 1.
    expect(q1.capacityPerReplica).toBe(300_000);
    expect(q1.replicasNeeded).toBe(1);
  });

  it('percentile by nearest rank', () => {
    expect(percentile([], 0.9)).toBeNull();
    expect(percentile([5], 0.9)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.9)).toBe(10);
  });
});
