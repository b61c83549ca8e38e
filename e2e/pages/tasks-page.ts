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

  /** The dead letters tab, its list loaded (rows or the empty state). */
  async openDeadLetters(): Promise<void> {
    await this.byTestId('tasks-tab-dead-letters').click();
    await expect(this.byTestId('tasks-tab-dead-letters')).toHaveAttribute('aria-selected', 'true');
    await expect(this.byTestId('dead-letters-list').or(this.byTestId('dead-letters-empty'))).toBeVisible();
  }

  deadLetter(taskId: string): Locator {
    return this.byTestId(`dead-letter-row-${taskId}`);
  }

  /** "Record" of a dead letter: its task record in the detail pane. */
  async openDeadLetterRecord(taskId: string): Promise<void> {
    await this.byTestId(`dead-letter-open-${taskId}`).click();
    await expect(this.byTestId('task-detail-id')).toHaveText(taskId);
  }
}
