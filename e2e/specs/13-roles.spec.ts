/** Roles in the console: an access key's secret shown once; a viewer sees no management and no write controls. */
import { anonymousTest as anonymous, ensureGreeter, expect, test } from '../support/fixtures.js';
import { EntityPage } from '../pages/entity-page.js';
import { SignInPage } from '../pages/sign-in-page.js';
import { client } from '../support/stack.js';
import { rememberSecret } from '../../backend/src/testing/test-secrets.js';

test('a new access key shows its secret once; the list never shows it', async ({ page }) => {
  const keys = new EntityPage(page, 'access-keys');
  await keys.open('/overview');
  await keys.goto();
  await keys.startAdd();
  await keys.field('title').fill('shown once');
  await keys.submit();
  const secret = keys.byTestId('access-keys-once-value');
  await expect(secret).toHaveText(/^[A-Za-z0-9_-]{32}$/);
  const value = await secret.textContent();
  if (value) rememberSecret(value); // npm test's log check greps for it
  // "Copy it now" comes with the button to do it: the secret lands on the clipboard.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await keys.byTestId('access-keys-once-copy').click();
  await expect(keys.byTestId('access-keys-once-copy')).toHaveText('Copied');
  expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(value);
  await keys.screenshot('access-key-secret-once');
  await keys.byTestId('access-keys-once-dialog').screenshot({ path: '/tmp/access-key-copy.png' });
  await keys.byTestId('access-keys-once-done').click();
  await expect(keys.byTestId('access-keys-once-dialog')).toBeHidden();
  await expect(keys.byTestId('access-keys-table')).toContainText('shown once');
  await expect(page.locator('body')).not.toContainText(value ?? 'no value');
});

anonymous('a viewer sees no access keys and no write controls', async ({ page }) => {
  const username = `viewer${Date.now()}`;
  await client().addUser({ body: { data: { username, name: 'Viewer', password: 'viewer-password', roles: ['readonlyUser'] } } });
  const signIn = new SignInPage(page);
  await signIn.open('/overview');
  await signIn.signIn(username, 'viewer-password');
  await expect(signIn.byTestId('page-title')).toHaveText('Overview');
  await expect(signIn.byTestId('nav-sync-apis')).toBeVisible();
  await expect(signIn.byTestId('nav-access-keys')).toHaveCount(0);
  // Viewers may list users (user_r, as in DataFlux Func), not change them.
  const users = new EntityPage(page, 'users');
  await users.goto();
  await expect(users.byTestId('users-read-only')).toBeVisible();
  await expect(users.byTestId('users-add')).toHaveCount(0);
  const apis = new EntityPage(page, 'sync-apis');
  await apis.goto();
  await expect(apis.byTestId('sync-apis-read-only')).toBeVisible();
  await expect(apis.byTestId('sync-apis-add')).toHaveCount(0);
  await apis.screenshot('viewer-sync-apis');
  // The topology is there to read; managing the stack is for admins, said once, not as a 403.
  await apis.nav('topology');
  await expect(apis.byTestId('topology-no-stack-permission')).toBeVisible();
  await expect(page.getByText(/needs the permission stack_r/)).toHaveCount(0);
  await apis.nav('scripts');
  await apis.byTestId('tree-script-demo__basics').click();
  await expect(apis.byTestId('script-read-only')).toBeVisible();
  await expect(apis.byTestId('scripts-read-only')).toBeVisible();
  await expect(apis.byTestId('publish-button')).toHaveCount(0);
  await expect(apis.byTestId('run-button')).toHaveCount(0);
  // The history is there to read and compare; rolling back is a change.
  await apis.byTestId('history-button').click();
  await expect(apis.byTestId('history-list')).toBeVisible();
  await expect(apis.byTestId('diff-view').locator('.monaco-diff-editor')).toBeVisible();
  await expect(apis.byTestId('history-rollback')).toHaveCount(0);
});

