/** The stack switcher in the sidebar and its "add a remote stack" dialog. */
import { expect, type Locator } from '@playwright/test';
import { ConsolePage } from './console-page.js';

export interface RemoteStack {
  name: string;
  url: string;
  keyId: string;
  secret: string;
}

export class StackSwitcher extends ConsolePage {
  get dialog(): Locator {
    return this.byTestId('remote-dialog');
  }

  async addRemote(stack: RemoteStack): Promise<void> {
    await this.byTestId('stack-switcher').selectOption('__add');
    await expect(this.dialog).toBeVisible();
    await this.byTestId('remote-name').fill(stack.name);
    await this.byTestId('remote-url').fill(stack.url);
    await this.byTestId('remote-ak-id').fill(stack.keyId);
    await this.byTestId('remote-ak-secret').fill(stack.secret);
    await this.byTestId('remote-connect').click();
  }

  async expectConnected(name: string): Promise<void> {
    await expect(this.dialog).toBeHidden();
    await expect(this.byTestId('stack-switcher').locator('option:checked')).toHaveText(new RegExp(name));
  }

  async expectError(text: RegExp): Promise<void> {
    await expect(this.dialog.getByTestId('error-banner')).toContainText(text);
  }
}
