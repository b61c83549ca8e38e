/**
 * The Autoscaling tab of the topology page against a real Docker swarm: a one-unit stack deployed
 * with `func stack deploy`, a production `func server` of this spec with FUNC_DOCKER_HOST (it holds
 * the autoscaler lease). A policy set in the panel (min 1, max 2, wait 1 s) scales the unit to 2
 * under a burst of slow tasks: the decision shows with its reason, the chart has samples; the
 * policy is paused from the panel. Needs `bash scripts/prepare-docker.sh`; fails saying so.
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
const STACK = `e2eas${Date.now().toString(36)}`;
const UNIT = 'worker-0-9';
const TOPOLOGY = {
  name: 'e2e-autoscale',
  queueMap: { system: 0, direct: 1, syncAPI: 1, cronJob: 2, asyncAPI: 3, debugger: 5, subscription: 6 },
  units: [{ name: UNIT, queues: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], processes: 1, replicas: 1 }],
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
let roleEnv: Record<string, string> = {};
const { client } = httpClients(
  () => url,
  () => token,
);

async function stackCli(args: string[], timeoutMs: number): Promise<string> {
  const [cmd, argv] = roleCommand(['stack', ...args, '--stack', STACK]);
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FUNC_')));
  try {
    return (await run(cmd, argv, { cwd: ROOT, env: { ...base, ...roleEnv, FUNC_DOCKER_HOST: DOCKER_HOST }, timeout: timeoutMs, maxBuffer: 8 << 20 })).stdout;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`func stack ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

async function signedIn(page: Page): Promise<void> {
  const profiles = JSON.stringify([{ id: 'local', name: 'This stack', baseUrl: '', token, username: 'admin' }]);
  await page.addInitScript(`localStorage.setItem('func.profiles', ${JSON.stringify(profiles)})`);
}

test.describe.configure({ mode: 'serial', timeout: 420_000 });

test.beforeAll(async () => {
  test.setTimeout(420_000);
  const how = 'prepare it with: bash scripts/prepare-docker.sh';
  const info = await run('docker', ['info', '--format', '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}']).catch((err: unknown) => {
    throw new Error(`the Docker engine does not answer (${String(err)}); ${how}`);
  });
  if (info.stdout.trim() !== 'active true') throw new Error(`this Docker engine is not a swarm manager; ${how}`);
  env = await productionEnv();
  roleEnv = { ...env.env, FUNC_PORT: String(await freePort()), FUNC_HOST: '127.0.0.1', FUNC_LOG_LEVEL: 'warn' };
  const topologyFile = join(env.home, 'topology.json');
  writeFileSync(topologyFile, JSON.stringify(TOPOLOGY));
  await stackCli(['deploy', '--topology', topologyFile, '--image', IMAGE], 300_000);
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  server = startRole(['server'], { ...env.env, FUNC_PORT: String(port), FUNC_HOST: '127.0.0.1', FUNC_DOCKER_HOST: DOCKER_HOST, FUNC_STACK: STACK });
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (server.child.exitCode !== null || Date.now() > deadline) throw new Error(`func server did not start:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  token = (await client.signIn({ body: { signIn: { username: 'admin', password: env.env.FUNC_ADMIN_PASSWORD! } } })).xAuthToken;
  await publishScript(client, 'e2eas__nap', CODE);
  // T measured before the policy.
  await client.callFunc({ params: { funcId: 'e2eas__nap.nap' }, body: { kwargs: { ms: 1500 }, options: { queue: 3 } } });
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

test('a policy set in the Autoscaling tab scales the unit under load; its decision, reason and chart show', async ({ page }) => {
  await signedIn(page);
  const topo = new TopologyPage(page);
  await page.goto(`${url}/topology?tab=autoscale`);
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
