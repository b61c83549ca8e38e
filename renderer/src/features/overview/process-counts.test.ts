import { describe, expect, it } from 'vitest';
import type { TopologyStatus } from '@contract/operations/topology';
import { processCountsText, serviceProcessCounts, totalProcessCounts, unitProcessCounts } from './process-counts';

const worker = (name: string, processes: number, busy: number): TopologyStatus['services'][number] => ({
  kind: 'worker',
  name,
  host: 'h',
  pid: 1,
  version: '0',
  uptimeS: 10,
  queues: [0],
  processes,
  busy,
  lastSeen: 0,
});

/** `func up` with runners started on demand: worker-a idle (none started), worker-b running one of its two. */
const live: Pick<TopologyStatus, 'services' | 'topology'> = {
  topology: {
    name: 'standalone',
    queueMap: {},
    units: [
      { name: 'worker-a', queues: [0], processes: 2, replicas: 1 },
      { name: 'worker-b', queues: [1], processes: 2, replicas: 1 },
    ],
  },
  services: [{ kind: 'server', name: 'server', host: 'h', pid: 1, version: '0', uptimeS: 10, lastSeen: 0 }, worker('worker-a', 0, 0), worker('worker-b', 1, 1)],
};

describe('process counts', () => {
  it('an idle unit whose processes start on demand shows the two it may run, not 0/0', () => {
    expect(processCountsText(serviceProcessCounts(live.services[1]!, live.topology))).toBe('0 busy · 0 of 2 started');
  });

  it('the overview adds up the worker replicas beating: busy, started, most', () => {
    expect(totalProcessCounts(live)).toEqual({ busy: 1, started: 1, max: 4 });
  });

  it('a worker the topology does not define (func worker by hand): what it runs is its maximum', () => {
    expect(serviceProcessCounts(worker('adhoc', 3, 0), live.topology)).toEqual({ busy: 0, started: 3, max: 3 });
  });

  it('a graph unit: processes per replica × replicas beating, or wanted while none beats', () => {
    expect(processCountsText(unitProcessCounts({ busy: 0, capacity: 0, processes: 2, alive: 1, desired: 1 }))).toBe('0 busy · 0 of 2 started');
    expect(unitProcessCounts({ busy: 1, capacity: 4, processes: 2, alive: 2, desired: 3 })).toEqual({ busy: 1, started: 4, max: 4 });
    expect(unitProcessCounts({ busy: 0, capacity: 0, processes: 5, alive: 0, desired: 2 }).max).toBe(10);
  });
});
