/**
 * On demand (`func up`): a burst of long tasks reaching a unit with no Python process running starts
 * one process per waiting task, up to the unit's number, as they arrive. The fetch loop reserved one
 * task (the one that starts the first process) and nothing woke it when that process came up, so a
 * task arriving meanwhile waited for the first to end while the unit's other process was never started.
 */
import { describe, expect, it } from 'vitest';
import { eventually, useTestStack } from '../src/testing/test-stack.js';

const CODE = `import time

@DFF.API('Nap from')
def nap_from(ms=100):
    started = time.time()
    time.sleep(ms / 1000)
    return started
`;

const t = useTestStack({ burst__main: CODE }, { FUNC_WORKER_PROCESSES: '2', FUNC_RUNNER_IDLE_STOP_S: '1' });

let asyncApi = '';

/** Async calls of nap_from, each answering when its function started (from its record). */
async function napsFrom(ms: number, n: number, apartMs = 0): Promise<number[]> {
  asyncApi ||= await t.add('/api/v1/async-apis/do/add', { funcId: 'burst__main.nap_from', funcCallKwargsJSON: { ms: 'FROM_PARAMETER' } });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await t.api('POST', `/api/v1/async/${asyncApi}`, { kwargs: { ms } });
    expect(r.status, r.text).toBe(200);
    ids.push((r.data as { id: string }).id);
    if (apartMs > 0) await new Promise((r) => setTimeout(r, apartMs));
  }
  return await Promise.all(
    ids.map((id) =>
      eventually(
        async () => {
          const rec = await t.client.getTask({ params: { id } });
          return rec.status === 'success' ? (rec.returnValueJSON as number) : undefined;
        },
        20_000,
        `task ${id} done`,
      ),
    ),
  );
}

const processesOfQueue = async (queue: number): Promise<number> => {
  const top = await t.client.getTopology({});
  return top.services.filter((s) => s.kind === 'worker' && s.queues?.includes(queue)).reduce((n, s) => n + (s.processes ?? 0), 0);
};

describe('on-demand runners under a burst', () => {
  it("starts a process for each long task as it arrives, from none running, up to the unit's number", async () => {
    // Long tasks run lately: the pool sends them one per process.
    await napsFrom(300, 1);
    await eventually(async () => ((await processesOfQueue(3)) === 0 ? true : undefined), 10_000, 'the idle process stopped');
    const started = (await napsFrom(3000, 4, 200)).sort();
    // Two at a time, the second as it arrived (200 ms after the first), not when the first ended (3 s).
    expect(started[1]! - started[0]!).toBeLessThan(1.5);
    expect(started[3]! - started[2]!).toBeLessThan(1.5);
    expect(started[2]! - started[0]!).toBeGreaterThan(2.5);
  }, 30_000);
});
