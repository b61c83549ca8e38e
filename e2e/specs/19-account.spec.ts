/**
 * A user's own account from the sidebar (issue 16): the profile name saved; the password changed
 * with the current one (a wrong one refused at its field), the console going on with the new
 * token; afterwards only the new password signs in.
 */
import { anonymousTest as test, expect } from '../support/fixtures.js';
import { SignInPage } from '../pages/sign-in-page.js';
import { client } from '../support/stack.js';
import { rememberSecret } from '../../backend/src/testing/test-secrets.js';

test('change the profile name and the password; only the new password signs in afterwards', async ({ page }) => {
  const username = `account${Date.now()}`;
  const oldPassword = `old-pass-${Date.now()}`;
  const newPassword = `new-pass-${Date.now()}`;
  rememberSecret(oldPassword);
  rememberSecret(newPassword);
  const { id } = await client().addUser({ body: { data: { username, name: 'Before', password: oldPassword, roles: ['readonlyUser'] } } });

  const signIn = new SignInPage(page);
  await signIn.signIn(username, oldPassword);
  await expect(signIn.byTestId('page-title')).toHaveText('Overview');

  await signIn.byTestId('account-open').click();
  const dialog = signIn.byTestId('account-dialog');
  await expect(dialog).toBeVisible();
  await expect(signIn.byTestId('account-username')).toHaveValue(username);
  await expect(signIn.byTestId('account-name')).toHaveValue('Before');
  await signIn.byTestId('account-name').fill('After');
  await signIn.byTestId('account-name-save').click();
  await expect(signIn.byTestId('account-profile-saved')).toBeVisible();
  await expect.poll(async () => (await client().getUser({ params: { id } })).name).toBe('After');

  // A wrong current password: refused at its field.
  await signIn.byTestId('account-old-password').fill('not-the-password');
  await signIn.byTestId('account-new-password').fill(newPassword);
  await signIn.byTestId('account-new-password-again').fill(newPassword);
  await signIn.byTestId('account-password-save').click();
  await expect(signIn.byTestId('account-old-password-error')).toContainText('wrong password');
  // Two different new passwords: the button stays off.
  await signIn.byTestId('account-new-password-again').fill(`${newPassword}x`);
  await expect(signIn.byTestId('account-new-password-again-error')).toContainText('differ');
  await expect(signIn.byTestId('account-password-save')).toBeDisabled();
  await signIn.byTestId('account-new-password-again').fill(newPassword);
  await signIn.byTestId('account-old-password').fill(oldPassword);
  await signIn.screenshot('account');
  await signIn.byTestId('account-password-save').click();
  await expect(signIn.byTestId('account-password-changed')).toBeVisible();
  await expect(signIn.byTestId('account-old-password')).toHaveValue('');

  // The console goes on with the new token (the old ones ended).
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await signIn.nav('tasks');
  await expect(signIn.byTestId('page-title')).toHaveText('Task records');
  await page.reload();
  await expect(signIn.byTestId('page-title')).toHaveText('Task records');

  await signIn.byTestId('sign-out').click();
  await signIn.signIn(username, oldPassword);
  await signIn.expectError(/password|username/i);
  await signIn.signIn(username, newPassword);
  await expect(signIn.byTestId('page-title')).toHaveText('Overview');
});

test('a viewer sees the issue 16 pages without their write controls', async ({ page }) => {
  const username = `viewer16${Date.now()}`;
  const password = `viewer-pass-${Date.now()}`;
  rememberSecret(password);
  await client().addUser({ body: { data: { username, name: 'Viewer', password, roles: ['readonlyUser'] } } });
  const signIn = new SignInPage(page);
  await signIn.signIn(username, password);
  await expect(signIn.byTestId('page-title')).toHaveText('Overview');

  await signIn.nav('resources');
  await expect(signIn.byTestId('resources-table').or(signIn.byTestId('resources-empty'))).toBeVisible();
  await expect(signIn.byTestId('resource-upload')).toHaveCount(0);
  await expect(signIn.byTestId('resource-mkdir')).toHaveCount(0);
  await signIn.nav('python-packages');
  await expect(signIn.byTestId('python-install-status')).toBeVisible();
  await expect(signIn.byTestId('python-install-form')).toHaveCount(0);
  await signIn.nav('recover-points');
  await expect(signIn.byTestId('page-title')).toHaveText('Recover points');
  await expect(signIn.byTestId('recover-point-add')).toHaveCount(0);
  await expect(signIn.page.getByRole('button', { name: 'Recover…' })).toHaveCount(0);
  await signIn.nav('operation-records');
  await expect(signIn.byTestId('operation-filters')).toBeVisible();
});
