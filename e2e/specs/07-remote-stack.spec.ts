import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request } from '@playwright/test';
import { expect, ensureGreeter, test } from '../support/fixtures.js';
import { OverviewPage } from '../pages/overview-page.js';
import { StackSwitcher } from '../pages/stack-switcher.js';
import { client, stack } from '../support/stack.js';

/** The same stack by another origin: the console is at 127.0.0.1, this is localhost (real CORS). */
function remoteUrl(): string {
  return stack().url.replace('127.0.0.1', 'localhost');
}

async function newAccessKey(): Promise<{ id: string; secret: string }> {
  // The secret is answered once, by add.
  return client().addAccessKey({ body: { data: { title: `e2e remote ${Date.now()}` } } });
}

test('a remote stack with an access key: live overview and scripts through signed cross-origin requests', async ({ page }) => {
  const scriptId = (await ensureGreeter()).split('.')[0]!;
  const key = await newAccessKey();
  const remote: Request[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith(remoteUrl())) remote.push(r);
  });
  const switcher = new StackSwitcher(page);
  await switcher.open('/overview');
  await switcher.addRemote({ name: 'mirror', url: remoteUrl(), keyId: key.id, secret: key.secret });
  await switcher.expectConnected('mirror');

  const overview = new OverviewPage(page);
  await expect(overview.byTestId('page-title')).toHaveText('Overview');
  await expect(overview.byTestId('live-indicator')).toHaveAttribute('data-live', 'true');
  await expect(overview.byTestId('stack-key')).toContainText(`${key.id} · ••••••••`);
  await expect(page.locator('body')).not.toContainText(key.secret);

  await overview.nav('scripts');
  await expect(overview.byTestId(`tree-script-${scriptId}`)).toBeVisible();

  const signedApi = remote.filter((r) => r.url().includes('/api/v1/scripts/do/list') && r.method() === 'GET');
  expect(signedApi.length).toBeGreaterThan(0);
  const headers = await signedApi[0]!.allHeaders();
  expect(headers['x-dff-ak-id']).toBe(key.id);
  expect(headers['x-dff-ak-sign']).toMatch(/^[0-9a-f]{40}$/);
  expect(headers['x-dff-auth-token']).toBeUndefined();
  expect(remote.some((r) => /\/api\/v1\/events\?xDffAkId=/.test(r.url()))).toBe(true);
});

test('on a stack reached with an access key the sidebar leaves out what takes a signed-in token: Users, Access keys, Account, Sign out', async ({ page }) => {
  const key = await newAccessKey();
  const switcher = new StackSwitcher(page);
  await switcher.open('/overview');
  // Signed in with a password: all of them.
  for (const id of ['nav-users', 'nav-access-keys', 'account-open', 'sign-out']) await expect(switcher.byTestId(id)).toBeVisible();
  await switcher.addRemote({ name: 'by key', url: remoteUrl(), keyId: key.id, secret: key.secret });
  await switcher.expectConnected('by key');
  await expect(switcher.byTestId('stack-key')).toContainText(key.id);
  // The rest of their section stays: only the token-only pages go.
  await expect(switcher.byTestId('nav-connectors')).toBeVisible();
  await expect(switcher.byTestId('nav-env-variables')).toBeVisible();
  for (const id of ['nav-users', 'nav-access-keys', 'account-open', 'sign-out']) await expect(switcher.byTestId(id)).toHaveCount(0);
  // Typed in by hand, such a page says why it shows nothing (the stack refuses an access key there).
  await switcher.open('/users');
  await expect(switcher.byTestId('error-banner')).toContainText("listUsers needs a signed-in user's token");
  await expect(switcher.byTestId('nav-users')).toHaveCount(0);
  await switcher.screenshot('remote-stack-by-key-sidebar');

  // Back on this stack (signed in): they are there again.
  await switcher.byTestId('stack-switcher').selectOption({ label: 'This stack' });
  for (const id of ['nav-users', 'nav-access-keys', 'account-open', 'sign-out']) await expect(switcher.byTestId(id)).toBeVisible();
});

/** A server that answers but sends no CORS headers: a stack that does not allow this origin. */
async function withoutCors<T>(run: (url: string) => Promise<T>): Promise<T> {
  const server = createServer((_req, res) => res.end('{}'));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  try {
    return await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.close();
  }
}

test('a wrong secret, a stack refusing this origin or an unreachable URL is refused with a message saying why', async ({ page }) => {
  const key = await newAccessKey();
  const switcher = new StackSwitcher(page);
  await switcher.open('/overview');
  await switcher.addRemote({ name: 'bad key', url: remoteUrl(), keyId: key.id, secret: 'not-the-secret-not-the-secret-00' });
  await switcher.expectError(/refused the access key \(401\).*X-Dff-Ak-Sign does not match/);
  await switcher.byTestId('remote-url').fill('http://127.0.0.1:1');
  await switcher.byTestId('remote-connect').click();
  await switcher.expectError(/Cannot reach http:\/\/127\.0\.0\.1:1/);
  await withoutCors(async (url) => {
    await switcher.byTestId('remote-url').fill(url);
    await switcher.byTestId('remote-connect').click();
    await switcher.expectError(/does not allow this console's origin .*set FUNC_CORS_ORIGINS there/);
  });
  await expect(switcher.byTestId('stack-switcher').locator('option')).toHaveCount(2);
});
