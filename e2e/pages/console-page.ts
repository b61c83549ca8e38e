/** Base of every page object: navigation inside the console and screenshots. */
import type { Locator, Page } from '@playwright/test';
import { stack } from '../support/stack.js';

export const SCREENSHOT_DIR = 'test-results/screenshots';

export class ConsolePage {
  constructor(readonly page: Page) {}

  async open(path: string): Promise<void> {
    await this.page.goto(`${stack().url}${path}`);
  }

  byTestId(id: string): Locator {
    return this.page.getByTestId(id);
  }

  async nav(to: string): Promise<void> {
    await this.byTestId(`nav-${to}`).click();
  }

  async screenshot(name: string): Promise<void> {
    const { width } = this.page.viewportSize() ?? { width: 0 };
    await this.page.screenshot({ path: `${SCREENSHOT_DIR}/${name}-${width}.png` });
  }
}
