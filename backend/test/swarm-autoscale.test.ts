/**
 * The autoscaler on a real Docker swarm: a one-unit stack deployed with `func stack deploy` (host
 * networking, the Redis and MariaDB of 127.0.0.1, image func:local) and, in this process, a
 * production `func server` of the same stack with FUNC_DOCKER_HOST (it holds the autoscaler lease
 * and runs the autoscaler as any such server does). A burst of slow tasks on a unit with a policy
 * (min 1, max 3, target wait p95 3 s) scales it up to 3, the backlog drains, and after the
 * cool-down it scales back to 1; the stack changes list every decision by the autoscaler with its
 * reason. A policy on a unit whose service was removed by hand pauses with an error, once.
 * Where Docker cannot run this it fails (scripts/prepare-docker.sh prepares the engine).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/config.js';
import { napScript } from '../src/testing/python-fixtures.js';
import { publishScript } from '../src/testing/test-client.js';
import { freePort } from '../src/testing/processes.js';
import { startServerRole, type RoleHandle } from '../src/wiring/production-roles.js';
import { finishSwarmTest, prepareSwarmTest, removeTestStack, SwarmSuite, swarmDocker, TEST_IMAGE } from '../src/testing/swarm-harness.js';

const IMAGE = TEST_IMAGE;
const STACK = `functestas${randomBytes(3).toString('hex')}`;
const UNIT = 'worker-0-2';
const TOPOLOGY = {
  name: 'swarm-autoscale-test',
  queueMap: { system: 0, direct: 1, syncAPI: 1, cronJob: 2, asyncAPI: 2, debugger: 2, subscription: 2 },
  units: [{ name: UNIT, queues: [0, 1, 2], processes: 1, replicas: 1 }],
};

const docker = swarmDocker();
const suite = new SwarmSuite(STACK);
const { client, func, log } = suite;
let server: RoleHandle | undefined;

/** Poll `read` every second until `ok` holds; fail after `timeoutMs` with the last value. */
async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)}\n${log.join('\n')}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function desiredReplicas(): Promise<number | undefined> {
  const status = await client.getStack({});
  return status.services.find((s) => s.unit === UNIT)?.desired;
}

beforeAll(async () => {
  Object.assign(suite, await prepareSwarmTest(docker, IMAGE, 'func-swarm-as-', TOPOLOGY));
}, 60_000);

afterAll(
  () =>
    finishSwarmTest(suite.env, suite.dir, async () => {
      await server?.close();
      await removeTestStack(docker, STACK);
    }),
  120_000,
);

describe('autoscaling on a real Docker swarm', () => {
  it('scales a unit up under a burst of slow tasks, back down after the cool-down, every decision a stack change by the autoscaler', async () => {
    const deploy = await func('deploy', '--topology', join(suite.dir, 'topology.json'), '--image', IMAGE);
    expect(deploy.code, log.join('\n')).toBe(0);
    // A server of the same stack in this process, managing it (FUNC_DOCKER_HOST): it runs the autoscaler.
    server = await startServerRole(parseConfig({ ...suite.stackEnv, FUNC_PORT: String(await freePort()), FUNC_STACK: STACK }));
    suite.base = server.url!;
    suite.token = (await client.signIn({ body: { signIn: { username: 'admin', password: suite.stackEnv.FUNC_ADMIN_PASSWORD! } } })).xAuthToken;
    await publishScript(client, 'as__nap', napScript());
    // One task measured first (T), then the policy.
    expect(await client.callFunc({ params: { funcId: 'as__nap.nap' }, body: { kwargs: { ms: 1500 }, options: { queue: 2 } } })).toMatchObject({ result: 1500 });
    await client.setAutoscalePolicy({
      params: { unit: UNIT },
      body: { spec: { minReplicas: 1, maxReplicas: 3, target: { kind: 'wait', waitMs: 3000 }, cooldownMs: 15_000, hysteresis: 0.5 } },
    });
    for (let i = 0; i < 24; i++) await client.callFunc({ params: { funcId: 'as__nap.nap' }, body: { kwargs: { ms: 1500 }, options: { queue: 2, async: true } } });

    await until('3 replicas', desiredReplicas, (r) => r === 3, 90_000);
    const up = (await client.listStackChanges({})).find((c) => c.plan.change.op === 'scale' && c.plan.change.replicas === 3);
    expect(up).toMatchObject({ by: 'autoscaler', plan: { change: { op: 'scale', unit: UNIT, replicas: 3 } } });
    expect(up?.reason).toMatch(/predicted wait p95 .* \(target 3\.0 s\): scale up to 3/);
    await until(
      'the scale-up to converge',
      () => client.getStackChange({ params: { id: up!.id } }),
      (c) => c.state !== 'running',
      150_000,
    );
    expect((await client.getStackChange({ params: { id: up!.id } })).state).toBe('done');

    // The backlog drains on three replicas; after 15 s under the band it scales back to 1.
    await until('back to 1 replica', desiredReplicas, (r) => r === 1, 180_000);
    const changes = await client.listStackChanges({});
    const byAutoscaler = changes.filter((c) => c.by === 'autoscaler');
    expect(byAutoscaler.map((c) => (c.plan.change.op === 'scale' ? c.plan.change.replicas : -1)).reverse()).toEqual([3, 1]);
    expect(byAutoscaler[0]?.reason).toMatch(/for \d+(\.\d)? s: scale down to 1/);
    const [policy] = await client.listAutoscalePolicies({});
    expect(policy?.state.decisions.map((d) => [d.from, d.to, d.state])).toEqual([
      [1, 3, 'applied'],
      [3, 1, 'applied'],
    ]);
    expect(Math.max(...(policy?.state.samples ?? []).map((s) => s.backlog ?? 0))).toBeGreaterThan(5);
  }, 600_000);

  it('pauses the policy of a unit whose service was removed by hand, with the error, and does not retry', async () => {
    await docker.getService(`${STACK}_${UNIT}`).remove();
    const [paused] = await until(
      'the policy paused',
      () => client.listAutoscalePolicies({}),
      (ps) => ps[0]?.paused === true,
      30_000,
    );
    // Either the unit is gone from the stack's services, or the engine answers 404 to the change
    // the autoscaler tried while the service was going (it saw 0 replicas, under the minimum).
    expect(paused?.error).toMatch(new RegExp(`unit ${UNIT} is not deployed in stack ${STACK}|scaling ${UNIT} to \\d+ failed: .*not found`));
    const changesAtPause = (await client.listStackChanges({})).filter((c) => c.by === 'autoscaler').length;
    await new Promise((r) => setTimeout(r, 11_000));
    const [later] = await client.listAutoscalePolicies({});
    expect(later?.updateTime).toBe(paused?.updateTime);
    expect(later?.paused).toBe(true);
    expect((await client.listStackChanges({})).filter((c) => c.by === 'autoscaler')).toHaveLength(changesAtPause);
    expect((await func('rm')).code).toBe(0);
  }, 120_000);
});
