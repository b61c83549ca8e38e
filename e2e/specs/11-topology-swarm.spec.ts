/**
 * The topology page against a real Docker swarm: a stack deployed with `func stack deploy` (host
 * networking, the machine's Redis and MariaDB on 127.0.0.1), and a production `func server` of
 * this spec's own with FUNC_DOCKER_HOST pointing at the engine. The page shows the running units;
 * a refused change shows its reasons; dragging a queue onto another unit previews the move, onto
 * empty space the split, and the merge dialog the merge (all cancelled); the
 * "+" of a unit scales it 1 → 2 with the progress followed until the swarm converged and both
 * replicas' heartbeats show; the capacity planner's "Apply" scales it back to what a target load
 * needs.
 *
 * Needs the engine in swarm mode and the image func:local: `bash scripts/prepare-docker.sh`.
 * Without them it fails saying so (never skips).
 */
import { anonymousTest as test, expect } from '../support/fixtures.js';
import { DOCKER_HOST, swarmSpecHooks, swarmSpecStack } from '../support/own-stack.js';
import { napScript } from '../../backend/src/testing/python-fixtures.js';
import { publishScript } from '../../backend/src/testing/test-client.js';
import { TopologyPage } from '../pages/topology-page.js';

const swarm = swarmSpecStack('e2etopo', 'e2e-swarm', [
  { name: 'worker-0', queues: [0, 2, 4, 5, 6, 7, 8, 9] },
  { name: 'worker-1', queues: [1, 3] },
]);
const { client } = swarm;

swarmSpecHooks(test, swarm, async () => {
  // A function on worker-1's queue #1, for the capacity planner.
  await publishScript(client, 'swarm__nap', napScript());
});

