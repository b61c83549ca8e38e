/**
 * Operation records (the audit log) and script recover points in the console (issue 16). A
 * change made through the API shows in the operation records with its body redacted; filters
 * narrow the list and stay in the URL. A recover point taken in the console with a note brings
 * a script back after it was published again: the confirm dialog, then the script's code as it
 * was, read back through the API.
 */
import { expect, test } from '../support/fixtures.js';
import { client } from '../support/stack.js';
import { publishScript } from '../../backend/src/testing/test-client.js';
import { OperationRecordsPage, RecoverPointsPage } from '../pages/admin-pages.js';

test('an admin write is in the operation records, filtered by operation and user, its body redacted', async ({ page }) => {
  const username = `audited${Date.now()}`;
  const password = 'audited-password-1';
  await client().addUser({ body: { data: { username, name: 'Audited', password, roles: ['readonlyUser'] } } });

  const records = new OperationRecordsPage(page);
  await records.open('/overview');
  await records.nav('operation-records');
  await expect(records.byTestId('page-title')).toHaveText('Operation records');
  await records.byTestId('filter-operation').fill('addUser');
  await records.byTestId('filter-username').fill('admin');
  await expect(page).toHaveURL(/operationId=addUser/);
  const rows = records.rows('addUser');
  await expect(rows.first()).toBeVisible();
  await expect(records.page.locator('[data-testid^="operation-row-"]:not([data-operation="addUser"])')).toHaveCount(0);
  await rows.first().click();
  const body = records.byTestId('operation-detail-body');
  await expect(body).toContainText(username);
  // The password was sent in the body; the record keeps it masked.
  await expect(body).not.toContainText(password);
  await expect(body).toContainText('***');
  await expect(records.byTestId('operation-detail-status')).toContainText('200');
  await records.screenshot('operation-records');

  // A user nobody is: nothing matches; clearing brings the rows back.
  await records.byTestId('filter-username').fill('nobody-at-all');
  await expect(records.byTestId('operations-empty')).toContainText('No operation matches');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(records.page.locator('[data-testid^="operation-row-"]').first()).toBeVisible();
});

const V1 = `@DFF.API('Version')
def version():
    return 1
`;
const V2 = V1.replace('return 1', 'return 2');

test('a recover point taken with a note brings a script back after a new publish', async ({ page }) => {
  const api = client();
  const scriptId = `recover${Date.now()}__main`;
  await publishScript(api, scriptId, V1);
  const note = `before v2 ${Date.now()}`;

  const points = new RecoverPointsPage(page);
  await points.open('/overview');
  await points.nav('recover-points');
  await expect(points.byTestId('page-title')).toHaveText('Recover points');
  await points.take(note);
  await expect(points.row(note)).toContainText('by hand');
  await expect(points.byTestId('recover-points-notice')).toContainText('Recover point taken');

  await publishScript(api, scriptId, V2);
  expect((await api.getScript({ params: { id: scriptId } })).code).toContain('return 2');

  await points.row(note).getByRole('button', { name: 'Recover…' }).click();
  const confirm = points.byTestId('recover-confirm');
  await expect(confirm).toContainText(note);
  await points.screenshot('recover-point-confirm');
  await points.byTestId('recover-confirm-confirm').click();
  await expect(confirm).toBeHidden({ timeout: 30_000 });
  await expect(points.byTestId('recover-points-notice')).toContainText('Scripts recovered');
  // The present was kept first, as a point of its own.
  await expect(points.page.locator('[data-testid^="recover-point-"]').filter({ hasText: 'before a recover' }).first()).toBeVisible();
  await expect.poll(async () => (await api.getScript({ params: { id: scriptId } })).code).toContain('return 1');
  await points.screenshot('recover-points');
});

test('the issue 16 pages in the dark theme', async ({ page }) => {
  await page.addInitScript(`localStorage.setItem('func.theme', 'dark')`);
  const p = new OperationRecordsPage(page);
  await p.open('/operation-records');
  await page.locator('[data-testid^="operation-row-"]').first().click();
  await expect(p.byTestId('operation-detail')).toBeVisible();
  await p.screenshot('operation-records-dark');
  for (const [to, ready] of [
    ['recover-points', 'recover-points-table'],
    ['resources', 'resources-table'],
    ['func-data', 'func-caches-table'],
    ['python-packages', 'python-installed-table'],
    ['file-services', 'file-services-page'],
  ] as const) {
    await p.nav(to);
    await expect(p.byTestId(ready).or(p.byTestId('resources-empty')).or(p.byTestId('func-caches-empty'))).toBeVisible({ timeout: 30_000 });
    await expect(p.byTestId('loading')).toHaveCount(0, { timeout: 30_000 });
    await p.screenshot(`${to}-dark`);
  }
  await p.byTestId('account-open').click();
  await expect(p.byTestId('account-dialog')).toBeVisible();
  await p.screenshot('account-dark');
});
