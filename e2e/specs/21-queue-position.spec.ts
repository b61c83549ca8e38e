/**
 * A waiting task's place in its queue and predicted start, live in the task detail: slow tasks
 * fill the processes of queue #9, the last one waits; its detail shows where it stands and when
 * it should start; the waiting ones are cancelled at the end.
 */
import { expect, test } from '../support/fixtures.js';
import { TasksPage } from '../pages/tasks-page.js';
import { client } from '../support/stack.js';
import { publishScript } from '../../backend/src/testing/test-client.js';
import { sleepFunc } from '../../backend/src/testing/python-fixtures.js';

const CODE = `import time

${sleepFunc('sleep', 'timeout=60')}`;

test('a waiting task shows its queue position and predicted start', async ({ page }) => {
  const api = client();
  await publishScript(api, 'e2eqp__main', CODE);
  // T measured first.
  await api.callFunc({ params: { funcId: 'e2eqp__main.sleep' }, body: { kwargs: { s: 0.2 }, options: { queue: 9 } } });
  const ids: string[] = [];
  let waiting: { id: string; queuePosition?: number | null } | undefined;
  for (let i = 0; i < 12 && !waiting; i++) {
    const r = await api.callFunc({ params: { funcId: 'e2eqp__main.sleep' }, body: { kwargs: { s: 8 }, options: { queue: 9, async: true } } });
    if (!('id' in r)) throw new Error(`an async call answered no id: ${JSON.stringify(r)}`);
    ids.push(r.id);
    if (typeof r.queuePosition === 'number' && r.queuePosition >= 2) waiting = r;
  }
  if (!waiting) throw new Error('no task had to wait on queue #9');
  try {
    const tasks = new TasksPage(page);
    await tasks.open(`/tasks?task=${waiting.id}`);
    await expect(tasks.byTestId('task-detail-status')).toHaveText('queued');
    await expect(tasks.byTestId('task-detail-position')).toHaveText(new RegExp(`^#${waiting.queuePosition} of queue #9$`));
    await expect(tasks.byTestId('task-detail-predicted-start')).toHaveText(/^at about \S+/);
    await tasks.byTestId('task-detail').screenshot({ path: '/tmp/task-queue-position.png' });
    const read = await api.getTask({ params: { id: waiting.id } });
    expect(read.queuePosition).toBe(waiting.queuePosition);
    expect(read.predictedStartMs).toBeGreaterThan(Date.now() - 5000);
  } finally {
    for (const id of ids) await api.cancelTask({ params: { id } }).catch(() => undefined);
  }
});
