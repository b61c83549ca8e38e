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

test('a token the stack no longer accepts sends you to sign-in saying the session ended', async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.signIn('admin', stack().password);
  await expect(signIn.byTestId('page-title')).toHaveText('Overview');
  // The token revoked behind the console's back (as a sign-out elsewhere or an expiry does).
  const stored = await page.evaluate<string | null>("localStorage.getItem('func.profiles')");
  const token = (JSON.parse(stored ?? '[]') as { id: string; token: string | null }[]).find((p) => p.id === 'local')?.token;
  expect(token).toBeTruthy();
  const out = await fetch(`${stack().url}/api/v1/auth/do/sign-out`, { method: 'POST', headers: { 'x-dff-auth-token': token!, 'content-type': 'application/json' }, body: '{}' });
  expect(out.status).toBe(200);
  // The next call in this tab (the overview's own polling may come first) is refused.
  await signIn
    .byTestId('nav-scripts')
    .click({ timeout: 3000 })
    .catch(() => undefined);
  await expect(signIn.byTestId('sign-in-form')).toBeVisible();
  await expect(signIn.byTestId('sign-in-session-ended')).toHaveText(/Your session ended/);
  await signIn.byTestId('sign-in-form').screenshot({ path: '/tmp/sign-in-session-ended.png' });
  await signIn.signIn('admin', stack().password);
  await expect(signIn.byTestId('page-title')).toHaveText('Overview');
  await signIn.byTestId('sign-out').click();
  // Signing out oneself is no ended session.
  await expect(signIn.byTestId('sign-in-form')).toBeVisible();
  await expect(signIn.byTestId('sign-in-session-ended')).toHaveCount(0);
});
