/**
 * The /api/v1/stack routes on a real server: without a Docker endpoint (configured: false, 403),
 * and with a stack manager on an in-memory orchestrator (plan, apply in the background, follow
 * it, refusals with every reason, admin users only, the topology view showing deployed units).
 */
import { describe, expect, it } from 'vitest';
import { DeployedTopology } from '../src/domain/stack/deployed-topology.js';
import { StackManager } from '../src/domain/stack/stack-manager.js';
import { PRESETS } from '../src/domain/topology/topology.js';
import { FakeOrchestrator } from '../src/testing/fake-orchestrator.js';
import { eventually, useTestStack } from '../src/testing/test-stack.js';

const t = useTestStack();

const change = { op: 'scale', unit: 'worker-1', replicas: 3 };

describe('stack routes', () => {
  it('without FUNC_DOCKER_HOST: not configured, and changes are refused with the reason', async () => {
    const s = await t.admin('GET', '/api/v1/stack');
    expect(s.status).toBe(200);
    expect(s.body.data).toEqual({ configured: false, stack: 'func', deployed: false, services: [] });
    for (const path of ['/api/v1/stack/do/plan', '/api/v1/stack/do/apply']) {
      const r = await t.admin('POST', path, { change });
      expect(r.status, path).toBe(403);
      expect(r.body).toMatchObject({ reason: 'EBizCondition', message: 'this server has no Docker endpoint (set FUNC_DOCKER_HOST)' });
    }
    expect((await t.api('GET', '/api/v1/stack')).status).toBe(401);
  });

  it('with a swarm: status, plan, apply in the background, progress, refusals; the topology shows the deployed units', async () => {
    const fake = new FakeOrchestrator();
    const manager = new StackManager({ stack: 'demo', orchestrator: fake });
    await manager.deploy(PRESETS.legacy!, { stack: 'demo', image: 'func:test', env: {}, dataServices: false }, () => undefined);
    t.stack.ctx.stack = { manager, deployed: new DeployedTopology(manager, 0) };

    const s = (await t.admin('GET', '/api/v1/stack')).body.data as {
      configured: boolean;
      deployed: boolean;
      topology: { name: string };
      services: { service: string; desired: number }[];
    };
    expect(s).toMatchObject({ configured: true, deployed: true, topology: { name: 'legacy' } });
    expect(s.services.map((x) => x.service)).toEqual(['server', 'worker-0', 'worker-1-6', 'worker-7', 'worker-8-9', 'beat']);

    const topo = (await t.admin('GET', '/api/v1/topology')).body.data as {
      topology: { name: string; units: { name: string }[] };
      queues: { queue: number; listeners: string[] }[];
    };
    expect(topo.topology.units.map((u) => u.name)).toEqual(['worker-0', 'worker-1-6', 'worker-7', 'worker-8-9']);
    expect(topo.queues[6]!.listeners).toEqual(['worker-1-6']);

    const plan = await t.admin('POST', '/api/v1/stack/do/plan', { change: { op: 'split', unit: 'worker-1-6', queues: [6] } });
    expect(plan.status, plan.text).toBe(200);
    expect(plan.body.data).toMatchObject({
      summary: 'Split #6 out of worker-1-6 into worker-6; the rest becomes worker-1-5',
      steps: [{ kind: 'create', service: 'worker-1-5' }, {}, {}, {}, { kind: 'remove', service: 'worker-1-6' }],
    });

    const refused = await t.admin('POST', '/api/v1/stack/do/apply', { change: { op: 'scale', unit: 'beat', replicas: 2 } });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ reason: 'EBizCondition', detail: { reasons: [expect.stringMatching(/beat must run exactly 1 replica/)] } });
    expect((await t.admin('POST', '/api/v1/stack/do/plan', { change: { op: 'scale', unit: 'worker-1-6', replicas: 1000 } })).body).toMatchObject({ reason: 'EClientBadRequest' });

    const started = await t.admin('POST', '/api/v1/stack/do/apply', { change: { op: 'split', unit: 'worker-1-6', queues: [6] } });
    expect(started.status, started.text).toBe(200);
    const id = (started.body.data as { id: string }).id;
    const done = await eventually(
      async () => {
        const p = (await t.admin('GET', `/api/v1/stack/changes/${id}`)).body.data as { state: string; log: { message: string }[] };
        return p.state === 'running' ? undefined : p;
      },
      5000,
      'the change',
    );
    expect(done.state).toBe('done');
    expect(done.log.map((l) => l.message)).toContain('Done: the swarm has converged');
    expect([...fake.services.keys()]).toEqual(expect.arrayContaining(['demo/worker-1-5', 'demo/worker-6']) as unknown);
    const after = (await t.admin('GET', '/api/v1/topology')).body.data as { queues: { listeners: string[] }[] };
    expect(after.queues[6]!.listeners).toEqual(['worker-6']);
    expect((await t.admin('GET', '/api/v1/stack/changes/chg-nope')).status).toBe(404);
  });

  it('answers 403 to users without the admin role', async () => {
    await t.client.addUser({ body: { data: { id: 'u-plain', username: 'plain', name: 'Plain', password: 'plain-password', roles: ['user'] } } });
    const signIn = await t.api('POST', '/api/v1/auth/do/sign-in', { signIn: { username: 'plain', password: 'plain-password' } });
    const token = (signIn.body.data as { xAuthToken: string }).xAuthToken;
    const r = await t.api('GET', '/api/v1/stack', undefined, { 'x-dff-auth-token': token });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ reason: 'EUserPrivilege', detail: { permission: 'stack_r' } });
  });
});
