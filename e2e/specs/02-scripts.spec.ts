import { expect, test } from '../support/fixtures.js';
import { ScriptsPage } from '../pages/scripts-page.js';
import { client } from '../support/stack.js';
import { publishScript } from '../../backend/src/testing/test-client.js';

const GOOD = `import time

@DFF.API('Add')
def add(a, b=2):
    print(f'adding {a} and {b}')
    return {'sum': a + b}
`;
const BROKEN_AT_6 = GOOD.replace("return {'sum': a + b}", "return {'sum': a + b + missing_name}");
const SLOW = GOOD.replace("print(f'adding", "time.sleep(3)\n    print(f'adding");
const SYNTAX_ERROR_AT_4 = GOOD.replace('def add(a, b=2):', 'def add(a, b=2:');

test.describe.configure({ mode: 'serial' });

test('write a script in Monaco, run it, see the traceback line, publish', async ({ page }) => {
  const scripts = new ScriptsPage(page);
  await scripts.open('/scripts');
  await expect(scripts.byTestId('scripts-empty')).toBeVisible();

  await scripts.createScriptSet('e2e');
  await scripts.createScript('e2e', 'calc');
  await expect(scripts.editor.locator('.monaco-editor')).toBeVisible();

  const completions = await scripts.completeDff();
  await expect(completions).toContainText('ENV');
  await expect(completions).toContainText('API');
  await page.keyboard.press('Escape');
  // Words of the text itself: Monaco's word-based completions, answered by its editor worker (a
  // worker that never starts leaves this list at "Loading..." for good).
  const words = await scripts.complete('\nhel', 'hello');
  await expect(words).not.toContainText('Loading');
  await page.keyboard.press('Escape');

  await scripts.replaceCode(GOOD);
  await scripts.saveWithShortcut();

  await scripts.pickFunction('add');
  await scripts.setKwargs('{"a": 40}');
  await scripts.byTestId('run-button').click();
  await expect(scripts.byTestId('run-status')).toHaveText('success');
  await expect(scripts.byTestId('run-result')).toContainText('"sum": 42');
  await expect(scripts.byTestId('run-logs')).toContainText('adding 40 and 2');
  await expect(scripts.byTestId('run-duration')).not.toHaveText('—');

  await scripts.replaceCode(BROKEN_AT_6);
  await scripts.runWithShortcut(); // saves, then runs
  await expect(scripts.byTestId('run-status')).toHaveText('failure');
  await expect(scripts.byTestId('run-traceback')).toContainText('NameError');
  await expect(scripts.editor).toHaveAttribute('data-error-line', '6');
  await expect(scripts.editor.locator('.monaco-error-line')).toBeVisible();
  await expect(scripts.byTestId('run-history')).toBeVisible();
  // A new run unmarks the last failure's line as it starts, not when it ends (the run takes 3 s).
  await scripts.replaceCode(SLOW);
  await scripts.runWithShortcut();
  await expect(scripts.editor).toHaveAttribute('data-error-line', '', { timeout: 1500 });
  await expect(scripts.byTestId('run-status')).toHaveText('success');

  await scripts.replaceCode(SYNTAX_ERROR_AT_4);
  await scripts.publish('broken');
  await expect(scripts.byTestId('publish-error')).toContainText(/line 4|SyntaxError|syntax/i);
  await expect(scripts.editor).toHaveAttribute('data-error-line', '4');
  await page.keyboard.press('Escape');
  await expect(scripts.byTestId('publish-error-banner')).toBeVisible();
  // Fixing the code takes the refusal's banner away (it named a line of the text refused).
  await scripts.replaceCode(GOOD);
  await expect(scripts.byTestId('publish-error-banner')).toBeHidden();

  await scripts.replaceCode(GOOD);
  await scripts.saveWithShortcut();
  await scripts.publish('first version');
  await expect(scripts.byTestId('publish-dialog')).toBeHidden();
  await expect(scripts.byTestId('script-version')).toHaveText('v1');
  await expect(scripts.editor).toHaveAttribute('data-error-line', '');
});

test('a draft saved elsewhere meanwhile opens the conflict view; keeping mine overwrites it', async ({ page }) => {
  const scripts = new ScriptsPage(page);
  await scripts.open('/scripts/e2e__calc');
  await expect(scripts.editor.locator('.monaco-editor')).toBeVisible();
  await client().modifyScript({ params: { id: 'e2e__calc' }, body: { data: { codeDraft: `${GOOD}# theirs\n` } } });

  await scripts.replaceCode(`${GOOD}# mine\n`);
  await expect(scripts.byTestId('conflict-dialog')).toBeVisible();
  await expect(scripts.byTestId('diff-view')).toContainText('theirs');
  // The changed line is marked on both sides (the diff is computed in Monaco's editor worker).
  await expect(scripts.byTestId('diff-view').locator('.line-delete').first()).toBeVisible();
  await expect(scripts.byTestId('diff-view').locator('.line-insert').first()).toBeVisible();
  await scripts.byTestId('conflict-keep-mine').click();
  await expect(scripts.byTestId('save-status')).toHaveAttribute('data-state', 'saved');
  const saved = await client().getScript({ params: { id: 'e2e__calc' } });
  expect(saved.codeDraft).toContain('# mine');
  expect(saved.codeDraft).not.toContain('# theirs');
});

