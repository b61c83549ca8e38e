import type { Locator } from '@playwright/test';
import { ConsolePage } from './console-page.js';

export class OverviewPage extends ConsolePage {
  get waiting(): Locator {
    return this.byTestId('overview-total-length');
  }

  get running(): Locator {
    return this.byTestId('overview-total-inflight');
  }

  get done(): Locator {
    return this.byTestId('overview-total-done');
  }

  async number(l: Locator): Promise<number> {
    return Number(await l.innerText());
  }
}
