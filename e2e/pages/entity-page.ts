/** Any entity page (sync APIs, cron jobs, …): add through the form, act on rows. */
import { expect, type Locator } from '@playwright/test';
import { ConsolePage } from './console-page.js';

export class EntityPage extends ConsolePage {
  constructor(
    page: ConsolePage['page'],
    readonly path: string,
  ) {
    super(page);
  }

  async goto(): Promise<void> {
    await this.nav(this.path);
    await expect(this.byTestId(`${this.path}-page`)).toBeVisible();
  }

  field(name: string): Locator {
    return this.byTestId(`${this.path}-field-${name}`);
  }

  async startAdd(): Promise<void> {
    await this.byTestId(`${this.path}-add`).click();
  }

  async submit(): Promise<void> {
    await this.byTestId(`${this.path}-submit`).click();
  }

  row(id: string): Locator {
    return this.byTestId(`${this.path}-row-${id}`);
  }
}
