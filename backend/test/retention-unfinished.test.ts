/**
 * Retention trims finished task records only: a task still queued or running keeps its record
 * however many newer ones of its origin finish meanwhile. That record is what answers
 * GET /api/v1/tasks/:id and what a restart (embedded) or a Redis that lost its data
 * (production) runs the task again from; trimming it lost an accepted task.
 */
import { describe, expect, it } from 'vitest';
import { useTestStack } from '../src/testing/test-stack.js';
import { taskSucceeded } from '../src/testing/test-client.js';
import { TRIM_MIN_INTERVAL_MS } from '../src/domain/tasks/retention.js';
import { eventually } from '../src/testing/eventually.js';

const CODE = `import time

@DFF.API('Nap', timeout=60)
def nap(s=0):
    time.sleep(float(s))
    return s
`;

const t = useTestStack({ ret__main: CODE }, { FUNC_WORKER_PROCESSES: '2' });

describe('task record retention', () => {
  it('keeps the record of a task still running while newer ones of its origin finish and are trimmed', async () => {
    const id = (await t.client.addAsyncApi({ body: { data: { funcId: 'ret__main.nap', funcCallKwargsJSON: { s: 'INPUT_BY_CALLER' }, taskRecordLimit: 3 } } })).id;
    const call = async (s: number): Promise<string> => {
      const r = await t.api('POST', `/api/v1/async/${id}/simplified`, { s });
      expect(r.status).toBe(200);
      return (r.data as { id: string }).id;
    };
    // A task dearer than SHORT_TASK_MS first: the pool stops sending tasks ahead (runner-pool.ts), so
    // the quick ones below run on the other process instead of waiting behind the slow one, which
    // can then be long enough to be running still when the checks end on a loaded machine (they
    // took 11.5 s in a CI run, past an 8 s task).
    await taskSucceeded(t.client, await call(0.1), 10_000);
    const slow = await call(30);
    await eventually(async () => ((await t.client.getTask({ params: { id: slow } })).status === 'running' ? true : undefined), 10_000, 'the slow task to start');
    // Newer quick tasks of the same async API finish on the other Python process; the second
    // round's trims (a second apart) drop the first round.
    const rounds: string[][] = [];
    for (let round = 0; round < 3; round++) {
      const quick: string[] = [];
      for (let i = 0; i < 3; i++) quick.push(await call(0));
      for (const q of quick) await taskSucceeded(t.client, q, 10_000);
      rounds.push(quick);
      await new Promise((r) => setTimeout(r, TRIM_MIN_INTERVAL_MS + 100));
    }
    const listed = async (): Promise<string[]> =>
      ((await t.admin('GET', `/api/v1/task-records/func/do/list?origin=asyncAPI&originId=${id}`)).body.data as { id: string }[]).map((r) => r.id);
    await eventually(async () => ((await listed()).some((r) => rounds[0]!.includes(r)) ? undefined : true), 5000, 'the first round trimmed');
    expect(await listed()).toContain(slow);
    expect((await t.client.getTask({ params: { id: slow } })).status).toBe('running');
  }, 60_000);
});
