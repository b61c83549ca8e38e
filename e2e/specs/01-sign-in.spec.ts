import { anonymousTest as test, expect } from '../support/fixtures.js';
import { SignInPage } from '../pages/sign-in-page.js';
import { stack } from '../support/stack.js';

test('a wrong password is refused; the right one opens the live overview', async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.open('/scripts');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fscripts/);
  await signIn.signIn('admin', 'not-the-password');
  await signIn.expectError(/Wrong username or password/);
  await signIn.signIn('admin', stack().password);
  await expect(signIn.byTestId('page-title')).toHaveText('Overview');
  await expect(signIn.byTestId('live-indicator')).toHaveAttribute('data-live', 'true');
  await signIn.byTestId('sign-out').click();
  await expect(signIn.byTestId('sign-in-form')).toBeVisible();
});
