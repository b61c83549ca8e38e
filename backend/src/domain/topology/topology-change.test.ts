import { describe, expect, it } from 'vitest';
import type { StackChange } from '../../../../contract/operations/stack.js';
import { planSteps } from './change-plan.js';
import { applyChange, ChangeRefused } from './topology-change.js';
import { PRESETS, type Topology } from './topology.js';
import { unitNameFor } from './unit-names.js';

const legacy = PRESETS.legacy!;
const standalone = PRESETS.standalone!;

function refusal(t: Topology, change: StackChange): string {
  try {
    applyChange(t, change);
  } catch (err) {
    expect(err).toBeInstanceOf(ChangeRefused);
    expect((err as ChangeRefused).code).toBe('EBizCondition');
    return (err as ChangeRefused).reasons.join('\n');
  }
  throw new Error('the change was not refused');
}

const unitsOf = (t: Topology): [string, number[], number][] => t.units.map((u) => [u.name, u.queues, u.replicas]);

describe('unit names', () => {
  it('follow the queues', () => {
    expect(unitNameFor([6])).toBe('worker-6');
    expect(unitNameFor([5, 1, 2, 3, 4])).toBe('worker-1-5');
    expect(unitNameFor([0, 4, 7, 8, 9])).toBe('worker-0-and-4-and-7-9');
  });
});

