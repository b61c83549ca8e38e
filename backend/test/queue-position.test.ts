/**
 * Queue position and predicted start of waiting tasks, through HTTP on a real embedded stack (real
 * Python processes): the async call's answer and GET /api/v1/tasks/:id carry them while the task
 * waits, and nulls once it ran.
 */
import { describe, expect, it } from 'vitest';
import { predictedWaitMs } from '../src/domain/tasks/queue-eta.js';
import { eventually, useTestStack } from '../src/testing/test-stack.js';
import { sleepFunc } from '../src/testing/python-fixtures.js';

const CODE = `import time

${sleepFunc('sleep', 'timeout=60')}`;

interface Place {
  id: string;
  status?: string;
  queuePosition?: number | null;
  predictedStartMs?: number | null;
}

const t = useTestStack({ qp__main: CODE });

const call = async (s: number): Promise<Place> => {
  const r = await t.admin('POST', '/api/v1/func/qp__main.sleep', { kwargs: { s }, options: { async: true, queue: 5 } });
  expect(r.status, r.text).toBe(200);
  return r.body.data as Place;
};
const get = async (id: string): Promise<Place> => (await t.admin('GET', `/api/v1/tasks/${id}`)).body.data as Place;

describe('queue position and predicted start', () => {
  it('predicts (⌈n ÷ P⌉ − ½) × T, nothing without T or processes', () => {
    expect(predictedWaitMs(1, { taskMs: 1000, processes: 2 })).toBe(500);
    expect(predictedWaitMs(3, { taskMs: 1000, processes: 2 })).toBe(1500);
    expect(predictedWaitMs(4, { taskMs: 1000, processes: 2 })).toBe(1500);
    expect(predictedWaitMs(1, { taskMs: null, processes: 2 })).toBeNull();
    expect(predictedWaitMs(1, { taskMs: 1000, processes: 0 })).toBeNull();
  });

  it('answers the position and the predicted start of waiting tasks, nulls once they ran', async () => {
    // T measured first: one task of ~0.3 s on the queue.
    const measured = await call(0.3);
    await eventually(async () => ((await get(measured.id)).status === 'success' ? true : undefined), 20_000, 'the first task');
    const blocker = await call(1.5);
    await eventually(async () => ((await get(blocker.id)).status === 'running' ? true : undefined), 20_000, 'the blocker to run');
    const waiting: Place[] = [];
    for (let i = 0; i < 4; i++) waiting.push(await call(0.3));
    // The processes listening to queue 5 are busy with the blocker (1 process a unit here).
    expect(waiting.map((w) => w.queuePosition)).toEqual([1, 2, 3, 4]);
    const now = Date.now();
    const starts = waiting.map((w) => w.predictedStartMs!);
    for (const s of starts) expect(s).toBeGreaterThanOrEqual(now - 1000);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    expect(starts[3]!).toBeGreaterThan(starts[0]!);
    const read = await get(waiting[2]!.id);
    expect(read).toMatchObject({ status: 'queued', queuePosition: 3 });
    expect(read.predictedStartMs).toBeGreaterThan(now - 1000);
    // Done: no place in any queue.
    await eventually(async () => ((await get(waiting[3]!.id)).status === 'success' ? true : undefined), 30_000, 'the last task');
    expect(await get(waiting[3]!.id)).toMatchObject({ queuePosition: null, predictedStartMs: null });
    expect(await get(blocker.id)).toMatchObject({ status: 'success', queuePosition: null });
  }, 60_000);
});
