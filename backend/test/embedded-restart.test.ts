/** Tasks queued before a stop run after the restart: nothing accepted is lost. */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, startTestStack, type TestStack } from '../src/testing/test-stack.js';

const CODE = `import time

@DFF.API('Work', timeout=60)
def work(i):
    time.sleep(0.3)
    DFF.STORE.set(f'done-{i}', i, scope='restart')
    return i
`;

let second: TestStack | undefined;
let home = '';

afterAll(async () => {
  await second?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('restart', () => {
  it('runs every task accepted before the stop after the restart', async () => {
    const first = await startTestStack({}, { keepHome: true });
    home = first.home;
    await first.publish('restart__work', CODE);
    const asyncApi = (await first.client.addAsyncApi({ body: { data: { funcId: 'restart__work.work', funcCallKwargsJSON: { i: 'INPUT_BY_CALLER' } } } })).id;
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await first.api('POST', `/api/v1/async/${asyncApi}`, { kwargs: { i } });
      expect(r.status, r.text).toBe(200);
      ids.push((r.body.data as { id: string }).id);
    }
    await first.close();

    second = await startTestStack({}, { home, keepHome: true });
    expect(second.stack.recovered).toBeGreaterThan(0);
    for (const id of ids) {
      await eventually(
        async () => {
          const g = await second!.admin('GET', `/api/v1/tasks/${id}`);
          return (g.body.data as { status: string }).status === 'success' ? true : undefined;
        },
        30_000,
        `task ${id}`,
      );
    }
    for (let i = 0; i < 12; i++) expect(await second.stack.store.funcStore.get('restart', `done-${i}`, Date.now())).toBe(i);
  }, 90_000);
});