const MULTI_LINE = `@DFF.API('Multiply')
def mul(
    a,
    b=2 * 3,
):
    return a * b

def helper(x=1):
    return x
`;

test("the run panel takes the saved draft's functions and arguments from the server, and says when it does not import", async ({ page }) => {
  await client().addScript({ body: { data: { id: 'e2e__disc', codeDraft: 'x = 1\n' } } });
  const scripts = new ScriptsPage(page);
  await scripts.open('/scripts/e2e__disc');
  await expect(scripts.editor.locator('.monaco-editor')).toBeVisible();

  await scripts.replaceCode(MULTI_LINE);
  await scripts.saveWithShortcut();
  await scripts.pickFunction('mul');
  // `b=2 * 3` is no literal: only Python (the server's discovery) knows it is 6.
  await expect(scripts.byTestId('run-kwargs')).toHaveValue(/"b": 6/);
  await expect(scripts.byTestId('run-func-select').locator('option')).toHaveText(['mul', 'helper (not exported)']);
  await scripts.setKwargs('{"a": 7}');
  await scripts.byTestId('run-button').click();
  await expect(scripts.byTestId('run-status')).toHaveText('success');
  await expect(scripts.byTestId('run-result')).toContainText('42');

  await scripts.replaceCode(`${MULTI_LINE}\nraise ValueError('not at import')\n`);
  await scripts.saveWithShortcut();
  await expect(scripts.byTestId('run-discover-error')).toContainText('ValueError: not at import (line 11)');
  await expect(scripts.byTestId('run-func-select').locator('option')).toHaveText(['mul', 'helper (not exported)']);
});

test('edits not saved yet are saved on leaving the script, and a reload asks first', async ({ page }) => {
  await client().addScript({ body: { data: { id: 'e2e__leave', codeDraft: 'x = 1\n' } } });
  const scripts = new ScriptsPage(page);
  await scripts.open('/scripts/e2e__leave');
  await expect(scripts.editor.locator('.monaco-editor')).toBeVisible();

  // Typed, then a reload at once: the page asks before leaving, and staying keeps the text.
  await scripts.typeAtEnd('\n# stays-on-reload');
  await expect(scripts.byTestId('save-status')).toHaveAttribute('data-state', 'dirty');
  const asked = page.waitForEvent('dialog');
  void page.reload().catch(() => undefined);
  const dialog = await asked;
  expect(dialog.type()).toBe('beforeunload');
  await dialog.dismiss();
  await expect(scripts.editor).toContainText('# stays-on-reload');

  // Typed, then another script at once (before the autosave's pause ends): the edit is saved anyway.
  await scripts.typeAtEnd('\n# saved-on-leave');
  await scripts.byTestId('tree-script-e2e__calc').click();
  await expect(scripts.byTestId('script-title')).toHaveText('e2e__calc');
  await expect.poll(async () => (await client().getScript({ params: { id: 'e2e__leave' } })).codeDraft).toContain('# saved-on-leave');
});

