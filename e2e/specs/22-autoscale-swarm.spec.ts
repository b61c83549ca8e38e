/**
 * The Autoscaling tab of the topology page against a real Docker swarm: a one-unit stack deployed
 * with `func stack deploy`, a production `func server` of this spec with FUNC_DOCKER_HOST (it holds
 * the autoscaler lease). A policy set in the panel (min 1, max 2, wait 1 s) scales the unit to 2
 * under a burst of slow tasks: the decision shows with its reason, the chart has samples; the
 * policy is paused from the panel. Needs `bash scripts/prepare-docker.sh`; fails saying so.
 */
import { anonymousTest as test, expect } from '../support/fixtures.js';
import { swarmSpecHooks, swarmSpecStack } from '../support/own-stack.js';
import { napScript } from '../../backend/src/testing/python-fixtures.js';
import { publishScript } from '../../backend/src/testing/test-client.js';
import { TopologyPage } from '../pages/topology-page.js';

const UNIT = 'worker-0-9';
const swarm = swarmSpecStack('e2eas', 'e2e-autoscale', [{ name: UNIT, queues: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] }]);
const { client } = swarm;

swarmSpecHooks(test, swarm, async () => {
  await publishScript(client, 'e2eas__nap', napScript());
  // T measured before the policy.
  await client.callFunc({ params: { funcId: 'e2eas__nap.nap' }, body: { kwargs: { ms: 1500 }, options: { queue: 3 } } });
});

test('a policy set in the Autoscaling tab scales the unit under load; its decision, reason and chart show', async ({ page }) => {
  await swarm.signIn(page);
  const topo = new TopologyPage(page);
  await page.goto(`${swarm.url}/topology?tab=autoscale`);
  const card = topo.byTestId(`autoscale-unit-${UNIT}`);
  await expect(card).toBeVisible({ timeout: 30_000 });
  await expect(topo.byTestId(`autoscale-status-${UNIT}`)).toHaveText('off');
  await card.getByTestId('autoscale-min').fill('1');
  await card.getByTestId('autoscale-max').fill('2');
  await card.getByTestId('autoscale-wait').fill('1');
  await card.getByTestId('autoscale-cooldown').fill('10');
  await card.getByTestId('autoscale-save').click();
  await expect(topo.byTestId(`autoscale-status-${UNIT}`)).toHaveText('active');
  expect((await client.listAutoscalePolicies({}))[0]?.spec).toEqual({
    minReplicas: 1,
    maxReplicas: 2,
    target: { kind: 'wait', waitMs: 1000 },
    cooldownMs: 10_000,
    hysteresis: 0.3,
  });

  for (let i = 0; i < 10; i++) await client.callFunc({ params: { funcId: 'e2eas__nap.nap' }, body: { kwargs: { ms: 1500 }, options: { queue: 3, async: true } } });
  const decisions = topo.byTestId(`autoscale-decisions-${UNIT}`);
  await expect(decisions).toContainText('1 → 2', { timeout: 90_000 });
  await expect(decisions).toContainText(/predicted wait p95 .* \(target 1\.0 s\): scale up to 2/);
  await expect(topo.byTestId(`autoscale-chart-${UNIT}`).locator('canvas')).toHaveCount(1);
  await expect.poll(async () => Number(await topo.byTestId(`autoscale-chart-${UNIT}`).getAttribute('data-points')), { timeout: 20_000 }).toBeGreaterThan(2);
  const change = (await client.listStackChanges({})).find((c) => c.by === 'autoscaler');
  expect(change?.plan.change).toEqual({ op: 'scale', unit: UNIT, replicas: 2 });
  await card.screenshot({ path: '/tmp/autoscale-panel.png' });

  await card.getByTestId('autoscale-pause').click();
  await expect(topo.byTestId(`autoscale-status-${UNIT}`)).toHaveText('paused');
  expect((await client.listAutoscalePolicies({}))[0]?.paused).toBe(true);
});
