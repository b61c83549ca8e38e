/**
 * DataFlux Func's script-set archive through the console: two sets (one importing the other) and
 * a sync API exported as one .zip from the Scripts toolbar, deleted through the API, the .zip
 * imported in the import dialog (the server's check-only preview, an expired confirm refused with
 * the server's message and checked again, the confirm), then the sets published and their
 * functions answering again.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '../support/fixtures.js';
import { ScriptsPage } from '../pages/scripts-page.js';
import { SCREENSHOT_DIR } from '../pages/console-page.js';
import { publishScript } from '../../backend/src/testing/test-client.js';
import { client, stack } from '../support/stack.js';

const UTIL = `RATE = 3
`;
const MAIN = `import e2ezipa__util

@DFF.API('Triple')
def triple(x=1):
    return {'tripled': int(x) * e2ezipa__util.RATE}
`;
/** The page in light then dark (the theme's class on <html>, as the toggle sets it: the sidebar is inert under a dialog), back to light. */
async function shots(scripts: ScriptsPage, name: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await scripts.page.evaluate(`document.documentElement.classList.toggle('dark', ${theme === 'dark'})`);
    // Transitions finished at once: the buttons' colour transition would be caught half-way.
    await scripts.page.screenshot({ path: `${SCREENSHOT_DIR}/${name}-${theme}-1280.png`, animations: 'disabled' });
  }
  await scripts.page.evaluate("document.documentElement.classList.toggle('dark', false)");
}

const TOOLS = `@DFF.API('Shout')
def shout(text='hi'):
    return text.upper()
`;

test('export two sets as a DataFlux Func .zip, delete them, import the .zip with its preview and confirm, call their functions', async ({ page }, testInfo) => {
  const api = client();
  await api.addScriptSet({ body: { data: { id: 'e2ezipa', title: 'Zip A', requirements: 'six==1.16.0' } } });
  await publishScript(api, 'e2ezipa__util', UTIL);
  await publishScript(api, 'e2ezipa__main', MAIN);
  await publishScript(api, 'e2ezipb__tools', TOOLS);
  await api.addSyncApi({ body: { data: { id: 'e2ezip-triple', funcId: 'e2ezipa__main.triple', funcCallKwargsJSON: { x: 'INPUT_BY_CALLER' } } } });
  const call = async (): Promise<unknown> => (await fetch(`${stack().url}/api/v1/sync/e2ezip-triple/simplified?x=14`)).json();
  expect(await call()).toEqual({ tripled: 42 });

  const scripts = new ScriptsPage(page);
  await scripts.open('/scripts');
  await expect(scripts.byTestId('tree-script-e2ezipb__tools')).toBeVisible();
  const zip = testInfo.outputPath('archive.zip');
  const name = await scripts.exportArchive(['e2ezipa', 'e2ezipb'], zip, { syncAPIs: true, note: 'Moving e2ezip over', beforeSubmit: () => shots(scripts, 'archive-export') });
  expect(name).toMatch(/^dataflux-func-\d{8}_\d{6}\.zip$/);
  expect([...readFileSync(zip).subarray(0, 2)]).toEqual([0x50, 0x4b]);

  await api.deleteSyncApi({ params: { id: 'e2ezip-triple' } });
  await api.deleteScriptSet({ params: { id: 'e2ezipa' } });
  await api.deleteScriptSet({ params: { id: 'e2ezipb' } });
  expect(await api.listScriptSets({ query: { id: 'e2ezipa,e2ezipb' } })).toEqual([]);
  await page.reload();
  await expect(scripts.byTestId('script-tree')).toBeVisible();
  await expect(scripts.byTestId('tree-script-e2ezipa__main')).toBeHidden();

  await scripts.chooseArchive(zip);
  const preview = scripts.byTestId('archive-preview');
  await expect(preview.getByTestId('archive-note')).toHaveText('Moving e2ezip over');
  await expect(preview.getByTestId('archive-diff-scriptSets-e2ezipa')).toContainText('Zip A');
  await expect(preview.getByTestId('archive-diff-scriptSets-e2ezipa')).toContainText('add');
  await expect(preview.getByTestId('archive-diff-scriptSets-e2ezipb')).toContainText('add');
  await expect(preview.getByTestId('archive-diff-syncAPIs-e2ezip-triple')).toContainText('e2ezipa__main.triple');
  await expect(preview.getByTestId('archive-diff-syncAPIs-e2ezip-triple')).toContainText('add');
  // The check changed nothing.
  expect(await api.listScriptSets({ query: { id: 'e2ezipa,e2ezipb' } })).toEqual([]);
  await shots(scripts, 'archive-preview');

  // A confirm the server no longer has staged (as after its 900 s): its 403 and message in the dialog, "Retry" checks the file anew.
  await page.route('**/api/v1/script-sets/do/confirm-import', (route) => route.continue({ postData: JSON.stringify({ confirmId: 'import-expired' }) }));
  await scripts.byTestId('archive-confirm').click();
  const banner = scripts.byTestId('import-dialog').getByTestId('error-banner');
  await expect(banner).toContainText('no import is staged under import-expired');
  await shots(scripts, 'archive-expired');
  await page.unroute('**/api/v1/script-sets/do/confirm-import');
  expect(await api.listScriptSets({ query: { id: 'e2ezipa,e2ezipb' } })).toEqual([]);
  await banner.getByRole('button', { name: 'Retry' }).click();
  await expect(scripts.byTestId('error-banner')).toBeHidden();
  await expect(preview.getByTestId('archive-diff-scriptSets-e2ezipa')).toContainText('add');

  await scripts.byTestId('archive-confirm').click();
  await expect(scripts.byTestId('archive-imported')).toContainText('Imported 2 script sets, 1 sync API from archive.zip');
  await expect(scripts.byTestId('archive-requirements')).toContainText('six==1.16.0');
  await shots(scripts, 'archive-imported');
  await scripts.byTestId('archive-done').click();
  await expect(scripts.byTestId('import-dialog')).toBeHidden();
  await expect(scripts.byTestId('tree-script-e2ezipa__main')).toContainText('v1');
  await expect(scripts.byTestId('tree-script-e2ezipa__util')).toContainText('v1');
  await expect(scripts.byTestId('tree-script-e2ezipb__tools')).toContainText('v1');

  expect(await call()).toEqual({ tripled: 42 });
  expect(await api.callFunc({ params: { funcId: 'e2ezipb__tools.shout' }, body: { kwargs: { text: 'back' } } })).toEqual({ result: 'BACK' });

  // The same archive again: now every row replaces.
  await scripts.chooseArchive(zip);
  await expect(preview.getByTestId('archive-diff-scriptSets-e2ezipa')).toContainText('replace');
  await expect(preview.getByTestId('archive-diff-syncAPIs-e2ezip-triple')).toContainText('replace');
  await scripts.byTestId('import-cancel').click();
  await expect(scripts.byTestId('import-dialog')).toBeHidden();
});
