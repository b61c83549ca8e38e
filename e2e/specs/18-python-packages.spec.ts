/**
 * Python packages in the console (issue 16): a wheel built here is uploaded into a folder of the
 * resources through the resources page, installed from there offline (find-links, no index) with
 * the install form; the status shows it waiting or installing, then success; the installed list
 * has it with its version; a published function imports it. A bad requirement is refused at its
 * field.
 */
import { expect, test } from '../support/fixtures.js';
import { client } from '../support/stack.js';
import { publishScript } from '../../backend/src/testing/test-client.js';
import { testWheel } from '../../backend/src/testing/python-fixtures.js';
import { ResourcesPage } from '../pages/admin-pages.js';

test('a local wheel uploaded to the resources is installed offline with live status, listed, and importable', async ({ page }) => {
  test.setTimeout(180_000);
  const stamp = Date.now();
  const name = `e2ewheel${stamp}`;
  const w = testWheel(name, '1.2.3', 4242);
  const folder = `wheels-${stamp}`;

  const res = new ResourcesPage(page);
  await res.open('/resources');
  await res.named('mkdir', folder);
  await res.byTestId(`resource-open-${folder}`).click();
  await res.upload(w.file, w.data);

  await res.nav('python-packages');
  await expect(res.byTestId('page-title')).toHaveText('Python packages');
  await expect(res.byTestId('python-installed-table')).toBeVisible({ timeout: 30_000 });

  // A requirement that is an option is refused at the field, nothing installed.
  await res.byTestId('python-install-packages').fill('--index-url=http://evil');
  await res.byTestId('python-install-submit').click();
  await expect(res.byTestId('python-install-packages-error')).toContainText('requirement');

  await res.byTestId('python-install-packages').fill(`${name}==1.2.3`);
  await res.byTestId('python-install-find-links').fill(`/${folder}`);
  await res.byTestId('python-install-submit').click();
  const step = page.locator('[data-testid="python-install-step"]', { hasText: name });
  await expect(step).toHaveAttribute('data-status', /waiting|installing|success/);
  await expect(step).toHaveAttribute('data-status', 'success', { timeout: 120_000 });
  await expect(res.byTestId('python-install-summary')).toContainText('Finished: 1 installed');

  await res.byTestId('python-installed-filter').fill(name);
  await expect(res.byTestId(`python-package-${name}`)).toContainText('1.2.3', { timeout: 30_000 });
  await res.screenshot('python-packages');

  const api = client();
  await publishScript(api, `pypkg${stamp}__main`, `@DFF.API('Use it')\ndef use():\n    import ${name}\n    return ${name}.VALUE\n`);
  const answer = await api.callFunc({ params: { funcId: `pypkg${stamp}__main.use` }, body: { kwargs: {} } });
  expect(answer).toMatchObject({ result: 4242 });
});