describe('split', () => {
  it('splits worker-1-6 into worker-1-5 and worker-6 as in the seed', () => {
    const { topology, summary } = applyChange(legacy, { op: 'split', unit: 'worker-1-6', queues: [6] });
    expect(unitsOf(topology)).toEqual([
      ['worker-0', [0], 1],
      ['worker-1-5', [1, 2, 3, 4, 5], 1],
      ['worker-6', [6], 1],
      ['worker-7', [7], 1],
      ['worker-8-9', [8, 9], 1],
    ]);
    expect(summary).toBe('Split #6 out of worker-1-6 into worker-6; the rest becomes worker-1-5');
  });
  it('keeps a custom name for the rest and copies processes and limits to the new unit', () => {
    const t: Topology = {
      ...standalone,
      units: [...standalone.units.slice(1), { name: 'worker-0', queues: [0, 4, 7, 8, 9], processes: 3, replicas: 2, limits: { memoryMb: 512 } }],
    };
    const { topology } = applyChange(t, { op: 'split', unit: 'worker-0', queues: [8, 9], newUnit: 'heavy' });
    expect(topology.units.find((u) => u.name === 'worker-0')!.queues).toEqual([0, 4, 7]);
    expect(topology.units.find((u) => u.name === 'heavy')).toEqual({ name: 'heavy', queues: [8, 9], processes: 3, replicas: 2, limits: { memoryMb: 512 } });
  });
  it('refuses queues the unit does not have, taking every queue, and taken names', () => {
    expect(refusal(legacy, { op: 'split', unit: 'worker-1-6', queues: [7] })).toMatch(/does not listen to #7/);
    expect(refusal(legacy, { op: 'split', unit: 'worker-7', queues: [7] })).toMatch(/listening to nothing/);
    expect(refusal(legacy, { op: 'split', unit: 'worker-1-6', queues: [6], newUnit: 'worker-7' })).toMatch(/worker-7 exists already/);
    expect(refusal(legacy, { op: 'split', unit: 'worker-1-6', queues: [6], newUnit: 'beat' })).toMatch(/name of a service/);
    expect(refusal(legacy, { op: 'split', unit: 'nope', queues: [6] })).toMatch(/no worker unit called "nope"/);
  });
});

describe('merge', () => {
  it('merges back into the original unit', () => {
    const split = applyChange(legacy, { op: 'split', unit: 'worker-1-6', queues: [6] }).topology;
    const { topology } = applyChange(split, { op: 'merge', units: ['worker-1-5', 'worker-6'] });
    expect(unitsOf(topology)).toEqual(unitsOf(legacy));
  });
  it('takes the largest processes and replicas and an explicit name', () => {
    const t = applyChange(standalone, { op: 'scale', unit: 'worker-2', replicas: 3 }).topology;
    const { topology } = applyChange(t, { op: 'merge', units: ['worker-2', 'worker-3'], into: 'batch' });
    expect(topology.units.find((u) => u.name === 'batch')).toMatchObject({ queues: [2, 3], replicas: 3, processes: 5 });
    expect(topology.units.map((u) => u.name)).toEqual(['worker-0', 'worker-1', 'batch', 'worker-5', 'worker-6']);
  });
  it('refuses one unit', () => {
    expect(refusal(standalone, { op: 'merge', units: ['worker-2', 'worker-2'] })).toMatch(/two different units/);
  });
});

describe('moveQueue', () => {
  it('moves a queue between units, to a new unit, and merges a unit left empty', () => {
    const moved = applyChange(legacy, { op: 'moveQueue', queue: 6, from: 'worker-1-6', to: 'worker-7' }).topology;
    expect(unitsOf(moved).slice(1, 3)).toEqual([
      ['worker-1-5', [1, 2, 3, 4, 5], 1],
      ['worker-7', [6, 7], 1],
    ]);
    expect(planSteps(legacy, moved).map((s) => `${s.kind} ${s.service}`)).toEqual([
      'create worker-1-5',
      'wait worker-1-5',
      'update worker-7',
      'wait worker-7',
      'remove worker-1-6',
    ]);
    const alone = applyChange(legacy, { op: 'moveQueue', queue: 6, from: 'worker-1-6' }).topology;
    expect(alone.units.map((u) => u.name)).toContain('worker-6');
    const emptied = applyChange(standalone, { op: 'moveQueue', queue: 2, from: 'worker-2', to: 'worker-3' }).topology;
    expect(emptied.units.map((u) => u.name)).not.toContain('worker-2');
    expect(emptied.units.find((u) => u.name === 'worker-3')!.queues).toEqual([2, 3]);
  });
});

describe('scale, processes and limits', () => {
  it('scales a unit and refuses beat above 1', () => {
    expect(applyChange(standalone, { op: 'scale', unit: 'worker-1', replicas: 3 }).topology.units[1]!.replicas).toBe(3);
    expect(refusal(standalone, { op: 'scale', unit: 'beat', replicas: 2 })).toMatch(/beat must run exactly 1 replica/);
    expect(refusal(standalone, { op: 'scale', unit: 'worker-1', replicas: 1 })).toMatch(/already has 1 replica/);
  });
  it('a topology may not name a unit after a service of the stack, nor set absurd memory', async () => {
    const { validateTopology } = await import('./topology.js');
    expect(validateTopology({ ...standalone, units: [...standalone.units, { name: 'beat', queues: [9], processes: 1, replicas: 3 }] }).join('\n')).toMatch(
      /"beat" is the name of a service of the stack/,
    );
    expect(refusal(standalone, { op: 'limit', unit: 'worker-3', limits: { memoryMb: 2 ** 40 } })).toMatch(/memory limit must be a whole number of MiB from 64 to 1048576/);
  });
  it('refuses scaling the only listener of a mapped queue to 0', () => {
    expect(refusal(standalone, { op: 'scale', unit: 'worker-1', replicas: 0 })).toMatch(/direct uses queue #1, which no running unit listens to/);
  });
  it('sets, patches and clears limits and reservations', () => {
    let t = applyChange(standalone, { op: 'limit', unit: 'worker-3', limits: { cpus: 1.5, memoryMb: 512 } }).topology;
    expect(t.units[3]!.limits).toEqual({ cpus: 1.5, memoryMb: 512 });
    t = applyChange(t, { op: 'limit', unit: 'worker-3', limits: { cpus: null }, reservations: { memoryMb: 256 } }).topology;
    expect(t.units[3]).toMatchObject({ limits: { memoryMb: 512 }, reservations: { memoryMb: 256 } });
    expect(refusal(t, { op: 'limit', unit: 'worker-3', reservations: { memoryMb: 1024 } })).toMatch(/reservation 1024 MiB is above the limit 512 MiB/);
    t = applyChange(t, { op: 'limit', unit: 'worker-3', limits: { memoryMb: null }, reservations: { memoryMb: null } }).topology;
    expect(t.units[3]!.limits).toBeUndefined();
    expect(t.units[3]!.reservations).toBeUndefined();
    expect(applyChange(t, { op: 'processes', unit: 'worker-3', processes: 2 }).topology.units[3]!.processes).toBe(2);
  });
});

describe('plans', () => {
  it('split: create and wait before the old unit lets go', () => {
    const after = applyChange(legacy, { op: 'split', unit: 'worker-1-6', queues: [6] }).topology;
    expect(planSteps(legacy, after).map((s) => `${s.kind} ${s.service}`)).toEqual([
      'create worker-1-5',
      'create worker-6',
      'wait worker-1-5',
      'wait worker-6',
      'remove worker-1-6',
    ]);
  });
  it('narrowing a custom-named unit comes after the new unit runs', () => {
    const after = applyChange(standalone, { op: 'split', unit: 'worker-0', queues: [8, 9], newUnit: 'heavy' }).topology;
    expect(planSteps(standalone, after).map((s) => `${s.kind} ${s.service}`)).toEqual(['create heavy', 'wait heavy', 'update worker-0', 'wait worker-0']);
  });
  it('moving a queue widens the receiver before narrowing the giver', () => {
    const after = applyChange(standalone, { op: 'moveQueue', queue: 4, from: 'worker-0', to: 'worker-5' }).topology;
    expect(planSteps(standalone, after).map((s) => `${s.kind} ${s.service}`)).toEqual(['update worker-5', 'wait worker-5', 'update worker-0', 'wait worker-0']);
  });
  it('units swapping queues listen to both until every one has taken over', () => {
    const before: Topology = {
      ...standalone,
      units: [
        { name: 'a', queues: [0, 1, 2], processes: 1, replicas: 1 },
        { name: 'b', queues: [3, 5, 6], processes: 1, replicas: 1 },
      ],
    };
    const after: Topology = {
      ...standalone,
      units: [
        { name: 'a', queues: [0, 1, 3], processes: 1, replicas: 1 },
        { name: 'b', queues: [2, 5, 6], processes: 1, replicas: 1 },
      ],
    };
    const steps = planSteps(before, after);
    expect(steps.map((s) => `${s.kind} ${s.service}${s.queues ? ` ${s.queues.join(',')}` : ''}`)).toEqual([
      'update a 0,1,2,3',
      'update b 2,3,5,6',
      'wait a',
      'wait b',
      'update a',
      'update b',
      'wait a',
      'wait b',
    ]);
  });

  it('describes what changes', () => {
    const after = applyChange(standalone, { op: 'scale', unit: 'worker-2', replicas: 3 }).topology;
    expect(planSteps(standalone, after)).toEqual([
      { kind: 'update', service: 'worker-2', description: 'Update worker-2: replicas 1 → 3' },
      { kind: 'wait', service: 'worker-2', description: 'Wait until worker-2 has converged' },
    ]);
  });
});