test('the topology page shows the swarm units, previews changes and follows a scale until the swarm converged', async ({ page }) => {
  await swarm.signIn(page);
  const topo = new TopologyPage(page);
  await page.goto(`${swarm.url}/topology`);
  await expect(topo.byTestId('page-title')).toHaveText('Topology');
  await expect(page.getByText(`stack ${swarm.name} on ${DOCKER_HOST}`)).toBeVisible();
  await expect(topo.byTestId('topology-readonly-note')).toHaveCount(0);
  await expect(topo.unit('worker-0')).toBeVisible();
  await expect(topo.byTestId('unit-worker-1-running')).toHaveText('1/1 running', { timeout: 120_000 });
  await expect(topo.byTestId('unit-worker-1-replicas')).toHaveText('1');
  await expect(topo.byTestId('unit-worker-1-busy')).toHaveText('0 busy · 1 of 1 started', { timeout: 60_000 });
  await expect(topo.byTestId('topo-beat-replicas')).toHaveText('1/1 running');

  // A change the stack refuses: its reasons, nothing applied.
  await topo.byTestId('unit-worker-1-limits-edit').click();
  await topo.byTestId('limits-limitCpus').fill('0.5');
  await topo.byTestId('limits-reserveCpus').fill('1');
  await topo.byTestId('limits-preview').click();
  await expect(topo.byTestId('change-refused')).toBeVisible();
  await expect(topo.byTestId('change-reason')).toContainText(['CPU reservation 1 is above the limit 0.5']);
  await topo.byTestId('change-close').click();

  // Drag #3 from worker-1 onto worker-0: the move is previewed (summary, before/after, steps), then cancelled.
  await topo.byTestId('unit-worker-1-queue-3').dragTo(topo.unit('worker-0'));
  await expect(topo.byTestId('change-summary')).toHaveText('Move #3 from worker-1 to worker-0');
  await expect(topo.byTestId('change-diff-worker-0')).toContainText('#0, #2, #3, #4');
  await expect(topo.byTestId('change-step')).not.toHaveCount(0);
  await topo.byTestId('change-cancel').click();
  await expect(topo.byTestId('change-dialog')).toBeHidden();
  // … onto empty space: split out into a unit of its own.
  await topo.byTestId('unit-worker-1-queue-3').dragTo(topo.graph, { targetPosition: { x: 40, y: 40 } });
  await expect(topo.byTestId('change-summary')).toHaveText(/^Split #3 out of worker-1 into /);
  await topo.byTestId('change-cancel').click();
  // Merge the two units: previewed, cancelled.
  await topo.byTestId('merge-open').click();
  await topo.byTestId('merge-pick-worker-0').check();
  await topo.byTestId('merge-pick-worker-1').check();
  await topo.byTestId('merge-preview').click();
  await expect(topo.byTestId('change-summary')).toHaveText(/^Merge worker-0 and worker-1 into .*, listening to #0, #1, #2, #3/);
  await topo.byTestId('change-cancel').click();
  await expect(topo.byTestId('change-dialog')).toBeHidden();

  // Scale worker-1 from 1 to 2 and follow it.
  await topo.byTestId('unit-worker-1-scale-up').click();
  await expect(topo.byTestId('change-summary')).toHaveText('Scale worker-1 from 1 to 2 replicas');
  await topo.screenshot('topology-swarm-preview');
  await topo.byTestId('change-apply').click();
  await expect(topo.byTestId('change-progress')).toHaveText(/Step \d+ of \d+|All \d+ steps done/);
  await expect(topo.byTestId('change-log')).toContainText('Scale worker-1 from 1 to 2 replicas');
  await expect(topo.byTestId('change-state')).toHaveAttribute('data-state', 'done', { timeout: 180_000 });
  await expect(topo.byTestId('change-log')).toContainText('Done: the swarm has converged');
  await topo.screenshot('topology-swarm-progress');
  await topo.byTestId('change-close').click();
  await expect(topo.byTestId('unit-worker-1-replicas')).toHaveText('2');
  await expect(topo.byTestId('unit-worker-1-running')).toHaveText('2/2 running', { timeout: 30_000 });
  // Both replicas beat: two processes alive.
  await expect(topo.byTestId('unit-worker-1-busy')).toHaveText('0 busy · 2 of 2 started', { timeout: 60_000 });
  for (const theme of ['light', 'dark'] as const) {
    const dark = (await page.locator('html').getAttribute('class'))?.includes('dark') === true;
    if (dark !== (theme === 'dark')) await topo.byTestId('theme-toggle').click();
    await topo.screenshot(`topology-swarm-${theme}`);
  }
});

test('the capacity planner applies the replicas a target load needs', async ({ page }) => {
  for (let i = 0; i < 5; i++) await client.callFunc({ params: { funcId: 'swarm__nap.nap' }, body: { kwargs: { ms: 100 } } });
  await swarm.signIn(page);
  const topo = new TopologyPage(page);
  await page.goto(`${swarm.url}/topology?tab=capacity`);
  await expect(topo.capacityCell(1, 'samples')).toHaveText('5', { timeout: 20_000 });
  await expect(topo.byTestId('capacity-row-1')).toContainText('worker-1');
  // One task a minute needs one replica: worker-1 runs 2, so Apply scales it back to 1.
  await topo.capacityCell(1, 'target').fill('1');
  await expect(topo.capacityCell(1, 'target-replicas')).toHaveText('1');
  await topo.capacityCell(1, 'apply').click();
  await expect(topo.byTestId('change-summary')).toHaveText('Scale worker-1 from 2 to 1 replica');
  await topo.byTestId('change-apply').click();
  await expect(topo.byTestId('change-state')).toHaveAttribute('data-state', 'done', { timeout: 180_000 });
  await topo.byTestId('change-close').click();
  await topo.openGraph();
  await expect(topo.byTestId('unit-worker-1-replicas')).toHaveText('1');
  await expect(topo.byTestId('unit-worker-1-running')).toHaveText('1/1 running', { timeout: 30_000 });
});