anonymous('a viewer reads a task record but is offered no replay and no cancel', async ({ page }) => {
  const funcId = await ensureGreeter();
  await client().callFunc({ params: { funcId }, body: { kwargs: { name: 'Viewer' } } });
  const [task] = await client().listTaskRecords({ query: { funcId } });
  if (!task) throw new Error(`no task record of ${funcId}`);
  const username = `taskviewer${Date.now()}`;
  await client().addUser({ body: { data: { username, name: 'Viewer', password: 'viewer-password', roles: ['readonlyUser'] } } });
  const signIn = new SignInPage(page);
  await signIn.open('/overview');
  await signIn.signIn(username, 'viewer-password');
  await expect(signIn.byTestId('page-title')).toHaveText('Overview');
  await signIn.open(`/tasks?id=${task.id}&task=${task.id}`);
  await expect(signIn.byTestId('task-detail-id')).toHaveText(task.id);
  await expect(signIn.byTestId('task-detail-result')).toContainText('Hello, ');
  // The editor hides its replay bar and run panel without general_w: the button would lead nowhere.
  await expect(signIn.byTestId('task-open-in-editor')).toHaveCount(0);
  await expect(signIn.byTestId('task-cancel')).toHaveCount(0);
});

test('the new-user form offers one role by its label, a viewer by default; a user stored with several roles keeps them', async ({ page }) => {
  const stamp = Date.now();
  const users = new EntityPage(page, 'users');
  await users.open('/overview');
  await users.goto();
  await users.startAdd();
  await expect(users.byTestId('users-form').getByText('Password *', { exact: true })).toBeVisible();
  const role = users.field('roles');
  await expect(role).toContainText('Administrator');
  await expect(role).toContainText('Developer');
  await expect(role).toContainText('Reads everything a developer reads, changes nothing');
  await expect(users.field('roles-readonlyUser')).toBeChecked();
  await expect(users.field('roles-user')).not.toBeChecked();
  await users.screenshot('new-user-form');
  await users.field('username').fill(`viewer${stamp}`);
  await users.field('name').fill('Viewer');
  await users.field('password').fill('viewer-password');
  await users.submit();
  await expect(users.byTestId('users-form')).toHaveCount(0);
  const byName = async (username: string): Promise<{ id: string; roles: string[] }> => {
    const found = (await client().listUsers({})).find((u) => u.username === username);
    if (!found) throw new Error(`no user ${username}`);
    return found;
  };
  const viewer = await byName(`viewer${stamp}`);
  expect(viewer.roles).toEqual(['readonlyUser']);
  await expect(users.row(viewer.id)).toContainText('Viewer');

  // Several roles add up; the form keeps them as stored until one role is chosen.
  const { id } = await client().addUser({ body: { data: { username: `mixed${stamp}`, name: 'Mixed', password: 'mixed-password', roles: ['user', 'readonlyUser'] } } });
  await page.reload();
  await users.byTestId(`users-edit-${id}`).click();
  await expect(page.getByRole('dialog')).toContainText(`Edit user mixed${stamp}`);
  // Editing, the password may be left empty (kept): not marked required.
  await expect(users.byTestId('users-form').getByText('Password', { exact: true })).toBeVisible();
  await expect(users.byTestId('users-form').getByText('Password *', { exact: true })).toHaveCount(0);
  await expect(users.field('roles-keep')).toBeChecked();
  await expect(users.field('roles')).toContainText('Keep as stored: Developer + Viewer');
  await users.field('name').fill('Mixed, renamed');
  await users.submit();
  await expect(users.row(id)).toContainText('Mixed, renamed');
  expect((await byName(`mixed${stamp}`)).roles).toEqual(['user', 'readonlyUser']);
  await users.byTestId(`users-edit-${id}`).click();
  await users.field('roles-readonlyUser').check();
  await users.submit();
  await expect(users.byTestId('users-form')).toHaveCount(0);
  expect((await byName(`mixed${stamp}`)).roles).toEqual(['readonlyUser']);
});
