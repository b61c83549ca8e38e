/**
 * Alerts: a queue-wait rule on worker-5 (1 s) set in the topology page's Alerts tab, slow tasks
 * piled up on queue #5; the banner above the page names the unit and the predicted wait and the
 * tab marks the unit, then the banner goes once they are cancelled and the rule removed.
 */
import { expect, test } from '../support/fixtures.js';
import { TopologyPage } from '../pages/topology-page.js';
import { client } from '../support/stack.js';
import { publishScript } from '../../backend/src/testing/test-client.js';
import { sleepFunc } from '../../backend/src/testing/python-fixtures.js';

const CODE = `import time

${sleepFunc('sleep', 'queue=5, timeout=60')}`;

test('an alert shows as a banner above the pages while it is active', async ({ page }) => {
  const api = client();
  await publishScript(api, 'e2eal__main', CODE);
  await api.callFunc({ params: { funcId: 'e2eal__main.sleep' }, body: { kwargs: { s: 1 } } });
  const ids: string[] = [];
  try {
    const topo = new TopologyPage(page);
    await topo.open('/topology?tab=alerts');
    await topo.byTestId('alert-rule-worker-5-wait').fill('1');
    await topo.byTestId('alert-rules-save').click();
    await expect(topo.byTestId('alert-rules-save')).toBeDisabled();
    expect((await api.getAlerts({})).rules).toEqual([{ unit: 'worker-5', maxWaitMs: 1000 }]);
    for (let i = 0; i < 10; i++) {
      const r = await api.callFunc({ params: { funcId: 'e2eal__main.sleep' }, body: { kwargs: { s: 3 }, options: { async: true } } });
      if ('id' in r) ids.push(r.id);
    }
    const banner = topo.byTestId('alert-banner');
    await expect(banner).toBeVisible({ timeout: 25_000 });
    await expect(topo.byTestId('alert-worker-5:queueWait')).toContainText(/worker-5: predicted queue wait p95 \d+\.\d s is above 1\.0 s/);
    await expect(topo.byTestId('alert-rule-worker-5-active')).toContainText('queueWait', { timeout: 15_000 });
    await page.screenshot({ path: '/tmp/alert-banner.png' });
  } finally {
    await api.setAlertRules({ body: { rules: [] } });
    for (const id of ids) await api.cancelTask({ params: { id } }).catch(() => undefined);
  }
  await expect(page.getByTestId('alert-banner')).toHaveCount(0, { timeout: 25_000 });
});
