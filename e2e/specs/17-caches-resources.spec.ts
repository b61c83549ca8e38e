/**
 * What scripts keep and read, in the console (issue 16): DFF.CACHE and DFF.STORE entries written
 * by a real function, browsed by key, their values shown, deleted; the resources folder: new
 * folder, upload, download (the same bytes), rename, zip and unzip, delete; a file service on a
 * folder, its public URL serving the uploaded file to anyone.
 */
import { readFile } from 'node:fs/promises';
import { expect, test } from '../support/fixtures.js';
import { client, stack } from '../support/stack.js';
import { publishScript } from '../../backend/src/testing/test-client.js';
import { ResourcesPage } from '../pages/admin-pages.js';
import { EntityPage } from '../pages/entity-page.js';

const stamp = Date.now();
const KEEPER = `@DFF.API('Keep')
def keep():
    DFF.CACHE.set('e2e-cache-${stamp}', 'cached value ${stamp}', expires=3600)
    DFF.STORE.set('e2e-store-${stamp}', {'kept': ${stamp}, 'list': [1, 2, 3]})
    return 'kept'
`;

test('DFF.CACHE and DFF.STORE entries: browse by key, view the value, delete', async ({ page }) => {
  const api = client();
  await publishScript(api, `keeper${stamp}__main`, KEEPER);
  await api.callFunc({ params: { funcId: `keeper${stamp}__main.keep` }, body: { kwargs: {} } });

  const data = new ResourcesPage(page);
  await data.open('/overview');
  await data.nav('func-data');
  await expect(data.byTestId('page-title')).toHaveText('Caches & stores');
  await data.byTestId('filter-key').fill(`e2e-cache-${stamp}`);
  const cacheRow = page.locator(`[data-testid="func-cache-row"][data-key="e2e-cache-${stamp}"]`);
  await expect(cacheRow).toHaveCount(1);
  await expect(cacheRow).toContainText('string');
  await cacheRow.click();
  await expect(data.byTestId('func-cache-value')).toHaveText(`cached value ${stamp}`);
  await data.screenshot('func-caches');
  await data.byTestId('func-cache-detail-delete').click();
  await data.byTestId('func-data-delete-confirm').click();
  await expect(data.byTestId('func-caches-empty')).toBeVisible();
  expect(await api.listFuncCaches({ query: { key: `e2e-cache-${stamp}` } })).toEqual([]);

  await data.byTestId('func-data-tab-stores').click();
  await expect(page).toHaveURL(/tab=stores/);
  await data.byTestId('filter-key').fill(`e2e-store-${stamp}`);
  const storeRow = page.locator(`[data-testid="func-store-row"][data-key="e2e-store-${stamp}"]`);
  await storeRow.click();
  const value = data.byTestId('func-store-value');
  await expect(value).toContainText(`"kept": ${stamp}`);
  await expect(value).toContainText('"list"');
  await data.screenshot('func-stores');
  await data.byTestId('func-store-detail-delete').click();
  await data.byTestId('func-data-delete-confirm').click();
  await expect(data.byTestId('func-stores-empty')).toBeVisible();
  expect(await api.listFuncStores({ query: { key: `e2e-store-${stamp}` } })).toEqual([]);
});

test('resources: new folder, upload, download, rename, zip, unzip, delete; a file service serves the folder', async ({ page }) => {
  const folder = `e2e-${stamp}`;
  const res = new ResourcesPage(page);
  await res.open('/overview');
  await res.nav('resources');
  await expect(res.byTestId('page-title')).toHaveText('Resources');
  await res.named('mkdir', folder);
  // A name the server refuses: its message at the Name field, without the request path, and no banner.
  await res.byTestId('resource-mkdir').click();
  await res.byTestId('resource-name').fill(folder);
  await res.byTestId('resource-name-confirm').click();
  await expect(res.byTestId('resource-name-error')).toHaveText(`exists already: /${folder}`);
  await expect(res.byTestId('resource-name-dialog').getByTestId('error-banner')).toHaveCount(0);
  await res.byTestId('resource-name-dialog').getByRole('button', { name: 'Cancel' }).click();
  await res.byTestId(`resource-open-${folder}`).click();
  await expect(page).toHaveURL(new RegExp(`folder=%2F${folder}`));
  await expect(res.byTestId('resource-folder')).toHaveText(folder);
  await expect(res.byTestId('resources-empty')).toBeVisible();

  const bytes = Buffer.from(`report ${stamp}\n\u00e9\u0000binary`, 'utf8');
  await res.upload('report.txt', bytes, 'text/plain');
  await expect(res.entry('report.txt')).toContainText(`${bytes.length} B`);

  const [download] = await Promise.all([page.waitForEvent('download'), res.byTestId('resource-download-report.txt').click()]);
  expect(download.suggestedFilename()).toBe('report.txt');
  expect((await readFile(await download.path())).equals(bytes)).toBe(true);

  await res.named('rename-report.txt', 'renamed.txt');
  await expect(res.entry('renamed.txt')).toBeVisible();
  await expect(res.entry('report.txt')).toHaveCount(0);

  // Zip the folder from its parent, then unzip it beside it.
  await res.byTestId('resource-crumbs').getByRole('button', { name: 'resources' }).click();
  await res.byTestId(`resource-zip-${folder}`).click();
  await expect(res.entry(`${folder}.zip`)).toBeVisible();
  await res.named(`rename-${folder}`, `${folder}-orig`);
  await res.byTestId(`resource-unzip-${folder}.zip`).click();
  await expect(res.byTestId('resources-notice')).toContainText(`Unzipped ${folder}.zip`);
  // The archive holds the folder itself: unzipped, it is inside a folder of the archive's name.
  await res.byTestId(`resource-open-${folder}`).click();
  await res.byTestId(`resource-open-${folder}`).click();
  await expect(res.byTestId('resource-crumbs')).toContainText(`${folder}/${folder}`);
  await expect(res.entry('renamed.txt')).toContainText(`${bytes.length} B`);
  await res.screenshot('resources');

  // Delete the copy, then the archive.
  await res.byTestId('resource-crumbs').getByRole('button', { name: 'resources' }).click();
  for (const name of [folder, `${folder}.zip`]) {
    await res.byTestId(`resource-delete-${name}`).click();
    await res.byTestId('resource-delete-dialog-confirm').click();
    await expect(res.entry(name)).toHaveCount(0);
  }

  // A file service on the remaining folder: its public URL answers without any credential.
  const services = new EntityPage(page, 'file-services');
  await services.goto();
  await services.startAdd();
  await services.field('id').fill(`fs${stamp}`);
  await services.field('root').fill(`/${folder}-orig`);
  await services.submit();
  const link = res.byTestId(`file-service-url-fs${stamp}`);
  await expect(link).toHaveText(`/api/v1/fs/fs${stamp}/`);
  await services.screenshot('file-services');
  const served = await fetch(`${stack().url}/api/v1/fs/fs${stamp}/renamed.txt`);
  expect(served.status).toBe(200);
  expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
});
