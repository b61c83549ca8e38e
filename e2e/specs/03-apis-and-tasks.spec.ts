import { expect, test, ensureGreeter } from '../support/fixtures.js';
import { EntityPage } from '../pages/entity-page.js';
import { TasksPage } from '../pages/tasks-page.js';
import { client, stack } from '../support/stack.js';

test('create a sync API, call it with fetch, find its task record, replay it in the editor', async ({ page }) => {
  const funcId = await ensureGreeter();
  const apis = new EntityPage(page, 'sync-apis');
  await apis.open('/overview');
  await apis.goto();
  await expect(apis.byTestId('sync-apis-empty')).toContainText('No sync APIs yet');

  await apis.startAdd();
  await apis.field('id').fill('bad id!');
  await apis.field('funcId').selectOption(funcId);
  await apis.field('funcCallKwargsJSON').fill('{"name": ');
  await apis.submit();
  await expect(apis.byTestId('sync-apis-field-funcCallKwargsJSON-error')).toContainText('Not valid JSON');
  await apis.field('funcCallKwargsJSON').fill('{"name": "INPUT_BY_CALLER"}');
  await apis.submit();
  // The server's message at the field, without its request path (body.data.id: …).
  await expect(apis.byTestId('sync-apis-field-id-error')).toHaveText(/^letters, digits/);
  await apis.field('id').fill('e2e-hello');
  await apis.submit();
  await expect(apis.row('e2e-hello')).toBeVisible();

  const res = await fetch(`${stack().url}/api/v1/sync/e2e-hello/simplified?name=Bo`);
  expect(await res.json()).toEqual({ message: 'Hello, Bo!' });

  const tasks = new TasksPage(page);
  await tasks.nav('tasks');
  await tasks.filterByFunc(funcId);
  await expect(tasks.rowsFor(funcId).first()).toContainText('syncAPI');
  await tasks.openFirst(funcId);
  await expect(tasks.byTestId('task-detail-status')).toHaveText('success');
  await expect(tasks.byTestId('task-detail-kwargs')).toContainText('"name": "Bo"');
  await expect(tasks.byTestId('task-detail-result')).toContainText('Hello, Bo!');
  await expect(tasks.byTestId('task-detail-logs')).toContainText('greeting Bo');

  await tasks.byTestId('task-open-in-editor').click();
  await expect(tasks.byTestId('script-title')).toHaveText('e2eapi__hello');
  await expect(tasks.byTestId('run-kwargs')).toHaveValue(/"name": "Bo"/);
  await tasks.byTestId('run-button').click();
  await expect(tasks.byTestId('run-result')).toContainText('Hello, Bo!');
});

test('cancel a delayed task from its detail', async ({ page }) => {
  const funcId = await ensureGreeter();
  const call = await client().callFunc({ params: { funcId }, body: { kwargs: { name: 'Later' }, options: { async: true, delay: 3600 } } });
  if (!('id' in call)) throw new Error(`an async call answered no task id: ${JSON.stringify(call)}`);
  const { id } = call;
  const tasks = new TasksPage(page);
  await tasks.open(`/tasks?task=${id}`);
  await expect(tasks.byTestId('task-detail-status')).toHaveText('queued');
  await expect(tasks.byTestId('task-cancel')).toBeVisible();
  await tasks.byTestId('task-detail').screenshot({ path: '/tmp/task-cancel-button.png' });
  await tasks.byTestId('task-cancel').click();
  // Asked first: closing the question leaves the task waiting.
  await expect(tasks.byTestId('task-cancel-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(tasks.byTestId('task-cancel-dialog')).toBeHidden();
  expect((await client().getTask({ params: { id } })).status).toBe('queued');
  await tasks.byTestId('task-cancel').click();
  await tasks.byTestId('task-cancel-dialog').screenshot({ path: '/tmp/task-cancel-confirm.png' });
  await tasks.byTestId('task-cancel-dialog-confirm').click();
  await expect(tasks.byTestId('task-detail-status')).toHaveText('cancelled');
  await expect(tasks.byTestId('task-cancel')).toHaveCount(0);
  expect((await client().getTask({ params: { id } })).status).toBe('cancelled');
});

test('task records page through the server: 100 a page, the rows shown and "Older" to the next page', async ({ page }) => {
  const funcId = await ensureGreeter();
  const api = client();
  const tag = `page-${Date.now()}`;
  // 105 calls (with the other specs' calls of it, at least 105 records), 15 at a time.
  for (let i = 0; i < 105; i += 15)
    await Promise.all(Array.from({ length: Math.min(15, 105 - i) }, (_, k) => api.callFunc({ params: { funcId }, body: { kwargs: { name: `${tag}-${i + k}` } } })));
  const tasks = new TasksPage(page);
  await tasks.open(`/tasks?funcId=${encodeURIComponent(funcId)}`);
  await expect(tasks.rowsFor(funcId)).toHaveCount(100);
  await expect(tasks.byTestId('tasks-page-summary')).toHaveText('Page 1 · Tasks 1–100, more on the next pages');
  await expect(tasks.byTestId('tasks-page-newer')).toBeDisabled();
  await tasks.byTestId('tasks-page-older').click();
  await expect(page).toHaveURL(/page=2/);
  await expect(tasks.byTestId('tasks-page-summary')).toHaveText(/^Page 2 · Tasks 101–1\d\d/);
  await expect(tasks.rowsFor(funcId).first()).toBeVisible();
  await tasks.byTestId('tasks-pager').screenshot({ path: '/tmp/tasks-pager.png' });
  await tasks.byTestId('tasks-page-newer').click();
  await expect(tasks.rowsFor(funcId)).toHaveCount(100);
});
