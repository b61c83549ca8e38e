/** The capacity planner through HTTP: durations and load measured from real tasks on an embedded stack. */
import { describe, expect, it } from 'vitest';
import type { CapacityReport } from '../../contract/operations/stack.js';
import { DeployedTopology } from '../src/domain/stack/deployed-topology.js';
import { StackManager } from '../src/domain/stack/stack-manager.js';
import { PRESETS } from '../src/domain/topology/topology.js';
import { FakeOrchestrator } from '../src/testing/fake-orchestrator.js';
import { napScript } from '../src/testing/python-fixtures.js';
import { eventually, useTestStack } from '../src/testing/test-stack.js';

const t = useTestStack({ cap__main: napScript(200) }, { FUNC_WORKER_PROCESSES: '2' });

async function report(query = ''): Promise<CapacityReport> {
  const r = await t.admin('GET', `/api/v1/stack/capacity${query}`);
  expect(r.status, r.text).toBe(200);
  return r.body.data as CapacityReport;
}

describe('GET /api/v1/stack/capacity', () => {
  it('answers every queue with the units of the topology before any task ran', async () => {
    const r = await report();
    expect(r.windowMinutes).toBe(60);
    expect(r.queues.map((q) => q.queue)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(r.queues[3]).toMatchObject({ samples: 0, meanMs: null, p90Ms: null, tasksPerMinute: 0, capacityPerReplica: null, replicasNeeded: null, roles: ['asyncAPI'] });
    expect(r.queues[3]!.units).toEqual([{ name: 'worker-3', processes: 2, replicas: 1 }]);
    expect(r.queues[0]!.units.map((u) => u.name)).toEqual(['worker-0']);
  });

  it('measures T and the load of finished tasks per queue and applies the formula', async () => {
    for (const ms of [150, 150, 150, 450]) {
      const call = await t.admin('POST', '/api/v1/func/cap__main.nap', { kwargs: { ms }, options: { queue: 3 } });
      expect(call.status, call.text).toBe(200);
    }
    const call = await t.admin('POST', '/api/v1/func/cap__main.nap', { kwargs: { ms: 50 } });
    expect(call.status, call.text).toBe(200);

    const r = await eventually(
      async () => {
        const got = await report('?windowMinutes=2');
        return got.queues[3]!.samples === 4 && got.queues[1]!.samples === 1 ? got : undefined;
      },
      10_000,
      'five task timings',
    );
    expect(r.windowMinutes).toBe(2);
    const q3 = r.queues[3]!;
    expect(q3.meanMs).toBeGreaterThanOrEqual(225);
    expect(q3.meanMs).toBeLessThan(1000);
    expect(q3.p90Ms).toBeGreaterThanOrEqual(450);
    expect(q3.tasksPerMinute).toBe(2);
    expect(q3.capacityPerReplica).toBeCloseTo((2 * 60_000) / q3.meanMs!, 6);
    expect(q3.replicasNeeded).toBe(1);
    expect(r.queues[1]).toMatchObject({ samples: 1, tasksPerMinute: 0.5, roles: ['direct', 'syncAPI'], replicasNeeded: 1 });
    expect(r.queues[2]!.samples).toBe(0);
  });

  it('sizes the units deployed on the swarm when the server manages one', async () => {
    const manager = new StackManager({ stack: 'cap', orchestrator: new FakeOrchestrator() });
    await manager.deploy(
      { ...PRESETS.legacy!, units: PRESETS.legacy!.units.map((u) => (u.name === 'worker-1-6' ? { ...u, processes: 8, replicas: 2 } : u)) },
      { stack: 'cap', image: 'func:test', env: {}, dataServices: false },
      () => undefined,
    );
    t.stack.ctx.stack = { manager, deployed: new DeployedTopology(manager, 0) };
    try {
      const r = await report('?windowMinutes=2');
      const q3 = r.queues[3]!;
      expect(q3.units).toEqual([{ name: 'worker-1-6', processes: 8, replicas: 2 }]);
      // The deployed stack's queue map (legacy: #3 has no role, cron jobs on #8).
      expect(q3.roles).toEqual([]);
      expect(q3.capacityPerReplica).toBeCloseTo((8 * 60_000) / q3.meanMs!, 6);
      expect(r.queues[8]!.roles).toEqual(['cronJob']);
    } finally {
      delete t.stack.ctx.stack;
    }
  });

  it('is admin-only and checks the window', async () => {
    expect((await t.api('GET', '/api/v1/stack/capacity')).status).toBe(401);
    const bad = await t.admin('GET', '/api/v1/stack/capacity?windowMinutes=0');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/windowMinutes/);
  });
});
