/**
 * The console at 900 px wide: the script editor keeps room (the tree hidden at first and shown on
 * demand, the run panel below Monaco), and the row actions of wide tables (cron jobs, connectors,
 * operation records, the capacity planner) stay in view while the table scrolls sideways. At 760
 * and 600 px the sidebar is a rail of icons beside the page, opened whole over it by a menu
 * button, and an open task record takes its list's place. At 1440 px the wide layout is as before: the whole sidebar; tree, editor and run panel
 * side by side.
 */
import type { Locator } from '@playwright/test';
import { expect, test, ensureGreeter } from '../support/fixtures.js';
import { ConsolePage } from '../pages/console-page.js';
import { api, client } from '../support/stack.js';

const box = async (l: Locator): Promise<{ x: number; y: number; width: number; height: number }> => {
  const b = await l.boundingBox();
  if (!b) throw new Error('not laid out');
  return b;
};

/** Wholly inside the window, left to right (a cell scrolled out of its table is not). */
async function expectWhollyVisible(l: Locator, width: number): Promise<void> {
  await expect(l).toBeInViewport({ ratio: 1 });
  const b = await box(l);
  expect(b.x + b.width).toBeLessThanOrEqual(width);
}

test.describe('900 px wide', () => {
  test.use({ viewport: { width: 900, height: 800 } });

  test('the script editor: tree hidden at first and toggled, the run panel below Monaco', async ({ page }) => {
    await ensureGreeter();
    const p = new ConsolePage(page);
    await p.open('/scripts/e2eapi__hello');
    const editor = p.byTestId('editor-pane');
    await expect(p.page.locator('.monaco-editor')).toBeVisible();
    await expect(p.byTestId('script-tree-pane')).toHaveCount(0);
    const e = await box(editor);
    expect(e.width).toBeGreaterThan(600);
    // The run panel under the editor, as wide as it.
    const run = await box(p.byTestId('run-panel'));
    expect(run.y).toBeGreaterThanOrEqual(e.y + e.height - 1);
    expect(run.width).toBeGreaterThan(600);
    expect(e.height).toBeGreaterThan(250);
    await expectWhollyVisible(p.byTestId('run-button'), 900);
    await p.screenshot('narrow-script-editor');

    await p.byTestId('script-tree-toggle').click();
    await expect(p.byTestId('script-tree-pane')).toBeVisible();
    await expect(p.byTestId('script-tree-pane')).toContainText('e2eapi');
    // Monaco follows the room left.
    await expect.poll(async () => (await box(p.page.locator('.monaco-editor'))).width).toBeGreaterThan(400);
    await p.screenshot('narrow-script-editor-tree');
    await p.byTestId('script-tree-toggle').click();
    await expect(p.byTestId('script-tree-pane')).toHaveCount(0);
  });

  test('an open task record is a pane beside the list, as on wide windows', async ({ page }) => {
    const p = new ConsolePage(page);
    await openTaskRecord(p);
    const list = await box(p.byTestId('list-pane'));
    const pane = await box(p.byTestId('detail-pane'));
    expect(pane.x).toBeGreaterThanOrEqual(list.x + list.width - 1);
    expect(pane.width).toBeCloseTo(384, -1);
  });

  test('row actions stay in view: cron jobs, connectors, operation records, capacity planner', async ({ page }) => {
    const funcId = await ensureGreeter();
    const stamp = Date.now().toString(36);
    const cronId = `e2e-narrow-cron-with-a-long-id-${stamp}`;
    await client().addCronJob({ body: { data: { id: cronId, funcId, cronExpr: '*/30 * * * *', funcCallKwargsJSON: {}, note: 'kept narrow' } } });
    const connId = `e2e_narrow_redis_with_a_long_id_${stamp}`;
    await client().addConnector({ body: { data: { id: connId, type: 'redis', title: 'A Redis with a rather long title', configJSON: { host: '127.0.0.1', port: 6379 } } } });
    const p = new ConsolePage(page);

    await p.open('/cron-jobs');
    const del = p.byTestId(`cron-jobs-delete-${cronId}`);
    await expectWhollyVisible(del, 900);
    await expectWhollyVisible(p.byTestId(`cron-jobs-edit-${cronId}`), 900);
    await expectWhollyVisible(p.byTestId(`cron-run-${cronId}`), 900);
    await p.screenshot('narrow-cron-jobs');

    await p.open('/connectors');
    await expectWhollyVisible(p.byTestId(`connectors-delete-${connId}`), 900);
    await expectWhollyVisible(p.byTestId(`connectors-edit-${connId}`), 900);
    await p.screenshot('narrow-connectors');

    await p.open('/operation-records');
    const last = p.byTestId('operations-table').locator('tbody tr').first().locator('td').last();
    await expectWhollyVisible(last, 900);
    await p.screenshot('narrow-operation-records');

    await p.open('/topology?tab=capacity');
    const apply = p.byTestId('capacity-table').locator('[data-testid$="-apply"]').first();
    await expectWhollyVisible(apply, 900);
    await p.screenshot('narrow-capacity-planner');

    await client().deleteCronJob({ params: { id: cronId } });
    await client().deleteConnector({ params: { id: connId } });
  });
});

