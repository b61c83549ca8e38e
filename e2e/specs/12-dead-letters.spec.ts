/**
 * The dead letters tab of the task records page. On the shared embedded stack: the tab and its
 * empty state (an embedded worker extends its reservations while it lives, so nothing ends in
 * its dead letters short of killing the whole process). Then a production `func server` of this
 * spec's own (Redis + MariaDB, visibility timeout 1 s) with a real dead letter: a task reserved
 * five times by a consumer that vanishes each time, dead-lettered by the server's sweep; the tab
 * lists it with its last deliveries, and "Record" opens its record (failure, EWorkerNoResponse).
 * Screenshots at 1280×800, light and dark.
 */
import { anonymousTest as base, expect, test } from '../support/fixtures.js';
import { TasksPage } from '../pages/tasks-page.js';
import { signInTo } from '../support/own-stack.js';
import { publishScript } from '../../backend/src/testing/test-client.js';
import { productionRoles } from '../../backend/src/testing/processes.js';
import { RedisBroker } from '../../backend/src/adapters/broker/redis/redis-broker.js';

test('the dead letters tab of the embedded stack: empty, kept in the URL', async ({ page }) => {
  const tasks = new TasksPage(page);
  await tasks.open('/tasks');
  await expect(tasks.byTestId('tasks-tab-records')).toHaveAttribute('aria-selected', 'true');
  await expect(tasks.byTestId('task-filters')).toBeVisible();
  await tasks.openDeadLetters();
  await expect(page).toHaveURL(/[?&]tab=dead-letters/);
  await expect(tasks.byTestId('dead-letters-empty')).toContainText('No dead letters');
  await expect(tasks.byTestId('dead-letters-about')).toContainText('EWorkerNoResponse');
  await expect(tasks.byTestId('task-filters')).toHaveCount(0);
  await expect(tasks.byTestId('tasks-tab-dead-letters-count')).toHaveCount(0);
  await tasks.screenshot('dead-letters-empty-light');
  await page.reload();
  await expect(tasks.byTestId('dead-letters-empty')).toBeVisible();
  await tasks.byTestId('tasks-tab-records').click();
  await expect(tasks.byTestId('task-filters')).toBeVisible();
  await expect(page).not.toHaveURL(/tab=/);
});

const CODE = `@DFF.API('Crash')
def crash(n=0):
    return n
`;

base.describe('a real dead letter on Redis', () => {
  base.describe.configure({ mode: 'serial', timeout: 120_000 });
  const roles = productionRoles(() => ({ FUNC_VISIBILITY_TIMEOUT_S: '1' }));
  const { client } = roles;
  let taskId = '';

  base.beforeAll(async () => {
    await roles.up();
    await publishScript(client, 'dead__letters', CODE);

    // No worker runs: this consumer takes the task and vanishes, five times; the server's sweep
    // redelivers it after each visibility timeout, then moves it to the dead letters.
    const queued = await client.callFunc({ params: { funcId: 'dead__letters.crash' }, body: { kwargs: { n: 1 }, options: { async: true } } });
    if (!('id' in queued)) throw new Error(`an async call answered no task id: ${JSON.stringify(queued)}`);
    taskId = queued.id;
    const consumer = new RedisBroker({ url: roles.env.FUNC_REDIS_URL, prefix: roles.env.FUNC_REDIS_PREFIX, visibilityTimeoutMs: 1000, sweepEveryMs: 0 });
    try {
      for (let i = 1; i <= 5; i++) {
        const d = await consumer.reserve([1], `worker-1@e2e-host:${1000 + i}#0`, 10_000);
        expect(d?.task.id).toBe(taskId);
        expect(d?.attempt).toBe(i);
      }
    } finally {
      await consumer.close();
    }
    await expect.poll(async () => (await client.getTask({ params: { id: taskId } })).status, { timeout: 10_000 }).toBe('failure');
  });

  base.afterAll(() => roles.down());

  base('the tab lists it with its last deliveries; "Record" opens its record', async ({ page }) => {
    await signInTo(page, roles.token);
    const tasks = new TasksPage(page);
    await page.goto(`${roles.base}/tasks`);
    await expect(tasks.byTestId('tasks-tab-dead-letters-count')).toHaveText('1');
    await tasks.openDeadLetters();
    const row = tasks.deadLetter(taskId);
    await expect(row.getByTestId('dead-letter-func')).toHaveText('dead__letters.crash');
    await expect(row.getByTestId('dead-letter-queue')).toHaveText('queue #1');
    await expect(row.getByTestId('dead-letter-attempts')).toHaveText('5 deliveries');
    const deliveries = row.getByTestId('dead-letter-delivery');
    await expect(deliveries).toHaveCount(3);
    await expect(deliveries.first()).toContainText('#5');
    await expect(deliveries.first()).toContainText('worker-1@e2e-host:1005#0');
    await expect(deliveries.last()).toContainText('worker-1@e2e-host:1003#0');
    await expect(row).toContainText('and 2 earlier deliveries');

    await tasks.openDeadLetterRecord(taskId);
    await expect(page).toHaveURL(/tab=dead-letters/);
    await expect(tasks.byTestId('task-detail-status')).toHaveText('failure');
    await expect(tasks.byTestId('task-detail-traceback')).toContainText('dead-lettered after 5 deliveries without an outcome');
    await expect(tasks.byTestId('task-detail-kwargs')).toContainText('"n": 1');

    for (const theme of ['light', 'dark'] as const) {
      const dark = (await page.locator('html').getAttribute('class'))?.includes('dark') === true;
      if (dark !== (theme === 'dark')) await tasks.byTestId('theme-toggle').click();
      await tasks.screenshot(`dead-letters-${theme}`);
    }
  });
});
