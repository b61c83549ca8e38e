/**
 * Live logs and traceback click-through (issue 18 items 3 and 5) on the shared embedded stack: a
 * debug run's lines show in the run panel while it runs; a failing run's traceback frames jump
 * the editor to their lines (in this script, and in the imported one, opened at its line) and its
 * failing frame's locals are listed; a running task's detail shows its lines before it ends.
 */
import { expect, test } from '../support/fixtures.js';
import { ScriptsPage } from '../pages/scripts-page.js';
import { TasksPage } from '../pages/tasks-page.js';
import { client } from '../support/stack.js';
import { tickerFunc } from '../../backend/src/testing/python-fixtures.js';
import { publishScript } from '../../backend/src/testing/test-client.js';

const LIB = `def divide(a, b):
    ratio = a
    return ratio / b
`;

const MAIN = `import time
import e2elive__lib as lib


${tickerFunc('Slow', 'slow', 'step', 4)}

@DFF.API('Fails')
def fails(x=0):
    items = [1, 2, 3]
    label = 'e2e' * 200
    return lib.divide(10, x)
`;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const api = client();
  await publishScript(api, 'e2elive__lib', LIB);
  await publishScript(api, 'e2elive__main', MAIN);
});

test('a debug run shows its lines while it runs; a traceback frame moves the editor; locals are listed', async ({ page }) => {
  const scripts = new ScriptsPage(page);
  await scripts.open('/scripts/e2elive__main');
  await expect(scripts.editor.locator('.monaco-editor')).toBeVisible();
  await scripts.pickFunction('slow');
  await scripts.setKwargs('{"n": 4}');
  await scripts.byTestId('run-button').click();
  // Before the run ends (4 s): the live panel with the first lines.
  await expect(scripts.byTestId('run-live-logs')).toContainText('step 0', { timeout: 3000 });
  await expect(scripts.byTestId('run-status')).toHaveText('running');
  await expect(scripts.byTestId('run-live-logs')).toContainText('step 1');
  await page.screenshot({ path: 'test-results/screenshots/live-logs-debug-run.png' });
  await expect(scripts.byTestId('run-status')).toHaveText('success', { timeout: 10_000 });
  await expect(scripts.byTestId('run-logs')).toContainText('step 3');

  await scripts.pickFunction('fails');
  await scripts.setKwargs('{"x": 0}');
  await scripts.byTestId('run-button').click();
  await expect(scripts.byTestId('run-status')).toHaveText('failure');
  const frames = scripts.byTestId('traceback-frame');
  await expect(frames).toHaveCount(2);
  await expect(frames.nth(0)).toHaveAttribute('data-script', 'e2elive__main');
  await expect(frames.nth(1)).toHaveAttribute('data-script', 'e2elive__lib');
  // The failing frame is lib.divide's: its locals.
  const locals = scripts.byTestId('run-locals');
  await expect(locals).toContainText('Locals of divide');
  await expect(locals.getByTestId('run-local')).toHaveCount(3);
  await expect(locals).toContainText('ratio');
  await expect(locals).toContainText('10');

  // The frame in this script: the editor jumps to line 17 (return lib.divide(10, x)).
  await frames.nth(0).click();
  await expect(scripts.editor).toHaveAttribute('data-revealed-line', '17');
  await expect(scripts.editor.locator('.monaco-revealed-line')).toBeVisible();
  // The cursor is on that line (Monaco marks its number).
  await expect(scripts.editor.locator('.line-numbers.active-line-number')).toHaveText('17');
  await page.screenshot({ path: 'test-results/screenshots/traceback-click-through.png' });

  // The frame in the imported script: that script opens at its line.
  await frames.nth(1).click();
  await expect(scripts.byTestId('script-title')).toHaveText('e2elive__lib');
  await expect(page).toHaveURL(/\/scripts\/e2elive__lib\?line=3$/);
  await expect(scripts.editor).toHaveAttribute('data-revealed-line', '3');
  await expect(scripts.editor.locator('.line-numbers.active-line-number')).toHaveText('3');
  await expect(scripts.editor.locator('.monaco-revealed-line')).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/traceback-imported-script.png' });
});

test("a running task's detail shows its lines before it ends", async ({ page }) => {
  const api = client();
  const asyncApi = (await api.addAsyncApi({ body: { data: { funcId: 'e2elive__main.slow', funcCallKwargsJSON: { n: 'FROM_PARAMETER' } } } })).id;
  const { id } = await api.callAsyncApi({ params: { id: asyncApi }, query: {}, body: { kwargs: { n: 5 } } });
  const tasks = new TasksPage(page);
  await tasks.open(`/tasks?task=${id}`);
  await expect(tasks.byTestId('task-detail-live-logs')).toContainText('step 1', { timeout: 4000 });
  await expect(tasks.byTestId('task-detail-status')).toHaveText('running');
  await page.screenshot({ path: 'test-results/screenshots/live-logs-task-detail.png' });
  // Once it ends, the record's log.
  await expect(tasks.byTestId('task-detail-status')).toHaveText('success', { timeout: 10_000 });
  await expect(tasks.byTestId('task-detail-logs')).toContainText('step 4');
});
