/**
 * The API auth page and the API fields that use it: a fixedField API auth and an httpBasic one added
 * in their forms (fields and users as rows); a sync API picking the first, with throttling, an
 * expiry, tags and "show in doc" from its form; a call without the header refused, with it
 * answered, the throttling's third call refused with 429; the full URLs (simplified too) shown and
 * copied; the edit form showing what was saved, an expiry cleared.
 */
import { expect, test, ensureGreeter } from '../support/fixtures.js';
import { EntityPage } from '../pages/entity-page.js';
import { client, stack } from '../support/stack.js';

test('API auth: add fixedField and httpBasic; a sync API with auth, throttling and expiry; full URLs copied', async ({ page, context }) => {
  const funcId = await ensureGreeter();
  const stamp = Date.now().toString(36);
  const authId = `e2e-key-${stamp}`;
  const apiId = `e2e-guarded-${stamp}`;
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);

  const auths = new EntityPage(page, 'api-auth');
  await auths.open('/overview');
  await auths.goto();
  await expect(auths.byTestId('page-title')).toHaveText('API auth');

  // fixedField: one header to match.
  await auths.startAdd();
  await auths.field('id').fill(authId);
  await auths.field('type').selectOption('fixedField');
  await auths.field('title').fill('Partner key');
  await auths.field('configJSON-0-location').selectOption('header');
  await auths.field('configJSON-0-name').fill('X-Partner-Key');
  await auths.field('configJSON-0-value').fill('s3cret');
  await auths.screenshot('api-auth-form');
  await auths.submit();
  await expect(auths.row(authId)).toContainText('fixedField');
  await expect(auths.row(authId)).toContainText('Partner key');

  // httpBasic: users as rows; a user left without a password is refused by the server at its field.
  await auths.startAdd();
  await auths.field('id').fill(`${authId}-basic`);
  await auths.field('type').selectOption('httpBasic');
  await auths.field('configJSON-0-username').fill('ann');
  await auths.field('configJSON-0-password').fill('pw-ann');
  await auths.field('configJSON-add').click();
  await auths.field('configJSON-1-username').fill('bob');
  await auths.submit();
  await expect(auths.field('configJSON-error')).toContainText('users.1.password');
  await auths.field('configJSON-1-password').fill('pw-bob');
  await auths.submit();
  await expect(auths.row(`${authId}-basic`)).toContainText('httpBasic');
  const basic = await client().getApiAuth({ params: { id: `${authId}-basic` } });
  expect(basic.configJSON).toEqual({
    users: [
      { username: 'ann', password: 'pw-ann' },
      { username: 'bob', password: 'pw-bob' },
    ],
  });
  await auths.screenshot('api-auth-list');

  // A sync API using the fixedField auth, throttled to 2 calls a minute, expiring in a day.
  const apis = new EntityPage(page, 'sync-apis');
  await apis.nav('sync-apis');
  await apis.startAdd();
  await apis.field('id').fill(apiId);
  await apis.field('funcId').selectOption(funcId);
  await apis.field('apiAuthId').selectOption(authId);
  const expire = new Date(Date.now() + 86_400_000);
  expire.setSeconds(0, 0);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const local = `${expire.getFullYear()}-${pad(expire.getMonth() + 1)}-${pad(expire.getDate())}T${pad(expire.getHours())}:${pad(expire.getMinutes())}`;
  await apis.field('expireTime').fill(local);
  await apis.field('throttlingJSON-byMinute').fill('0');
  await apis.field('tagsJSON').fill('partner, e2e');
  await apis.field('showInDoc').check();
  await apis.submit();
  await expect(apis.field('throttlingJSON-error')).toHaveText('byMinute: a whole number of calls, at least 1');
  await apis.field('throttlingJSON-byMinute').fill('2');
  await apis.screenshot('sync-api-form-auth-throttling');
  await apis.submit();
  await expect(apis.row(apiId)).toBeVisible();
  const saved = await client().getSyncApi({ params: { id: apiId } });
  expect(saved).toMatchObject({ apiAuthId: authId, expireTime: expire.getTime(), throttlingJSON: { byMinute: 2 }, tagsJSON: ['partner', 'e2e'], showInDoc: true });

  // The full URLs from the page's origin, copied as shown.
  const url = `${stack().url}/api/v1/sync/${apiId}`;
  await expect(apis.byTestId(`api-url-${apiId}`)).toHaveText(url);
  await expect(apis.byTestId(`api-url-simplified-${apiId}`)).toHaveText(`${url}/simplified`);
  await apis.byTestId(`api-url-simplified-${apiId}-copy`).click();
  await expect(apis.byTestId(`api-url-simplified-${apiId}-copy`)).toHaveText('Copied');
  expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(`${url}/simplified`);
  await apis.screenshot('sync-api-urls');

  // The auth asked for, then the throttling: two calls a minute.
  expect((await fetch(`${url}/simplified?name=Al`)).status).toBe(401);
  const call = (): Promise<Response> => fetch(`${url}/simplified?name=Al`, { headers: { 'X-Partner-Key': 's3cret' } });
  const first = await call();
  expect(await first.json()).toEqual({ message: 'Hello, Al!' });
  expect((await call()).status).toBe(200);
  expect((await call()).status).toBe(429);

  // Editing shows what was saved; clearing the expiry and the throttling sends null.
  await apis.byTestId(`sync-apis-edit-${apiId}`).click();
  await expect(apis.field('apiAuthId')).toHaveValue(authId);
  await expect(apis.field('expireTime')).toHaveValue(local);
  await expect(apis.field('throttlingJSON-byMinute')).toHaveValue('2');
  await expect(apis.field('tagsJSON')).toHaveValue('partner, e2e');
  await expect(apis.field('showInDoc')).toBeChecked();
  await apis.field('expireTime').fill('');
  await apis.field('throttlingJSON-byMinute').fill('');
  await apis.field('apiAuthId').selectOption('');
  await apis.submit();
  await expect(apis.byTestId('sync-apis-form')).toHaveCount(0);
  expect(await client().getSyncApi({ params: { id: apiId } })).toMatchObject({ apiAuthId: null, expireTime: null, throttlingJSON: null });
  expect((await fetch(`${url}/simplified?name=Al`)).status).toBe(200);
});
