import { expect, test } from '../support/fixtures.js';
import { OverviewPage } from '../pages/overview-page.js';
import { stack } from '../support/stack.js';

test('queue numbers on the overview move while tasks run', async ({ page }) => {
  const overview = new OverviewPage(page);
  await overview.open('/overview');
  await expect(overview.byTestId('live-indicator')).toHaveAttribute('data-live', 'true');
  const doneBefore = await overview.number(overview.done);

  const { url, token } = stack();
  const calls = Array.from({ length: 4 }, () =>
    fetch(`${url}/api/v1/func/demo__basics.slow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-dff-auth-token': token },
      body: JSON.stringify({ kwargs: { seconds: 1 }, options: { async: true } }),
    }),
  );
  await Promise.all(calls);

  await expect.poll(async () => (await overview.number(overview.running)) + (await overview.number(overview.waiting)), { timeout: 10_000 }).toBeGreaterThan(0);
  await expect(overview.byTestId('overview-busy')).not.toHaveText('0 busy');
  // Started out of the most the units may run (one process each here, started with the stack).
  await expect(overview.byTestId('overview-busy-sub')).toHaveText(/^(\d+) of \1 started$/);
  await expect(overview.byTestId('service-worker-3-busy')).toHaveText(/^[01] busy · 1 of 1 started$/);
  await expect.poll(() => overview.number(overview.done), { timeout: 20_000 }).toBeGreaterThanOrEqual(doneBefore + 4);
  await expect.poll(async () => (await overview.number(overview.running)) + (await overview.number(overview.waiting)), { timeout: 10_000 }).toBe(0);
  // uPlot draws on a canvas: one series per queue that did work.
  await expect(overview.byTestId('chart-throughput').locator('canvas')).toHaveCount(1);
  await expect(overview.byTestId('chart-throughput')).not.toHaveAttribute('data-series', '0');
});
