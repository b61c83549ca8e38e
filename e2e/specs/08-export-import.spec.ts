import { expect, test } from '../support/fixtures.js';
import { ScriptsPage } from '../pages/scripts-page.js';
import { publishScript } from '../../backend/src/testing/test-client.js';
import { client } from '../support/stack.js';

const CODE = `@DFF.API('Triple')
def triple(x=1):
    return {'tripled': x * 3}
`;

test('export a script set to a file, delete it, import the file with publish, run a function', async ({ page }, testInfo) => {
  const api = client();
  await api.addScriptSet({ body: { data: { id: 'e2ebundle', title: 'Bundle' } } });
  await publishScript(api, 'e2ebundle__calc', CODE);
  await api.addScript({ body: { data: { id: 'e2ebundle__notes', codeDraft: '# only a draft\n' } } });

  const scripts = new ScriptsPage(page);
  await scripts.open('/scripts');
  await expect(scripts.byTestId('tree-script-e2ebundle__calc')).toBeVisible();
  await expect(scripts.byTestId('open-logs-folder')).toHaveCount(0); // desktop only
  const file = testInfo.outputPath('e2ebundle.json');
  expect(await scripts.exportSet('e2ebundle', file)).toBe('e2ebundle.func-script-set.json');

  await api.deleteScriptSet({ params: { id: 'e2ebundle' } });
  await page.reload();
  await expect(scripts.byTestId('script-tree')).toBeVisible();
  await expect(scripts.byTestId('tree-script-e2ebundle__calc')).toBeHidden();

  await scripts.chooseImportFile(file, 'e2ebundle');
  await expect(scripts.byTestId('import-script-e2ebundle__calc')).toContainText('published');
  await expect(scripts.byTestId('import-script-e2ebundle__notes')).toContainText('draft only');
  await scripts.confirmImport({ publish: true, overwrite: false });
  await expect(scripts.byTestId('import-dialog')).toBeHidden();
  await expect(scripts.byTestId('tree-script-e2ebundle__calc')).toContainText('v1');
  await expect(scripts.byTestId('tree-script-e2ebundle__notes')).toBeVisible();

  // The same file again without overwrite: the server's 409 is shown in the dialog.
  await scripts.chooseImportFile(file, 'e2ebundle');
  await scripts.confirmImport({ publish: false, overwrite: false });
  await expect(scripts.byTestId('import-dialog').getByTestId('error-banner')).toContainText('exists already');
  await page.keyboard.press('Escape');
  await expect(scripts.byTestId('import-dialog')).toBeHidden();

  await scripts.byTestId('tree-script-e2ebundle__calc').click();
  await scripts.pickFunction('triple');
  await scripts.setKwargs('{"x": 14}');
  await scripts.byTestId('run-button').click();
  await expect(scripts.byTestId('run-status')).toHaveText('success');
  await expect(scripts.byTestId('run-result')).toContainText('"tripled": 42');
});

/**
 * A stand-in for the Electron preload's desktop surface (same shape), keeping the saved file and the
 * logs-folder clicks in sessionStorage. Page source as text: the e2e project has no DOM types.
 */
const FAKE_DESKTOP_SURFACE = `window.funcDesktop = {
  version: 1,
  desktop: {
    listProfiles: async () => [],
    saveFile: async (defaultName, content) => { sessionStorage.setItem('saved', JSON.stringify({ defaultName, content })); return { saved: true }; },
    openFile: async () => { const s = JSON.parse(sessionStorage.getItem('saved') || 'null'); return s && { name: s.defaultName, content: s.content }; },
    openLogsFolder: async () => { sessionStorage.setItem('logs', String(Number(sessionStorage.getItem('logs') || 0) + 1)); return null; },
  },
};`;

test('in the desktop app: export and import go through the desktop surface, the logs folder item shows', async ({ page }) => {
  const api = client();
  await api.addScriptSet({ body: { data: { id: 'e2edesk' } } });
  await api.addScript({ body: { data: { id: 'e2edesk__calc', codeDraft: CODE } } });
  await page.addInitScript({ content: FAKE_DESKTOP_SURFACE });
  const scripts = new ScriptsPage(page);
  await scripts.open('/scripts');

  await scripts.byTestId('open-logs-folder').click();
  await expect.poll(() => page.evaluate<string | null>("sessionStorage.getItem('logs')")).toBe('1');

  await scripts.byTestId('export-set-e2edesk').click();
  await expect.poll(() => page.evaluate<string | undefined>("JSON.parse(sessionStorage.getItem('saved') || '{}').defaultName")).toBe('e2edesk.func-script-set.json');

  await api.deleteScriptSet({ params: { id: 'e2edesk' } });
  await page.reload();
  await expect(scripts.byTestId('script-tree')).toBeVisible();
  await expect(scripts.byTestId('tree-script-e2edesk__calc')).toBeHidden();
  await scripts.byTestId('import-script-set').click();
  await expect(scripts.byTestId('import-file')).toHaveCount(0);
  await scripts.byTestId('import-choose').click();
  await expect(scripts.byTestId('import-script-e2edesk__calc')).toContainText('draft only');
  await scripts.confirmImport({ publish: true, overwrite: false });
  await expect(scripts.byTestId('import-dialog')).toBeHidden();
  await expect(scripts.byTestId('tree-script-e2edesk__calc')).toContainText('v1');
});
