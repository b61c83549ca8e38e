import type { Locator } from '@playwright/test';
import { ConsolePage } from './console-page.js';

/** The topology page: graph tab (nodes by testid) and capacity planner tab. */
export class TopologyPage extends ConsolePage {
  get graph(): Locator {
    return this.byTestId('topology-graph');
  }

  unit(name: string): Locator {
    return this.byTestId(`topo-unit-${name}`);
  }

  queue(q: number): Locator {
    return this.byTestId(`topo-queue-${q}`);
  }

  /** A number shown in the graph or the planner. */
  async number(testId: string): Promise<number> {
    return Number((await this.byTestId(testId).innerText()).replace(/,/g, ''));
  }

  async openCapacity(): Promise<void> {
    await this.byTestId('topology-tab-capacity').click();
    await this.byTestId('capacity-table').waitFor();
  }

  async openGraph(): Promise<void> {
    await this.byTestId('topology-tab-graph').click();
    await this.graph.waitFor();
  }

  capacityCell(queue: number, column: 'samples' | 'mean' | 'p90' | 'load' | 'per-replica' | 'needed' | 'target' | 'target-replicas' | 'apply'): Locator {
    return this.byTestId(`capacity-${queue}-${column}`);
  }

  /** Preview of a change: wait for the dialog and answer its summary. */
  async preview(): Promise<string> {
    await this.byTestId('change-summary').waitFor();
    return this.byTestId('change-summary').innerText();
  }

  /** Apply the previewed change and wait until the swarm has converged. */
  async applyAndWait(timeout = 180_000): Promise<void> {
    await this.byTestId('change-apply').click();
    await this.byTestId('change-state').and(this.page.locator('[data-state="done"]')).waitFor({ timeout });
  }
}
