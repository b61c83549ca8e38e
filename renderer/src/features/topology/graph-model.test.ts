import { describe, expect, it } from 'vitest';
import type { StackStatus } from '@contract/operations/stack';
import type { TopologyStatus } from '@contract/operations/topology';
import type { Sample } from '../overview/use-topology';
import { buildGraphModel, structureKey } from './graph-model';

type Service = TopologyStatus['services'][number];
type Queue = TopologyStatus['queues'][number];

const service = (kind: Service['kind'], name: string, host: string, extra: Partial<Service> = {}): Service => ({
  kind,
  name,
  host,
  pid: 1,
  version: '0.1.0',
  uptimeS: 10,
  lastSeen: 0,
  ...extra,
});
const queue = (n: number, extra: Partial<Queue> = {}): Queue => ({ queue: n, length: 0, delayed: 0, inFlight: 0, done: 0, listeners: [], roles: [], ...extra });

function live(over: Partial<TopologyStatus> = {}): TopologyStatus {
  return {
    mode: 'production',
    time: 0,
    topology: {
      name: 'split',
      queueMap: { direct: 1, syncAPI: 1, asyncAPI: 2, cronJob: 3, debugger: 9 },
      units: [
        { name: 'fast', queues: [9, 1], processes: 4, replicas: 2 },
        { name: 'slow', queues: [2, 3], processes: 2, replicas: 1 },
      ],
    },
    services: [
      service('server', 'server', 'h1'),
      service('server', 'server', 'h1'),
      service('server', 'server', 'h2', { subscriptions: true }),
      service('beat', 'beat', 'h2'),
      service('worker', 'fast', 'h1', { processes: 4, busy: 1, tasksDone: 10 }),
      service('worker', 'fast', 'h2', { processes: 4, busy: 3, tasksDone: 5 }),
      service('worker', 'slow', 'h1', { processes: 2 }),
    ],
    queues: [queue(0), queue(1, { length: 3 }), queue(2), queue(3), queue(5, { delayed: 1 }), queue(7), queue(9)],
    ...over,
  };
}

describe('buildGraphModel from the live topology alone', () => {
  const m = buildGraphModel(live(), [], undefined);

  it('sums the heartbeats of each unit and sorts its queues', () => {
    expect(m.units).toEqual([
      {
        name: 'fast',
        queues: [1, 9],
        processes: 4,
        desired: 2,
        running: null,
        alive: 2,
        busy: 4,
        capacity: 8,
        tasksDone: 15,
        limits: undefined,
        reservations: undefined,
        problem: undefined,
      },
      {
        name: 'slow',
        queues: [2, 3],
        processes: 2,
        desired: 1,
        running: null,
        alive: 1,
        busy: 0,
        capacity: 2,
        tasksDone: 0,
        limits: undefined,
        reservations: undefined,
        problem: undefined,
      },
    ]);
  });

  it('does not sort the topology it was given in place', () => {
    const t = live();
    buildGraphModel(t, [], undefined);
    expect(t.topology.units[0]!.queues).toEqual([9, 1]);
  });

  it('hides queues with no role, no listener and nothing waiting; keeps one with delayed tasks', () => {
    expect(m.queues.map((q) => q.queue)).toEqual([1, 2, 3, 5, 9]);
    expect(m.hiddenQueues).toEqual([0, 7]);
    const five = m.queues.find((q) => q.queue === 5)!;
    expect(five).toMatchObject({ roles: [], listeners: [], delayed: 1 });
  });

  it('gives each queue every role of the queue map that points to it, and its listening units', () => {
    expect(m.queues.find((q) => q.queue === 1)).toMatchObject({ roles: ['direct', 'syncAPI'], listeners: ['fast'], length: 3 });
    expect(m.queues.find((q) => q.queue === 3)).toMatchObject({ roles: ['cronJob'], listeners: ['slow'] });
  });

  it('counts server and beat heartbeats, each host once, no desired count without a stack', () => {
    expect(m.server).toEqual({ kind: 'server', alive: 3, desired: null, running: null, hosts: ['h1', 'h2'], problem: undefined, maintainer: 'server@h2' });
    expect(m.beat).toEqual({ kind: 'beat', alive: 1, desired: null, running: null, hosts: ['h2'], problem: undefined });
  });

  it('a unit without heartbeats is drawn, alive 0', () => {
    const t = live({ services: [] });
    expect(buildGraphModel(t, [], undefined).units.map((u) => [u.name, u.alive, u.capacity])).toEqual([
      ['fast', 0, 0],
      ['slow', 0, 0],
    ]);
  });
});

