/** The pages of issue 16's console: operation records, recover points, caches & stores, resources, Python packages, account. */
import { expect, type Locator } from '@playwright/test';
import { ConsolePage } from './console-page.js';

export class OperationRecordsPage extends ConsolePage {
  rows(operationId: string): Locator {
    return this.page.locator(`[data-testid^="operation-row-"][data-operation="${operationId}"]`);
  }
}

export class RecoverPointsPage extends ConsolePage {
  row(note: string): Locator {
    return this.page.locator(`[data-testid^="recover-point-"][data-note="${note}"]`);
  }

  async take(note: string): Promise<void> {
    await this.byTestId('recover-point-add').click();
    await this.byTestId('recover-point-note').fill(note);
    await this.byTestId('recover-point-add-confirm').click();
    await expect(this.byTestId('recover-point-add-dialog')).toBeHidden();
    await expect(this.row(note)).toBeVisible();
  }
}

export class ResourcesPage extends ConsolePage {
  entry(name: string): Locator {
    return this.byTestId(`resource-${name}`);
  }

  async named(action: 'mkdir' | `rename-${string}`, name: string): Promise<void> {
    await this.byTestId(`resource-${action}`).click();
    await this.byTestId('resource-name').fill(name);
    await this.byTestId('resource-name-confirm').click();
    await expect(this.byTestId('resource-name-dialog')).toHaveCount(0);
  }

  async upload(name: string, data: Buffer, mimeType = 'application/octet-stream'): Promise<void> {
    await this.byTestId('resource-upload-input').setInputFiles({ name, mimeType, buffer: data });
    await expect(this.byTestId('resources-notice')).toContainText(`Uploaded ${name}.`);
    await expect(this.entry(name)).toBeVisible();
  }
}
