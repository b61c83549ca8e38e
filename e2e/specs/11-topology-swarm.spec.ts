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
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { anonymousTest as test, expect } from '../support/fixtures.js';
import { freePort, productionEnv, roleCommand, ROOT, startRole, type FuncProcess } from '../../backend/src/testing/processes.js';
import { httpClients, publishScript } from '../../backend/src/testing/test-client.js';
import { TopologyPage } from '../pages/topology-page.js';

const run = promisify(execFile);
const DOCKER_HOST = 'unix:///var/run/docker.sock';
const IMAGE = 'func:local';
const STACK = `e2etopo${Date.now().toString(36)}`;

const TOPOLOGY = {
  name: 'e2e-swarm',
  queueMap: { system: 0, direct: 1, syncAPI: 1, cronJob: 2, asyncAPI: 3, debugger: 5, subscription: 6 },
  units: [
    { name: 'worker-0', queues: [0, 2, 4, 5, 6, 7, 8, 9], processes: 1, replicas: 1 },
    { name: 'worker-1', queues: [1, 3], processes: 1, replicas: 1 },
  ],
};

const CODE = `import time

@DFF.API('Nap')
def nap(ms=100):
    time.sleep(ms / 1000)
    return ms
`;

let env: Awaited<ReturnType<typeof productionEnv>> | undefined;
let server: FuncProcess | undefined;
let url = '';
let token = '';
/** FUNC_* of this spec only: the deploy hands every FUNC_* variable of its shell to the services. */
let roleEnv: Record<string, string> = {};

async function assertSwarm(): Promise<void> {
  const how = 'prepare it with: bash scripts/prepare-docker.sh (Docker engine in swarm mode, image func:local)';
  const info = await run('docker', ['info', '--format', '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}']).catch((err: unknown) => {
    throw new Error(`the Docker engine does not answer (${String(err)}); ${how}`);
  });
  if (info.stdout.trim() !== 'active true') throw new Error(`this Docker engine is not a swarm manager (swarm: "${info.stdout.trim()}"); ${how}`);
  await run('docker', ['image', 'inspect', IMAGE]).catch(() => {
    throw new Error(`there is no image ${IMAGE}; ${how}`);
  });
}

/** `func stack …` as an operator runs it, with this spec's environment only. */
async function stackCli(args: string[], timeoutMs: number): Promise<string> {
  const [cmd, argv] = roleCommand(['stack', ...args, '--stack', STACK]);
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FUNC_')));
  try {
    const r = await run(cmd, argv, { cwd: ROOT, env: { ...base, ...roleEnv, FUNC_DOCKER_HOST: DOCKER_HOST }, timeout: timeoutMs, maxBuffer: 8 << 20 });
    return r.stdout;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`func stack ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

const { client } = httpClients(
  () => url,
  () => token,
);

async function waitHealthy(p: FuncProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (p.child.exitCode !== null) throw new Error(`func server exited with ${p.child.exitCode}:\n${p.output()}`);
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`func server did not become healthy:\n${p.output()}`);
}

async function signedIn(page: Page): Promise<void> {
  const profiles = JSON.stringify([{ id: 'local', name: 'This stack', baseUrl: '', token, username: 'admin' }]);
  await page.addInitScript(`localStorage.setItem('func.profiles', ${JSON.stringify(profiles)})`);
}

test.describe.configure({ mode: 'serial', timeout: 420_000 });

test.beforeAll(async () => {
  test.setTimeout(420_000);
  await assertSwarm();
  env = await productionEnv();
  const stackServerPort = await freePort();
  // The stack's own server listens on the host network: a free port on loopback, not 8088.
  roleEnv = { ...env.env, FUNC_PORT: String(stackServerPort), FUNC_HOST: '127.0.0.1', FUNC_LOG_LEVEL: 'warn' };
  const topologyFile = join(env.home, 'topology.json');
  writeFileSync(topologyFile, JSON.stringify(TOPOLOGY));
  await stackCli(['deploy', '--topology', topologyFile, '--image', IMAGE], 300_000);

  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  server = startRole(['server'], { ...env.env, FUNC_PORT: String(port), FUNC_HOST: '127.0.0.1', FUNC_DOCKER_HOST: DOCKER_HOST, FUNC_STACK: STACK });
  await waitHealthy(server);
  token = (await client.signIn({ body: { signIn: { username: 'admin', password: env.env.FUNC_ADMIN_PASSWORD! } } })).xAuthToken;

  // A function on worker-1's queue #1, for the capacity planner.
  await publishScript(client, 'swarm__nap', CODE);
});

test.afterAll(async () => {
  test.setTimeout(300_000);
  await server?.kill();
  try {
    if (env) await stackCli(['rm'], 240_000);
  } finally {
    await env?.drop();
  }
});

test('the topology page shows the swarm units, previews changes and follows a scale until the swarm converged', async ({ page }) => {
  await signedIn(page);
  const topo = new TopologyPage(page);
  await page.goto(`${url}/topology`);
  await expect(topo.byTestId('page-title')).toHaveText('Topology');
  await expect(page.getByText(`stack ${STACK} on ${DOCKER_HOST}`)).toBeVisible();
  await expect(topo.byTestId('topology-readonly-note')).toHaveCount(0);
  await expect(topo.unit('worker-0')).toBeVisible();
  await expect(topo.byTestId('unit-worker-1-running')).toHaveText('1/1 running', { timeout: 120_000 });
  await expect(topo.byTestId('unit-worker-1-replicas')).toHaveText('1');
  await expect(topo.byTestId('unit-worker-1-busy')).toHaveText('0/1 busy', { timeout: 60_000 });
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
  await expect(topo.byTestId('unit-worker-1-busy')).toHaveText('0/2 busy', { timeout: 60_000 });
  for (const theme of ['light', 'dark'] as const) {
    const dark = (await page.locator('html').getAttribute('class'))?.includes('dark') === true;
    if (dark !== (theme === 'dark')) await topo.byTestId('theme-toggle').click();
    await topo.screenshot(`topology-swarm-${theme}`);
  }
});

test('the capacity planner applies the replicas a target load needs', async ({ page }) => {
  for (let i = 0; i < 5; i++) await client.callFunc({ params: { funcId: 'swarm__nap.nap' }, body: { kwargs: { ms: 100 } } });
  await signedIn(page);
  const topo = new TopologyPage(page);
  await page.goto(`${url}/topology?tab=capacity`);
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
