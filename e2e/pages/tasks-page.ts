import { expect, type Locator } from '@playwright/test';
import { ConsolePage } from './console-page.js';

export class TasksPage extends ConsolePage {
  async filterByFunc(funcId: string): Promise<void> {
    await this.byTestId('filter-func').fill(funcId);
  }

  rowsFor(funcId: string): Locator {
    return this.page.locator(`[data-testid^="task-row-"][data-func="${funcId}"]`);
  }

  async openFirst(funcId: string): Promise<void> {
    await this.rowsFor(funcId).first().click();
    await expect(this.byTestId('task-detail')).toBeVisible();
  }
}