test('a save while the previous one is still on its way waits for it, and is not refused as a conflict', async ({ page }) => {
  await client().addScript({ body: { data: { id: 'e2e__queue', codeDraft: 'x = 1\n' } } });
  // Each save takes a second and a half to reach the server.
  await page.route('**/api/v1/scripts/e2e__queue/do/modify', async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  const scripts = new ScriptsPage(page);
  await scripts.open('/scripts/e2e__queue');
  await expect(scripts.editor.locator('.monaco-editor')).toBeVisible();
  await scripts.typeAtEnd('\n# first');
  await expect(scripts.byTestId('save-status')).toHaveAttribute('data-state', 'saving');
  // Typed while the autosave is on its way, then the script is left: the save on leaving follows it.
  await scripts.typeAtEnd('\n# second');
  await scripts.byTestId('tree-script-e2e__calc').click();
  await expect(scripts.byTestId('script-title')).toHaveText('e2e__calc');
  // Back at once, before those saves are answered: the editor shows the edits on their way, not the text
  // the script was first loaded with, and says when they are saved.
  await scripts.byTestId('tree-script-e2e__queue').click();
  await expect(scripts.byTestId('script-title')).toHaveText('e2e__queue');
  await expect(scripts.editor).toContainText('# second');
  await expect(scripts.byTestId('save-status')).toHaveAttribute('data-state', 'saving');
  await expect(scripts.byTestId('save-status')).toHaveAttribute('data-state', 'saved', { timeout: 10_000 });
  expect((await client().getScript({ params: { id: 'e2e__queue' } })).codeDraft).toContain('# second');
  // An edit then is saved after them, not refused as a conflict.
  await scripts.typeAtEnd('\n# third');
  await expect(scripts.byTestId('save-status')).toHaveAttribute('data-state', 'saved', { timeout: 10_000 });
  expect((await client().getScript({ params: { id: 'e2e__queue' } })).codeDraft).toContain('# third');
});

test('a save that fails once the script is left comes back with it, its edits kept', async ({ page }) => {
  await client().addScript({ body: { data: { id: 'e2e__lost', codeDraft: 'x = 1\n' } } });
  const scripts = new ScriptsPage(page);
  await scripts.open('/scripts/e2e__lost');
  await expect(scripts.editor.locator('.monaco-editor')).toBeVisible();
  // The network fails the save made on leaving.
  const modify = '**/api/v1/scripts/e2e__lost/do/modify';
  await page.route(modify, (route) => route.abort('connectionreset'));
  await scripts.typeAtEnd('\n# not-lost');
  const failed = page.waitForEvent('requestfailed', (r) => r.url().includes('/scripts/e2e__lost/do/modify'));
  await scripts.byTestId('tree-script-e2e__calc').click();
  await expect(scripts.byTestId('script-title')).toHaveText('e2e__calc');
  await failed;
  await page.unroute(modify);
  // Opened again: the edits are there, the failure is said, and saving again stores them.
  await scripts.byTestId('tree-script-e2e__lost').click();
  await expect(scripts.byTestId('script-title')).toHaveText('e2e__lost');
  await expect(scripts.editor).toContainText('# not-lost');
  await expect(scripts.byTestId('save-status')).toHaveAttribute('data-state', 'error');
  await expect(page.getByTestId('error-banner')).toBeVisible();
  expect((await client().getScript({ params: { id: 'e2e__lost' } })).codeDraft).toBe('x = 1\n');
  await scripts.byTestId('save-button').click();
  await expect(scripts.byTestId('save-status')).toHaveAttribute('data-state', 'saved');
  expect((await client().getScript({ params: { id: 'e2e__lost' } })).codeDraft).toContain('# not-lost');
});

test('a save on leaving refused as a conflict opens the conflict view when the script is opened again', async ({ page }) => {
  await client().addScript({ body: { data: { id: 'e2e__clash', codeDraft: 'x = 1\n' } } });
  const scripts = new ScriptsPage(page);
  await scripts.open('/scripts/e2e__clash');
  await expect(scripts.editor.locator('.monaco-editor')).toBeVisible();
  // The save made on leaving reaches the server after someone else saved the draft.
  const modify = '**/api/v1/scripts/e2e__clash/do/modify';
  let theirsSaved!: () => void;
  const theirs = new Promise<void>((r) => (theirsSaved = r));
  await page.route(modify, async (route) => {
    await theirs;
    await route.continue();
  });
  await scripts.typeAtEnd('\n# mine-on-leave');
  const answered = page.waitForResponse((r) => r.url().includes('/scripts/e2e__clash/do/modify'));
  await scripts.byTestId('tree-script-e2e__calc').click();
  await expect(scripts.byTestId('script-title')).toHaveText('e2e__calc');
  await client().modifyScript({ params: { id: 'e2e__clash' }, body: { data: { codeDraft: 'x = 1\n# theirs\n' } } });
  theirsSaved();
  expect((await answered).status()).toBe(409);
  await page.unroute(modify);
  await scripts.byTestId('tree-script-e2e__clash').click();
  await expect(scripts.byTestId('conflict-dialog')).toBeVisible();
  await expect(scripts.byTestId('diff-view')).toContainText('# theirs');
  await expect(scripts.byTestId('diff-view')).toContainText('# mine-on-leave');
  await scripts.byTestId('conflict-keep-mine').click();
  await expect(scripts.byTestId('save-status')).toHaveAttribute('data-state', 'saved');
  expect((await client().getScript({ params: { id: 'e2e__clash' } })).codeDraft).toContain('# mine-on-leave');
});

test('a diff closed while Monaco still computes it throws nothing', async ({ page }) => {
  // A large diff keeps the editor worker busy, so the diffs opened after it still wait for the
  // worker when they close (their texts were disposed under that wait: "no diff result available").
  const lines = Array.from({ length: 12000 }, (_, i) => `v${i} = ${(i * 7919) % 1000}`);
  await publishScript(client(), 'e2e__bigdiff', lines.join('\n'));
  const changed = lines.map((l, i) => (i % 2 ? l : `w${i} = ${(i * 104729) % 997}`)).join('\n');
  await client().modifyScript({ params: { id: 'e2e__bigdiff' }, body: { data: { codeDraft: changed } } });
  const scripts = new ScriptsPage(page);
  await scripts.open('/scripts/e2e__bigdiff');
  await expect(scripts.editor.locator('.monaco-editor')).toBeVisible();
  for (let i = 0; i < 4; i++) {
    await scripts.byTestId('publish-button').click();
    await expect(scripts.byTestId('diff-view')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(scripts.byTestId('diff-view')).toBeHidden();
  }
  // The last diff shown in full: its changes are marked (the computation still ends in a diff).
  await scripts.byTestId('publish-button').click();
  await expect(scripts.byTestId('diff-view').locator('.line-insert').first()).toBeVisible({ timeout: 20_000 });
  await page.keyboard.press('Escape');
});
