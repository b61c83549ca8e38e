/**
 * The topology page against the embedded stack (no Docker endpoint): the live graph, read-only
 * with the note on how to enable scaling; the capacity planner's numbers after real tasks ran,
 * the what-if computation and the seed's worked example; screenshots in light and dark.
 */
import { capacityPerReplica, replicasNeeded } from '../../contract/capacity.js';
import type { CapacityReport } from '../../contract/operations/stack.js';
import { expect, test } from '../support/fixtures.js';
import { TopologyPage } from '../pages/topology-page.js';
import { client } from '../support/stack.js';

const QUEUE = 3;
const TASKS = 6;

/** As the console shows a rate: whole numbers from 10 up, one decimal below. */
function rate(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: n >= 10 ? 0 : 1 });
}

async function enqueueSlow(count: number, seconds: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await client().callFunc({ params: { funcId: 'demo__basics.slow' }, body: { kwargs: { seconds }, options: { async: true, queue: QUEUE } } });
  }
}

test('the graph shows the live topology read-only, with how to enable scaling', async ({ page }) => {
  const topo = new TopologyPage(page);
  await topo.open('/overview');
  await topo.nav('topology');
  await expect(topo.byTestId('page-title')).toHaveText('Topology');
  await expect(topo.byTestId('live-indicator')).toHaveAttribute('data-live', 'true');
  await expect(topo.byTestId('topology-readonly-note')).toContainText('FUNC_DOCKER_HOST=unix:///var/run/docker.sock');

  // server → queues → units, as the standalone preset defines them.
  await expect(topo.byTestId('topo-server')).toBeVisible();
  await expect(topo.byTestId('topo-beat')).toBeVisible();
  // The embedded server maintains the connectors' subscriptions, which run on queue #6.
  await expect(topo.byTestId('topo-server-maintainer')).toHaveText('subscription maintainer');
  await expect(topo.byTestId('topo-server-maintainer')).toHaveAttribute('title', /maintains the connectors' subscriptions/);
  await expect(topo.byTestId('topo-beat-maintainer')).toHaveCount(0);
  await expect(topo.queue(6)).toContainText('subscription');
  for (const name of ['worker-0', 'worker-1', 'worker-2', 'worker-3', 'worker-5', 'worker-6']) await expect(topo.unit(name)).toBeVisible();
  await expect(topo.unit('worker-0').getByTestId(/^unit-worker-0-queue-/)).toHaveText(['#0', '#4', '#7', '#8', '#9']);
  await expect(topo.queue(2)).toContainText('cronJob');
  await expect(topo.byTestId('graph-help')).toContainText('unused: #10 #11 #12 #13 #14 #15');
  await expect(page.locator('.react-flow__edge')).not.toHaveCount(0);
  // Read-only: no controls, queue chips cannot be dragged.
  await expect(topo.byTestId('unit-worker-3-scale-up')).toHaveCount(0);
  await expect(topo.byTestId('merge-open')).toHaveCount(0);
  await expect(topo.byTestId(`unit-worker-3-queue-${QUEUE}`)).toHaveAttribute('draggable', 'false');

  // Live numbers: tasks waiting and running on #3, the unit busy, then done.
  // func up starts a unit's Python process on demand and stops it after 60 s idle: none or one, not busy, of the one it may run.
  await expect(topo.byTestId('unit-worker-3-busy')).toHaveText(/^0 busy · [01] of 1 started$/);
  await expect(topo.byTestId('unit-worker-3-processes')).toHaveText('1 per replica');
  await enqueueSlow(3, 1);
  await expect.poll(async () => (await topo.number(`topo-queue-${QUEUE}-length`)) + (await topo.number(`topo-queue-${QUEUE}-inflight`)), { timeout: 10_000 }).toBeGreaterThan(0);
  await expect(topo.byTestId('unit-worker-3-busy')).toHaveText('1 busy · 1 of 1 started');
  await expect.poll(() => topo.number(`topo-queue-${QUEUE}-rate`), { timeout: 15_000 }).toBeGreaterThan(0);
  await expect.poll(async () => (await topo.number(`topo-queue-${QUEUE}-length`)) + (await topo.number(`topo-queue-${QUEUE}-inflight`)), { timeout: 15_000 }).toBe(0);
});

test('the capacity planner shows T, the load and the replicas needed, and computes a target load', async ({ page }) => {
  await enqueueSlow(TASKS, 0.3);
  // Wait until every task has finished and its record is written: the report stops moving.
  let report: CapacityReport | undefined;
  await expect
    .poll(
      async () => {
        const before = await client().getCapacity({});
        const topology = await client().getTopology({});
        const q = topology.queues.find((x) => x.queue === QUEUE)!;
        report = before;
        return q.length + q.inFlight === 0 && before.queues[QUEUE]!.samples >= TASKS;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  const q = report!.queues[QUEUE]!;
  expect(q.meanMs).toBeGreaterThanOrEqual(300);

  const topo = new TopologyPage(page);
  await topo.open('/topology?tab=capacity');
  await expect(topo.byTestId('capacity-table')).toBeVisible();
  const perReplica = capacityPerReplica(1, q.meanMs!);
  await expect(topo.capacityCell(QUEUE, 'samples')).toHaveText(String(q.samples));
  await expect(topo.capacityCell(QUEUE, 'load')).toHaveText(rate(q.tasksPerMinute));
  await expect(topo.capacityCell(QUEUE, 'per-replica')).toHaveText(rate(perReplica));
  await expect(topo.capacityCell(QUEUE, 'needed')).toHaveText(String(replicasNeeded(q.tasksPerMinute, perReplica)));
  await expect(topo.capacityCell(QUEUE, 'mean')).toHaveText(/\d+ ms|\d+\.\d\d s/);
  await expect(topo.byTestId(`capacity-row-${QUEUE}`)).toContainText('worker-3');

  // What-if: a target load gives the replicas of worker-3 it needs, by the seed's formula.
  const target = Math.round(perReplica * 2.5);
  await topo.capacityCell(QUEUE, 'target').fill(String(target));
  await expect(topo.capacityCell(QUEUE, 'target-replicas')).toHaveText(String(replicasNeeded(target, perReplica)));
  expect(replicasNeeded(target, perReplica)).toBe(3);
  // p90 as T.
  await topo.byTestId('capacity-basis').selectOption('p90');
  await expect(topo.capacityCell(QUEUE, 'target-replicas')).toHaveText(String(replicasNeeded(target, capacityPerReplica(1, q.p90Ms!))));
  // No Docker endpoint: nothing to apply.
  await expect(topo.capacityCell(QUEUE, 'apply')).toBeDisabled();

  // The seed's worked example, computed, and its tables.
  await expect(topo.byTestId('capacity-example')).toHaveText('1,000 tasks/min at 500 ms with 5 processes → 600 tasks/min per replica → 2 replicas');
  await topo.byTestId('calc-ms').fill('800');
  await expect(topo.byTestId('capacity-example')).toContainText('→ 375 tasks/min per replica → 3 replicas');
  await expect(topo.byTestId('seed-row-1000').locator('td')).toHaveText(['1,000', '1', '2', '3', '4', '7', '10']);
  await expect(topo.byTestId('seed-row-5000').locator('td')).toHaveText(['5,000', '5', '9', '14', '17', '34', '50']);
  await expect(topo.byTestId('seed-row-10000').locator('td')).toHaveText(['10,000', '10', '17', '27', '34', '67', '100']);
});

for (const theme of ['light', 'dark'] as const) {
  test(`topology screenshots 1280x800 ${theme}`, async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.addInitScript(`localStorage.setItem('func.theme', '${theme}')`);
    const topo = new TopologyPage(page);
    await topo.open('/topology');
    await expect(topo.unit('worker-6')).toBeVisible();
    await expect(topo.byTestId('live-indicator')).toHaveAttribute('data-live', 'true');
    await topo.screenshot(`topology-${theme}`);
    await topo.openCapacity();
    await expect(topo.capacityCell(QUEUE, 'samples')).not.toHaveText('0');
    await topo.capacityCell(QUEUE, 'target').fill('1000');
    await topo.screenshot(`topology-capacity-${theme}`);
    await topo.byTestId('capacity-calculator').scrollIntoViewIfNeeded();
    await topo.screenshot(`topology-calculator-${theme}`);
  });
}
