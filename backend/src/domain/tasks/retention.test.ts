/** When task records are trimmed: every tenth of the limit, a busy origin at most once a second unless a whole limit came meanwhile. */
import { describe, expect, it } from 'vitest';
import type { RecordCursor, Store } from '../ports/store.js';
import type { TaskMessage } from './task.js';
import { FULL_TRIM_INTERVAL_MS, TRIM_MIN_INTERVAL_MS, TaskRecordRetention } from './retention.js';

interface Timer {
  fn: () => void;
  at: number;
  cancelled: boolean;
}

interface Setup {
  retention: TaskRecordRetention;
  trims: number[];
  froms: (RecordCursor | undefined)[];
  clock: { now: number };
  /** The timers the retention scheduled (at: the clock's time they are due). */
  timers: Timer[];
  /** Answers no cutoff from the next trim on (the origin's records were deleted elsewhere). */
  noCutoff: () => void;
}

function setup(limit: number): Setup {
  const trims: number[] = [];
  const froms: (RecordCursor | undefined)[] = [];
  const clock = { now: 1_000_000 };
  const timers: Timer[] = [];
  let completions = 0;
  let small = false;
  const store = {
    taskRecords: {
      trim: (_origin: string, _originId: string, keep: number, from?: RecordCursor) => {
        trims.push(completions);
        froms.push(from);
        expect(keep).toBe(limit);
        // Each trim's cutoff names the completion it ran at; none while the origin is small.
        return Promise.resolve({ deleted: 1, cutoff: completions < 3 || small ? undefined : { triggerTimeMs: completions, id: `t${completions}` } });
      },
    },
  } as unknown as Store;
  const schedule = (fn: () => void, ms: number): (() => void) => {
    const timer = { fn, at: clock.now + ms, cancelled: false };
    timers.push(timer);
    return () => (timer.cancelled = true);
  };
  const retention = new TaskRecordRetention(store, { direct: limit }, () => clock.now, schedule);
  const after = retention.after.bind(retention);
  retention.after = (task: TaskMessage) => {
    completions += 1;
    return after(task);
  };
  return { retention, trims, froms, clock, timers, noCutoff: () => (small = true) };
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

  it('starts each trim at the last cutoff, and from the oldest record once a minute', async () => {
    const { retention, trims, froms, clock } = setup(1);
    const completion = async (): Promise<void> => {
      clock.now += TRIM_MIN_INTERVAL_MS;
      await retention.after(task);
    };
    for (let i = 0; i < 5; i++) await completion();
    expect(trims).toEqual([1, 2, 3, 4, 5]);
    // No cutoff yet (a small origin): from the start; then from each trim's cutoff.
    expect(froms).toEqual([undefined, undefined, undefined, { triggerTimeMs: 3, id: 't3' }, { triggerTimeMs: 4, id: 't4' }]);
    expect(await retention.after(task)).toBe(1); // the deleted count is answered
    froms.length = 0;
    // The full trim at completion 3 was FULL_TRIM_INTERVAL_MS ago once 57 more seconds pass.
    const untilFull = FULL_TRIM_INTERVAL_MS / TRIM_MIN_INTERVAL_MS - 3;
    for (let i = 0; i < untilFull + 1; i++) await completion();
    expect(froms.slice(-2)).toEqual([{ triggerTimeMs: 5 + untilFull, id: `t${5 + untilFull}` }, undefined]);
    await completion();
    expect(froms.at(-1)).toEqual({ triggerTimeMs: 7 + untilFull, id: `t${7 + untilFull}` });
  });

  it('full-trims an origin a minute after its last full trim though no more of its tasks finish (a drained backlog)', async () => {
    const { retention, froms, clock, timers } = setup(1);
    for (let i = 0; i < 5; i++) {
      clock.now += TRIM_MIN_INTERVAL_MS;
      await retention.after(task);
    }
    // Full at completion 3, windowed at 4 and 5: one full trim is due at completion 3's time + a minute.
    const full3 = clock.now - 2 * TRIM_MIN_INTERVAL_MS;
    expect(timers.map((t) => [t.at, t.cancelled])).toEqual([[full3 + FULL_TRIM_INTERVAL_MS, false]]);
    froms.length = 0;
    clock.now = full3 + FULL_TRIM_INTERVAL_MS;
    timers[0]!.fn();
    await Promise.resolve();
    expect(froms).toEqual([undefined]);
    // The timer's trim is a full one: the next completion's trim starts at its cutoff, and a new one is due.
    clock.now += TRIM_MIN_INTERVAL_MS;
    await retention.after(task);
    expect(froms.at(-1)).toEqual({ triggerTimeMs: 5, id: 't5' });
    expect(timers).toHaveLength(2);
    expect(timers[1]!.at).toBe(full3 + 2 * FULL_TRIM_INTERVAL_MS);
    // A full trim from a completion cancels the one due; closing cancels what is left.
    clock.now = timers[1]!.at;
    await retention.after(task);
    expect(froms.at(-1)).toBeUndefined();
    expect(timers[1]!.cancelled).toBe(true);
    clock.now += TRIM_MIN_INTERVAL_MS;
    await retention.after(task);
    expect(timers).toHaveLength(3);
    retention.close();
    expect(timers[2]!.cancelled).toBe(true);
  });

  it('trims from the start again once a trim answers no cutoff', async () => {
    const { retention, froms, clock, noCutoff } = setup(1);
    for (let i = 0; i < 4; i++) {
      clock.now += TRIM_MIN_INTERVAL_MS;
      await retention.after(task);
    }
    expect(froms.at(-1)).toEqual({ triggerTimeMs: 3, id: 't3' });
    noCutoff();
    clock.now += TRIM_MIN_INTERVAL_MS;
    await retention.after(task);
    clock.now += TRIM_MIN_INTERVAL_MS;
    await retention.after(task);
    expect(froms.slice(-2)).toEqual([{ triggerTimeMs: 4, id: 't4' }, undefined]);
  });
});
