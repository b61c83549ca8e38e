/** Every page at 1280×800 and 1920×1080, light and dark, saved to test-results/screenshots/. */
import { expect, test } from '../support/fixtures.js';
import { ConsolePage } from '../pages/console-page.js';
import { ScriptsPage } from '../pages/scripts-page.js';
import { client } from '../support/stack.js';

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];
const THEMES = ['light', 'dark'] as const;
const ENTITY_PAGES = ['sync-apis', 'async-apis', 'cron-jobs', 'api-auth', 'env-variables', 'access-keys', 'users'];

test.beforeAll(async () => {
  const api = client();
  if ((await api.listEnvVariables({})).length === 0) {
    await api.addEnvVariable({ body: { data: { id: 'API_URL', autoTypeCasting: 'string', valueTEXT: 'https://example.com/v1', title: 'Upstream API' } } });
    await api.addEnvVariable({ body: { data: { id: 'API_TOKEN', autoTypeCasting: 'password', valueTEXT: 's3cret', title: 'Upstream token' } } });
    await api.addAccessKey({ body: { data: { title: 'CI pipeline' } } });
  }
});

for (const viewport of VIEWPORTS) {
  for (const theme of THEMES) {
    test(`screenshots ${viewport.width}x${viewport.height} ${theme}`, async ({ page }) => {
      await page.setViewportSize(viewport);
      await page.addInitScript(`localStorage.setItem('func.theme', '${theme}')`);
      const p = new ConsolePage(page);
      const shot = (name: string): Promise<void> => p.screenshot(`${name}-${theme}`);

      await p.open('/overview');
      await expect(p.byTestId('queue-table')).toBeVisible();
      await expect(p.byTestId('live-indicator')).toHaveAttribute('data-live', 'true');
      await shot('overview');

      const scripts = new ScriptsPage(page);
      await scripts.open('/scripts/demo__basics');
      await expect(scripts.editor.locator('.monaco-editor')).toBeVisible();
      await scripts.pickFunction('chatty');
      await scripts.byTestId('run-button').click();
      await expect(scripts.byTestId('run-status')).toHaveText('success');
      await shot('scripts');
      await scripts.byTestId('publish-button').click();
      await expect(scripts.byTestId('diff-view').locator('.monaco-diff-editor')).toBeVisible();
      await shot('publish-dialog');
      await page.keyboard.press('Escape');

      await p.open('/tasks');
      const first = page.locator('[data-testid^="task-row-"]').first();
      await first.click();
      await expect(p.byTestId('task-detail')).toBeVisible();
      await shot('tasks');

      for (const entity of ENTITY_PAGES) {
        await p.nav(entity);
        await expect(p.byTestId(`${entity}-page`)).toBeVisible();
        await expect(p.byTestId('loading')).toHaveCount(0);
        await shot(entity);
      }
      await p.nav('sync-apis');
      await p.byTestId('sync-apis-add').click();
      await expect(p.byTestId('sync-apis-form')).toBeVisible();
      await shot('sync-api-form');
      await page.keyboard.press('Escape');
      await p.nav('api-auth');
      await p.byTestId('api-auth-add').click();
      await expect(p.byTestId('api-auth-form')).toBeVisible();
      await shot('api-auth-form');
      await page.keyboard.press('Escape');

      // A signed-out page (signing out here would revoke the token the other specs share).
      await page.evaluate("localStorage.removeItem('func.profiles')");
      await p.open('/sign-in');
      await expect(p.byTestId('sign-in-form')).toBeVisible();
      await shot('sign-in');
    });
  }
}