/** The sidebar's and the page's boxes: the page starts where the sidebar ends (nothing under it). */
async function sidebarAndMain(p: ConsolePage): Promise<{ sidebar: { x: number; width: number }; main: { x: number; width: number } }> {
  const sidebar = await box(p.byTestId('sidebar'));
  const main = await box(p.page.locator('main'));
  expect(main.x).toBeGreaterThanOrEqual(sidebar.x + sidebar.width - 1);
  return { sidebar, main };
}

/** The task records page with a record of a call just made open in its pane. */
async function openTaskRecord(p: ConsolePage): Promise<void> {
  const funcId = await ensureGreeter();
  await api('POST', `/api/v1/func/${funcId}`, { kwargs: { name: 'narrow' } });
  await p.open('/tasks');
  await p.page.locator(`[data-testid^="task-row-"][data-func="${funcId}"]`).first().click();
  await expect(p.byTestId('task-detail')).toBeVisible();
}

for (const width of [760, 600]) {
  test.describe(`${width} px wide`, () => {
    test.use({ viewport: { width, height: 800 } });

    test('the sidebar is a rail of icons beside the page, and the menu button opens it whole over the page', async ({ page }) => {
      const p = new ConsolePage(page);
      await p.open('/tasks');
      await expect(p.byTestId('tasks-table').or(p.byTestId('tasks-empty'))).toBeVisible();
      const { sidebar, main } = await sidebarAndMain(p);
      expect(sidebar.width).toBeLessThanOrEqual(64);
      expect(main.x + main.width).toBeLessThanOrEqual(width);
      // Nothing wider than the window: no sideways scroll of the whole page.
      expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(width);
      // Every link is an icon named by its page, wholly in the rail; the stack switcher and the labels wait for the menu.
      const cron = page.getByRole('link', { name: 'Cron jobs' });
      const cronBox = await box(cron);
      expect(cronBox.x).toBeGreaterThanOrEqual(sidebar.x);
      expect(cronBox.x + cronBox.width).toBeLessThanOrEqual(sidebar.x + sidebar.width);
      await expect(p.byTestId('stack-switcher')).toBeHidden();
      await expect(p.byTestId('nav-cron-jobs').getByText('Cron jobs')).toBeHidden();
      await expectWhollyVisible(p.byTestId('sign-out'), width);
      await p.screenshot('narrow-sidebar-rail');
      await cron.click();
      await expect(page).toHaveURL(/\/cron-jobs$/);
      await expectWhollyVisible(p.byTestId('cron-jobs-add'), width);

      // Opened: the whole sidebar over the page (which keeps its place), closed by Escape, by the backdrop and by following a link.
      await p.byTestId('sidebar-toggle').click();
      await expect(p.byTestId('sidebar-toggle')).toHaveAttribute('aria-expanded', 'true');
      await expect(p.byTestId('stack-switcher')).toBeVisible();
      await expect(p.byTestId('nav-connectors')).toContainText('Connectors');
      expect((await box(p.byTestId('sidebar'))).width).toBeGreaterThan(180);
      expect((await box(p.page.locator('main'))).x).toBe(main.x);
      await p.screenshot('narrow-sidebar-open');
      await page.keyboard.press('Escape');
      await expect(p.byTestId('stack-switcher')).toBeHidden();
      await p.byTestId('sidebar-toggle').click();
      await p.byTestId('sidebar-backdrop').click({ position: { x: width - 20, y: 400 } });
      await expect(p.byTestId('stack-switcher')).toBeHidden();
      await p.byTestId('sidebar-toggle').click();
      await p.byTestId('nav-connectors').click();
      await expect(page).toHaveURL(/\/connectors$/);
      await expect(p.byTestId('stack-switcher')).toBeHidden();
      expect((await sidebarAndMain(p)).sidebar.width).toBeLessThanOrEqual(64);
    });

    test('a task record that cannot be read (an old link) shows its error with the way back to the list', async ({ page }) => {
      const p = new ConsolePage(page);
      await p.open('/tasks?task=task-00000000000000000000');
      await expect(p.byTestId('list-pane')).toBeHidden();
      await expectWhollyVisible(p.byTestId('task-detail-error-close'), width);
      await p.byTestId('task-detail-error-close').click();
      await expect(p.byTestId('list-pane')).toBeVisible();
      await expect(p.byTestId('tasks-table').or(p.byTestId('tasks-empty'))).toBeVisible();
    });

    test("an open task record takes the list's place, whole width, and closing it shows the list again", async ({ page }) => {
      const p = new ConsolePage(page);
      await openTaskRecord(p);
      const { main } = await sidebarAndMain(p);
      // Beside the list the pane left it 130 px at 600 (its status column); over it, the pane has the page's width.
      await expect(p.byTestId('list-pane')).toBeHidden();
      const pane = await box(p.byTestId('detail-pane'));
      expect(pane.x).toBeLessThanOrEqual(main.x + 1);
      expect(pane.x + pane.width).toBeGreaterThanOrEqual(width - 1);
      expect(pane.x + pane.width).toBeLessThanOrEqual(width);
      await expectWhollyVisible(p.byTestId('task-open-in-editor'), width);
      await expectWhollyVisible(p.byTestId('task-detail').getByRole('button', { name: 'Close' }), width);
      expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(width);
      await p.screenshot('narrow-task-record');
      await p.byTestId('task-detail').getByRole('button', { name: 'Close' }).click();
      await expect(p.byTestId('task-detail')).toHaveCount(0);
      const list = await box(p.byTestId('list-pane'));
      expect(list.x + list.width).toBeGreaterThanOrEqual(width - 1);
      await expect(p.page.locator('[data-testid^="task-row-"]').first()).toBeVisible();
    });
  });
}

