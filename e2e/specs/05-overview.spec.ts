import { expect, test } from '../support/fixtures.js';
import { OverviewPage } from '../pages/overview-page.js';
import { stack } from '../support/stack.js';

/** `n` async calls of a function taking a second. */
async function runSlow(n: number): Promise<void> {
  const { url, token } = stack();
  const calls = Array.from({ length: n }, () =>
    fetch(`${url}/api/v1/func/demo__basics.slow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-dff-auth-token': token },
      body: JSON.stringify({ kwargs: { seconds: 1 }, options: { async: true } }),
    }),
  );
  await Promise.all(calls);
}

test('queue numbers on the overview move while tasks run', async ({ page }) => {
  const overview = new OverviewPage(page);
  await overview.open('/overview');
  await expect(overview.byTestId('live-indicator')).toHaveAttribute('data-live', 'true');
  const doneBefore = await overview.number(overview.done);

  await runSlow(4);

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

test('the charts show their last samples again after a reload, not one', async ({ page }) => {
  const overview = new OverviewPage(page);
  await overview.open('/overview');
  const chart = overview.byTestId('chart-throughput');
  const samples = async (): Promise<number> => Number(await chart.getAttribute('data-samples'));
  await expect(overview.byTestId('live-indicator')).toHaveAttribute('data-live', 'true');
  const doneBefore = await overview.number(overview.done);
  await runSlow(2);
  await expect.poll(() => overview.number(overview.done), { timeout: 20_000 }).toBeGreaterThanOrEqual(doneBefore + 2);
  await expect(chart).not.toHaveAttribute('data-series', '0');
  await expect.poll(samples, { timeout: 20_000 }).toBeGreaterThanOrEqual(8);
  const kept = await samples();

  await page.reload();
  await expect(chart).toBeVisible();
  // At once: what the tab kept (sessionStorage), not built up again from the first new sample.
  expect(await samples()).toBeGreaterThanOrEqual(kept);
  await expect(chart).not.toHaveAttribute('data-series', '0');
  await overview.screenshot('overview-reloaded');
});
