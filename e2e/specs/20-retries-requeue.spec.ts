/**
 * Retries and requeue on the shared embedded stack: a function with retry=1 fails both attempts;
 * its record lists the earlier attempt, its last failure is a dead letter with the reason, and a
 * requeue from the dead letters tab runs it again as a new task linked to the original (which
 * succeeds, leaving the dead letters empty for the specs after this one).
 */
import { expect, test } from '../support/fixtures.js';
import { TasksPage } from '../pages/tasks-page.js';
import { client } from '../support/stack.js';
import { publishScript } from '../../backend/src/testing/test-client.js';

const CODE = `@DFF.API('Fragile', retry=1, retry_backoff=0.2)
def fragile(key):
    n = DFF.CACHE.incr('e2e-fragile:' + key)
    if n <= 2:
        raise RuntimeError('attempt %d: the service is down' % n)
    return {'ok': True, 'attempt': n}
`;

test('a task whose retries are used up: attempts in its record, requeued from the dead letters', async ({ page }) => {
  const api = client();
  await publishScript(api, 'e2eretry__fragile', CODE);
  const key = `k${Date.now()}`;
  const call = await api.callFunc({ params: { funcId: 'e2eretry__fragile.fragile' }, body: { kwargs: { key }, options: { async: true } } });
  if (!('id' in call)) throw new Error('no task id');
  await expect.poll(async () => (await api.listDeadLetters({ query: {} })).some((d) => d.taskId === call.id), { timeout: 15_000 }).toBe(true);

  const tasks = new TasksPage(page);
  await tasks.open(`/tasks?tab=dead-letters`);
  const row = tasks.byTestId(`dead-letter-row-${call.id}`);
  await expect(row.getByTestId('dead-letter-reason')).toContainText('retries used up: 2 attempts');
  await tasks.byTestId(`dead-letter-open-${call.id}`).click();
  await expect(tasks.byTestId('task-detail-status')).toHaveText('failure');
  await expect(tasks.byTestId('task-detail-attempt')).toHaveCount(1);
  await expect(tasks.byTestId('task-detail-attempts')).toContainText('RuntimeError: attempt 1: the service is down');
  await page.screenshot({ path: 'test-results/screenshots/dead-letter-retries.png' });

  await tasks.byTestId(`dead-letter-pick-${call.id}`).check();
  await expect(tasks.byTestId('dead-letters-requeue-picked')).toHaveText('Requeue selected (1)');
  await tasks.byTestId('dead-letters-requeue-picked').click();
  await expect(tasks.byTestId('dead-letters-requeued')).toContainText('Requeued 1');
  await expect(tasks.byTestId(`dead-letter-row-${call.id}`)).toHaveCount(0);
  await tasks.byTestId('dead-letters-requeued').getByRole('link').click();
  await expect(tasks.byTestId('task-detail-replay-of')).toHaveText(call.id);
  await expect(tasks.byTestId('task-detail-status')).toHaveText('success');
  await expect(tasks.byTestId('task-detail-result')).toContainText('"attempt": 3');
});
