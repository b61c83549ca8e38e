import { describe, expect, it } from 'vitest';
import { parseQueueList } from './queues.js';
import { PRESETS, topologyShapeProblems, validateTopology, type Topology } from './topology.js';

describe('queues', () => {
  it('parses numbers, lists and ranges', () => {
    expect(parseQueueList('0,4,7-9')).toEqual([0, 4, 7, 8, 9]);
    // The order given is the worker's priority; a repeated queue stays where it first appears.
    expect(parseQueueList(' 3 , 1,1 ')).toEqual([3, 1]);
    expect(parseQueueList('9,1')).toEqual([9, 1]);
    expect(parseQueueList('9,7-8,1,8')).toEqual([9, 7, 8, 1]);
    expect(() => parseQueueList('16')).toThrow(/outside/);
    expect(() => parseQueueList('a')).toThrow(/not a queue/);
    expect(() => parseQueueList('5-2')).toThrow('"5-2" is reversed: write the lower queue first (2-5)');
    expect(() => parseQueueList('5-99')).toThrow(/outside the queues 0-15/);
  });

  it('refuses an empty item, naming the list (a queue left out by a typo), and an empty list', () => {
    for (const text of ['1,,2', ',1', '1,', '1, ,2']) expect(() => parseQueueList(text)).toThrow(`"${text}" has an empty item between its commas (use e.g. 0,4,7-9)`);
    for (const text of ['', ' ']) expect(() => parseQueueList(text)).toThrow('no queue given');
  });
});

describe('presets', () => {
  it('reproduce the seed tables', () => {
    expect(PRESETS.standalone!.units.map((u) => [u.name, u.queues])).toEqual([
      ['worker-0', [0, 4, 7, 8, 9]],
      ['worker-1', [1]],
      ['worker-2', [2]],
      ['worker-3', [3]],
      ['worker-5', [5]],
      ['worker-6', [6]],
    ]);
    expect(PRESETS.attached!.units).toHaveLength(16);
    expect(PRESETS.attached!.units.every((u, i) => u.name === `worker-${i}` && u.queues.join() === String(i))).toBe(true);
    expect(PRESETS.legacy!.units.map((u) => [u.name, u.queues])).toEqual([
      ['worker-0', [0]],
      ['worker-1-6', [1, 2, 3, 4, 5, 6]],
      ['worker-7', [7]],
      ['worker-8-9', [8, 9]],
    ]);
    for (const p of Object.values(PRESETS)) expect(validateTopology(p)).toEqual([]);
  });

  it('validation names what is wrong', () => {
    const t = structuredClone(PRESETS.standalone!);
    t.units = t.units.filter((u) => u.name !== 'worker-1');
    t.units.push({ name: 'Bad Name', queues: [], processes: 0, replicas: 1 });
    const problems = validateTopology(t).join('\n');
    expect(problems).toMatch(/direct uses queue #1/);
    expect(problems).toMatch(/"Bad Name"/);
    expect(problems).toMatch(/listens to no queue/);
    expect(problems).toMatch(/processes must be/);
  });

  it('a topology of the wrong shape (from a file or FUNC_TOPOLOGY) is named, not a TypeError', () => {
    const check = (t: unknown): string => validateTopology(t as Topology).join('; ');
    expect(check(null)).toBe('must be an object {name, queueMap, units}');
    expect(check({})).toBe('name must be a non-empty string; queueMap must be an object (role → queue number); units must be a list of units');
    expect(check({ name: 'x', queueMap: {}, units: [null, { name: 'w', queues: '0' }] })).toBe(
      'units.0 must be an object {name, queues, processes, replicas}; unit w: queues must be a list of queue numbers',
    );
    expect(topologyShapeProblems(PRESETS.standalone)).toEqual([]);
  });

  it('a topology file whose queue map or names are wrong is refused naming the problem (it was accepted)', () => {
    const base = PRESETS.standalone!;
    const check = (t: unknown): string => validateTopology(t as Topology).join('; ');
    // No role mapped: every call would have been enqueued on queue `undefined`.
    expect(check({ ...base, queueMap: {} })).toBe(
      'queue map: no queue for system, direct, syncAPI, cronJob, asyncAPI, debugger, subscription (every role needs one: system, direct, syncAPI, cronJob, asyncAPI, debugger, subscription)',
    );
    const { debugger: _d, ...noDebugger } = base.queueMap;
    expect(check({ ...base, queueMap: noDebugger })).toMatch(/^queue map: no queue for debugger \(/);
    // A typo of a role is not ignored.
    expect(check({ ...base, queueMap: { ...base.queueMap, cronjob: 2 } })).toMatch(/^queue map: "cronjob" is not a role/);
    // Queue #0 never runs user code.
    expect(check({ ...base, queueMap: { ...base.queueMap, direct: 0, syncAPI: 0 } })).toBe(
      'queue map: direct → #0: queue #0 is for system tasks, never user code; queue map: syncAPI → #0: queue #0 is for system tasks, never user code',
    );
    expect(check({ ...base, queueMap: { ...base.queueMap, debugger: '5' } })).toBe('queue map: debugger → "5" is not a queue');
    // Names: the topology's and each unit's (a unit without one was called "undefined").
    expect(check({ queueMap: base.queueMap, units: base.units })).toBe('name must be a non-empty string');
    expect(check({ ...base, units: [...base.units, { queues: [10], processes: 1, replicas: 1 }] })).toBe('units.6: name must be a string (e.g. "worker-1")');
    // A queue written as a string is shown as one; a queue listed twice is named.
    expect(check({ ...base, units: [...base.units, { name: 'w10', queues: ['10'], processes: 1, replicas: 1 }] })).toBe('unit w10: queue "10" is not one of 0-15');
    expect(check({ ...base, units: [...base.units, { name: 'w10', queues: [10, 10], processes: 1, replicas: 1 }] })).toBe('unit w10 lists a queue twice');
    for (const p of Object.values(PRESETS)) expect(validateTopology(p)).toEqual([]);
  });
});
