import { expect, test, ensureGreeter } from '../support/fixtures.js';
import { EntityPage } from '../pages/entity-page.js';

test('create a cron job (a bad expression is refused at its field), run it now, see the trigger', async ({ page }) => {
  const funcId = await ensureGreeter();
  const cron = new EntityPage(page, 'cron-jobs');
  await cron.open('/overview');
  await cron.goto();
  await cron.startAdd();
  await cron.field('id').fill('e2e-nightly');
  await cron.field('funcId').selectOption(funcId);
  await cron.field('cronExpr').fill('not a cron');
  await cron.submit();
  await expect(cron.byTestId('cron-jobs-field-cronExpr-error')).toContainText('Invalid cron expression');
  await cron.field('cronExpr').fill('0 3 * * *');
  await cron.field('funcCallKwargsJSON').fill('{"name": "cron"}');
  await cron.submit();
  await expect(cron.row('e2e-nightly')).toContainText('0 3 * * *');

  await cron.byTestId('cron-run-e2e-nightly').click();
  await expect(cron.byTestId('cron-jobs-notice')).toContainText('Started task');
  await cron.byTestId('cron-jobs-expand-e2e-nightly').click();
  await expect(cron.byTestId('cron-triggers-e2e-nightly').getByText('success')).toBeVisible();

  // The trigger's task link: the records filtered to it, the id in its filter field, its detail open.
  const triggers = cron.byTestId('cron-triggers-e2e-nightly');
  const taskId = (await triggers.getByRole('link').first().textContent())!.trim();
  await triggers.getByRole('link').first().click();
  await expect(cron.byTestId('filter-id')).toHaveValue(taskId);
  await expect(cron.byTestId('task-detail-id')).toHaveText(taskId);
  await expect(cron.byTestId('task-detail-status')).toHaveText('success');
  await page.goBack();
  await expect(cron.row('e2e-nightly')).toBeVisible();

  await cron.byTestId('cron-jobs-toggle-e2e-nightly').click();
  await expect(cron.byTestId('cron-jobs-toggle-e2e-nightly')).toHaveAttribute('aria-checked', 'false');
});