test.describe('760 px wide: entity tables', () => {
  test.use({ viewport: { width: 760, height: 800 } });

  test("a long env value leaves its title readable, and an API's URL is not broken every few characters", async ({ page }) => {
    const funcId = await ensureGreeter();
    const stamp = Date.now().toString(36);
    const envId = `E2E_NARROW_${stamp.toUpperCase()}`;
    await client().addEnvVariable({
      body: { data: { id: envId, autoTypeCasting: 'string', valueTEXT: 'https://example.com/v1/a/really/long/path/that/might/overflow/the/column', title: 'Upstream API' } },
    });
    const syncId = `e2e-narrow-sync-${stamp}`;
    await client().addSyncApi({ body: { data: { id: syncId, funcId, funcCallKwargsJSON: {} } } });
    const p = new ConsolePage(page);

    await p.open('/env-variables');
    const row = p.byTestId(`env-variables-row-${envId}`);
    await expect(row).toBeVisible();
    // The value is capped under md (10rem, not 20: it pushed the title under the pinned actions).
    // Whether the title then ends before them depends on the other rows (a password's wider type
    // badge puts it 12 px under them): not asserted.
    expect((await box(row.locator('td').nth(2))).width).toBeLessThanOrEqual(240);
    await p.screenshot('narrow-env-variables');

    await p.open('/sync-apis');
    const url = p.byTestId(`api-url-${syncId}`);
    await expect(url).toBeVisible();
    // Squeezed to a few characters a line, the URL was a tall column of fragments.
    expect((await box(url)).width).toBeGreaterThanOrEqual(200);
    await expectWhollyVisible(p.byTestId(`sync-apis-delete-${syncId}`), 760);
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(760);
    await p.screenshot('narrow-sync-apis');

    await client().deleteEnvVariable({ params: { id: envId } });
    await client().deleteSyncApi({ params: { id: syncId } });
  });
});

test.describe('1440 px wide', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test('the script editor keeps tree, editor and run panel side by side', async ({ page }) => {
    await ensureGreeter();
    const p = new ConsolePage(page);
    await p.open('/scripts/e2eapi__hello');
    await expect(p.page.locator('.monaco-editor')).toBeVisible();
    await expect(p.byTestId('script-tree-pane')).toBeVisible();
    const e = await box(p.byTestId('editor-pane'));
    const run = await box(p.byTestId('run-panel'));
    expect(run.x).toBeGreaterThanOrEqual(e.x + e.width - 1);
    expect(Math.abs(run.y - e.y)).toBeLessThan(2);
    expect(run.width).toBeCloseTo(352, -1);
  });

  test('the sidebar is whole, with its labels and the stack switcher, and no menu button', async ({ page }) => {
    const p = new ConsolePage(page);
    await p.open('/overview');
    const { sidebar } = await sidebarAndMain(p);
    expect(sidebar.width).toBeCloseTo(208, -1);
    await expect(p.byTestId('nav-cron-jobs')).toContainText('Cron jobs');
    await expect(p.byTestId('stack-switcher')).toBeVisible();
    await expect(p.byTestId('sidebar-toggle')).toBeHidden();
  });
});
