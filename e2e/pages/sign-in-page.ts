import { expect } from '@playwright/test';
import { ConsolePage } from './console-page.js';

export class SignInPage extends ConsolePage {
  async signIn(username: string, password: string): Promise<void> {
    await this.open('/sign-in');
    await this.byTestId('sign-in-username').fill(username);
    await this.byTestId('sign-in-password').fill(password);
    await this.byTestId('sign-in-submit').click();
  }

  async expectError(text: RegExp): Promise<void> {
    await expect(this.byTestId('error-banner')).toContainText(text);
  }
}
