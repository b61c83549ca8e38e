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
    expect(check({})).toBe('queueMap must be an object (role → queue number); units must be a list of units');
    expect(check({ name: 'x', queueMap: {}, units: [null, { name: 'w', queues: '0' }] })).toBe(
      'units.0 must be an object {name, queues, processes, replicas}; unit w: queues must be a list of queue numbers',
    );
    expect(topologyShapeProblems(PRESETS.standalone)).toEqual([]);
  });
});
