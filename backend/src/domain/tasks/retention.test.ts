/** When task records are trimmed: every tenth of the limit, a busy origin at most once a second unless a whole limit came meanwhile. */
import { describe, expect, it } from 'vitest';
import type { Store } from '../ports/store.js';
import type { TaskMessage } from './task.js';
import { TRIM_MIN_INTERVAL_MS, TaskRecordRetention } from './retention.js';

function setup(limit: number): { retention: TaskRecordRetention; trims: number[]; clock: { now: number } } {
  const trims: number[] = [];
  const clock = { now: 1_000_000 };
  let completions = 0;
  const store = {
    taskRecords: {
      trim: (_origin: string, _originId: string, keep: number) => {
        trims.push(completions);
        expect(keep).toBe(limit);
        return Promise.resolve(0);
      },
    },
  } as unknown as Store;
  const retention = new TaskRecordRetention(store, { direct: limit }, () => clock.now);
  const after = retention.after.bind(retention);
  retention.after = (task: TaskMessage) => {
    completions += 1;
    return after(task);
  };
  return { retention, trims, clock };
}

const task = { origin: 'direct', originId: 'a__b.f' } as TaskMessage;

describe('TaskRecordRetention', () => {
  it('trims a quiet origin every tenth of its limit', async () => {
    const { retention, trims, clock } = setup(1000);
    for (let i = 0; i < 300; i++) {
      clock.now += 50; // 20 a second: 100 completions take 5 s
      await retention.after(task);
    }
    expect(trims).toEqual([100, 200, 300]);
  });

  it('trims a busy origin at most once a second, or when a whole limit came since the last trim', async () => {
    const { retention, trims, clock } = setup(1000);
    // 500 a second: the tenth of the limit comes every 0.2 s, the trims once a second.
    for (let i = 0; i < 1500; i++) {
      clock.now += 2;
      await retention.after(task);
    }
    expect(trims).toEqual([100, 600, 1100]);
    // 5,000 a second: a whole limit (1,000) in 0.2 s trims without waiting for the second.
    for (let i = 0; i < 2000; i++) {
      clock.now += 0.2;
      await retention.after(task);
    }
    expect(trims.slice(3)).toEqual([2100, 3100]);
    expect(TRIM_MIN_INTERVAL_MS).toBe(1000);
  });

  it('trims a small limit after each completion while quiet, and after `limit` completions while busy', async () => {
    const { retention, trims, clock } = setup(3);
    for (let i = 0; i < 10; i++) {
      clock.now += 10;
      await retention.after(task);
    }
    expect(trims).toEqual([1, 4, 7, 10]);
    clock.now += TRIM_MIN_INTERVAL_MS;
    await retention.after(task);
    expect(trims.at(-1)).toBe(11);
  });
});
