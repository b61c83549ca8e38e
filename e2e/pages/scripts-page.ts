/** The scripts page: tree, Monaco editor, run panel, publish. */
import { expect, type Locator } from '@playwright/test';
import { ConsolePage } from './console-page.js';

export class ScriptsPage extends ConsolePage {
  async createScriptSet(id: string): Promise<void> {
    await this.byTestId('new-script-set').click();
    await this.byTestId('script-set-id').fill(id);
    await this.byTestId('script-set-submit').click();
    await expect(this.byTestId('new-script-set-dialog')).toBeHidden();
  }

  async createScript(setId: string, name: string): Promise<void> {
    await this.byTestId(`new-script-in-${setId}`).click();
    await this.byTestId('script-name').fill(name);
    await this.byTestId('script-submit').click();
    await expect(this.byTestId('script-title')).toHaveText(`${setId}__${name}`);
  }

  get editor(): Locator {
    return this.byTestId('code-editor');
  }

  /**
   * Replaces the whole text in Monaco the way a user pastes it: select all, paste from the
   * clipboard (typing multi-line Python key by key would fight Monaco's auto-indent).
   */
  async replaceCode(code: string): Promise<void> {
    await this.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await this.page.evaluate(`navigator.clipboard.writeText(${JSON.stringify(code)})`);
    await this.editor.locator('.monaco-editor .view-lines').click();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.press('ControlOrMeta+V');
  }

  /** Types `DFF.` at the end of the text and returns the completion widget. */
  async completeDff(): Promise<Locator> {
    return this.complete('\nDFF.', 'ENV');
  }

  /** Types `text` at the end and returns the completion widget once it offers `expected`. */
  async complete(text: string, expected: string): Promise<Locator> {
    await this.typeAtEnd(text);
    const widget = this.page.locator('.suggest-widget');
    // Typing "." triggers it; asking explicitly (Ctrl+Space) as well keeps this independent of timing.
    // Keys typed while Monaco is still starting (its language and worker load with the editor) can be
    // lost (a fresh run once got "D." for "DFF."): a line without what was typed is typed again. The
    // line itself is compared, not the whole text: the new script's example already holds "@DFF.API".
    const typed = text.split('\n').pop()!;
    await expect(async () => {
      const lines = await this.editor.locator('.view-line').allTextContents();
      if (!lines.some((l) => l.replace(/\u00a0/g, ' ').trim() === typed.trim())) {
        await this.page.keyboard.press('Escape');
        await this.page.keyboard.press('Home');
        await this.page.keyboard.press('Shift+End');
        await this.page.keyboard.type(typed);
      }
      if (!(await widget.isVisible())) await this.page.keyboard.press('Control+Space');
      await expect(widget).toContainText(expected, { timeout: 3000 });
    }).toPass({ timeout: 30_000 });
    return widget;
  }

  async typeAtEnd(text: string): Promise<void> {
    await this.editor.locator('.monaco-editor .view-lines').click();
    await this.page.keyboard.press('ControlOrMeta+End');
    await this.page.keyboard.type(text);
  }

  async saveWithShortcut(): Promise<void> {
    await this.page.keyboard.press('ControlOrMeta+S');
    await expect(this.byTestId('save-status')).toHaveAttribute('data-state', 'saved');
  }

  async pickFunction(name: string): Promise<void> {
    await this.byTestId('run-func-select').selectOption(name);
  }

  async setKwargs(json: string): Promise<void> {
    await this.byTestId('run-kwargs').fill(json);
  }

  async runWithShortcut(): Promise<void> {
    await this.editor.locator('.monaco-editor .view-lines').click();
    await this.page.keyboard.press('ControlOrMeta+Enter');
  }

  async publish(note: string): Promise<void> {
    await this.byTestId('publish-button').click();
    await expect(this.byTestId('diff-view')).toBeVisible();
    await this.byTestId('publish-note').fill(note);
    await this.byTestId('publish-submit').click();
  }

  /** Clicks "Export" on a script set and saves the browser download to `path`. */
  async exportSet(setId: string, path: string): Promise<string> {
    const download = this.page.waitForEvent('download');
    await this.byTestId(`export-set-${setId}`).click();
    const file = await download;
    await file.saveAs(path);
    return file.suggestedFilename();
  }

  /** Opens the import dialog and chooses `path` in its file input; the preview shows the set. */
  async chooseImportFile(path: string, setId: string): Promise<void> {
    await this.byTestId('import-script-set').click();
    await this.byTestId('import-file').setInputFiles(path);
    await expect(this.byTestId('import-set-id')).toHaveText(setId);
  }

  /**
   * Exports `setIds` as DataFlux Func's .zip from the toolbar's dialog (with their sync APIs when
   * asked, and a note), saves the download at `path` and answers its suggested name.
   */
  async exportArchive(setIds: string[], path: string, options: { syncAPIs?: boolean; note?: string; beforeSubmit?: () => Promise<void> } = {}): Promise<string> {
    await this.byTestId('export-archive').click();
    for (const id of setIds) await this.byTestId(`export-archive-set-${id}`).check();
    if (options.syncAPIs) await this.byTestId('export-archive-sync-apis').check();
    if (options.note) await this.byTestId('export-archive-note').fill(options.note);
    await options.beforeSubmit?.();
    const download = this.page.waitForEvent('download');
    await this.byTestId('export-archive-submit').click();
    const file = await download;
    await file.saveAs(path);
    await expect(this.byTestId('export-archive-dialog')).toBeHidden();
    return file.suggestedFilename();
  }

  /** Opens the import dialog and chooses the archive at `path`: the server's check-only preview shows. */
  async chooseArchive(path: string): Promise<void> {
    await this.byTestId('import-script-set').click();
    await this.byTestId('import-file').setInputFiles(path);
    await expect(this.byTestId('archive-preview')).toBeVisible();
  }

  async confirmImport(options: { publish: boolean; overwrite: boolean }): Promise<void> {
    await this.byTestId('import-publish').setChecked(options.publish);
    await this.byTestId('import-overwrite').setChecked(options.overwrite);
    await this.byTestId('import-submit').click();
  }
}