describe('queue rates', () => {
  it('average the last three samples, a queue missing from a sample counting 0', () => {
    const history: Sample[] = [
      { time: 1, throughput: { 1: 100 }, length: {} },
      { time: 2, throughput: { 1: 3 }, length: {} },
      { time: 3, throughput: {}, length: {} },
      { time: 4, throughput: { 1: 6, 2: 1 }, length: {} },
    ];
    const m = buildGraphModel(live(), history, undefined);
    expect(m.queues.find((q) => q.queue === 1)!.rate).toBe(3);
    expect(m.queues.find((q) => q.queue === 2)!.rate).toBeCloseTo(1 / 3);
  });

  it('are 0 with no history', () => {
    expect(buildGraphModel(live(), [], undefined).queues.every((q) => q.rate === 0)).toBe(true);
  });
});

describe('buildGraphModel with a deployed stack', () => {
  const stack = (over: Partial<StackStatus> = {}): StackStatus => ({
    configured: true,
    stack: 'func',
    deployed: true,
    topology: {
      name: 'split',
      queueMap: { direct: 1, syncAPI: 1, asyncAPI: 2, cronJob: 3, debugger: 9 },
      units: [
        { name: 'fast', queues: [1, 9], processes: 4, replicas: 3, limits: { cpus: 1.5, memoryMb: 512 } },
        { name: 'slow', queues: [2, 3], processes: 2, replicas: 1, reservations: { cpus: 0.5 } },
      ],
    },
    services: [
      { name: 'func_server', service: 'server', role: 'server', image: 'func', desired: 2, running: 2 },
      { name: 'func_beat', service: 'beat', role: 'beat', image: 'func', desired: 1, running: 0, problem: 'no suitable node' },
      { name: 'func_worker-fast', service: 'worker-fast', role: 'worker', unit: 'fast', image: 'func', desired: 3, running: 2 },
      { name: 'func_redis', service: 'redis', role: 'redis', image: 'redis', desired: 1, running: 1 },
    ],
    ...over,
  });

  it('takes units, desired/running replicas, limits and problems from the stack', () => {
    const m = buildGraphModel(live(), [], stack());
    expect(m.units.map((u) => [u.name, u.desired, u.running, u.alive])).toEqual([
      ['fast', 3, 2, 2],
      ['slow', 1, 0, 1],
    ]);
    expect(m.units[0]!.limits).toEqual({ cpus: 1.5, memoryMb: 512 });
    expect(m.units[1]!.reservations).toEqual({ cpus: 0.5 });
    expect(m.server).toMatchObject({ desired: 2, running: 2, alive: 3 });
    expect(m.beat).toMatchObject({ desired: 1, running: 0, problem: 'no suitable node' });
  });

  it('matches a worker service by its service name when it carries no unit label', () => {
    const s = stack();
    s.services = s.services.map((x) => (x.role === 'worker' ? { ...x, unit: undefined, service: 'slow', desired: 5, running: 4 } : x));
    const m = buildGraphModel(live(), [], s);
    expect(m.units.find((u) => u.name === 'slow')).toMatchObject({ desired: 5, running: 4 });
  });

  it('falls back to the live topology when the stack is not configured or has no topology', () => {
    for (const s of [stack({ configured: false }), stack({ topology: undefined, deployed: false })]) {
      const m = buildGraphModel(live(), [], s);
      expect(m.units.every((u) => u.running === null)).toBe(true);
      expect(m.units[0]!.limits).toBeUndefined();
    }
  });
});

describe('structureKey', () => {
  const m = buildGraphModel(live(), [], undefined);

  it('does not change with the numbers', () => {
    const t = live({ queues: live().queues.map((q) => (q.queue === 1 ? { ...q, length: 50, inFlight: 4 } : q)) });
    t.services = t.services.map((x) => ({ ...x, busy: 2, tasksDone: 99 }));
    const busier = buildGraphModel(t, [{ time: 1, throughput: { 1: 5 }, length: {} }], undefined);
    expect(structureKey(busier, false)).toBe(structureKey(m, false));
  });

  it('changes when a queue is shown, a unit moves, or management changes', () => {
    const k = structureKey(m, false);
    expect(structureKey(m, true)).not.toBe(k);
    const moved = live();
    moved.topology.units[1]!.queues = [2];
    expect(structureKey(buildGraphModel(moved, [], undefined), false)).not.toBe(k);
    const waiting = live({ queues: live().queues.map((q) => (q.queue === 7 ? { ...q, length: 1 } : q)) });
    expect(structureKey(buildGraphModel(waiting, [], undefined), false)).not.toBe(k);
  });
});
