/**
 * The autoscaler on a real SQLite store (policies, task timings), the embedded broker (queue
 * depths) and the stack manager over the in-memory orchestrator (the real swarm: test/swarm-autoscale.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedBroker } from '../src/adapters/broker/embedded/embedded-broker.js';
import { EmbeddedLease } from '../src/adapters/broker/embedded/embedded-lease.js';
import { sampleTask } from '../src/adapters/broker/testing/sample-task.js';
import { openStore, type OpenedStore } from '../src/adapters/store/open-store.js';
import { taskRecord } from '../src/adapters/store/testing/fixtures.js';
import { FakeOrchestrator } from '../src/testing/fake-orchestrator.js';
import type { Topology } from '../src/domain/topology/topology.js';
import { Autoscaler } from '../src/domain/stack/autoscaler.js';
import { StackManager } from '../src/domain/stack/stack-manager.js';

const TOPOLOGY: Topology = {
  name: 't',
  queueMap: { system: 0, direct: 1, syncAPI: 1, cronJob: 2, asyncAPI: 2, debugger: 2, subscription: 2 },
  units: [
    { name: 'worker-0', queues: [0], processes: 1, replicas: 1 },
    { name: 'worker-1-2', queues: [1, 2], processes: 2, replicas: 1 },
  ],
};

let dir = '';
let store: OpenedStore;
let broker: EmbeddedBroker;
let orchestrator: FakeOrchestrator;
let manager: StackManager;
let clock = 1_800_000_000_000;
const now = (): number => clock;

function autoscaler(lease = new EmbeddedLease('autoscaler')): Autoscaler {
  return new Autoscaler({ manager, policies: store.autoscale, broker, timingsSince: (s, l) => store.taskRecords.timingsSince(s, l), lease, now });
}

async function ranTasks(queue: number, n: number, ms: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await store.taskRecords.insert(taskRecord(`t-${queue}-${clock}-${i}`, { queue, status: 'success', triggerTimeMs: clock - ms - 10, startTimeMs: clock - ms, endTimeMs: clock }));
  }
}

const replicasOf = async (unit: string): Promise<number | undefined> => (await manager.topology()).topology.units.find((u) => u.name === unit)?.replicas;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'func-autoscaler-'));
  store = await openStore({ sqlitePath: join(dir, 'func.sqlite') });
  await store.migrate();
  broker = new EmbeddedBroker({ now });
  orchestrator = new FakeOrchestrator();
  manager = new StackManager({ stack: 'st', orchestrator, now });
  await manager.deploy(TOPOLOGY, { stack: 'st', image: 'func:1', env: {}, dataServices: false }, () => undefined);
});

afterEach(async () => {
  await broker.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Autoscaler', () => {
  it('scales a unit up through the stack manager, recorded by the autoscaler with its reason, then back down after the cool-down', async () => {
    await store.autoscale.setPolicy(
      'st',
      'worker-1-2',
      { minReplicas: 1, maxReplicas: 3, target: { kind: 'wait', waitMs: 2000 }, cooldownMs: 30_000, hysteresis: 0.5 },
      false,
      clock,
    );
    await ranTasks(2, 4, 1000);
    for (let i = 0; i < 20; i++) await broker.enqueue(sampleTask(`w-${i}`, 2, clock));
    const a = autoscaler();
    await a.evaluate();
    // 20 waiting tasks of 1 s, 2 processes a replica: p95 wait 9.5 s on 1 replica, ≤ 2 s needs 5, max 3.
    expect(await replicasOf('worker-1-2')).toBe(3);
    expect(await replicasOf('worker-0')).toBe(1);
    const [change] = manager.listChanges();
    expect(change).toMatchObject({ by: 'autoscaler', state: 'done', plan: { change: { op: 'scale', unit: 'worker-1-2', replicas: 3 } } });
    expect(change?.reason).toMatch(/predicted wait p95 9\.5 s \(target 2\.0 s\): scale up to 3/);
    const row = await store.autoscale.get('st', 'worker-1-2');
    expect(row?.state.decisions).toEqual([{ time: clock, from: 1, to: 3, reason: change?.reason, changeId: change?.id, state: 'applied' }]);
    expect(row?.state.samples).toEqual([{ time: clock, replicas: 1, backlog: 20 }]);

    // The queue drains: nothing changes until the signal has stayed low for the cool-down.
    for (let i = 0; i < 20; i++) await broker.cancel(`w-${i}`, 2);
    clock += 10_000;
    await a.evaluate();
    expect(await replicasOf('worker-1-2')).toBe(3);
    expect((await store.autoscale.get('st', 'worker-1-2'))?.state.lastReason).toMatch(/cooling down/);
    clock += 30_000;
    await a.evaluate();
    expect(await replicasOf('worker-1-2')).toBe(1);
    const [down] = manager.listChanges();
    expect(down).toMatchObject({ by: 'autoscaler', plan: { change: { replicas: 1 } } });
    expect(down?.reason).toMatch(/scale down to 1/);
    expect((await store.autoscale.get('st', 'worker-1-2'))?.state.decisions.map((d) => [d.from, d.to])).toEqual([
      [1, 3],
      [3, 1],
    ]);
  });

  it('pauses a policy whose unit was removed by hand, with the error, and leaves it alone afterwards', async () => {
    await store.autoscale.setPolicy('st', 'worker-0', { minReplicas: 1, maxReplicas: 3, target: { kind: 'wait', waitMs: 2000 }, cooldownMs: 0, hysteresis: 0.5 }, false, clock);
    await orchestrator.removeService('st', 'worker-0');
    const a = autoscaler();
    await a.evaluate();
    const row = await store.autoscale.get('st', 'worker-0');
    expect(row).toMatchObject({ paused: true, error: 'unit worker-0 is not deployed in stack st (was its service removed?)' });
    expect(row?.state.decisions.at(-1)).toMatchObject({ state: 'paused' });
    const written = row?.updateTime;
    clock += 5000;
    await a.evaluate();
    expect((await store.autoscale.get('st', 'worker-0'))?.updateTime).toBe(written);
    expect(manager.listChanges()).toEqual([]);
  });

  it('pauses with the engine error when its change fails', async () => {
    await store.autoscale.setPolicy('st', 'worker-0', { minReplicas: 2, maxReplicas: 3, target: { kind: 'wait', waitMs: 2000 }, cooldownMs: 0, hysteresis: 0.5 }, false, clock);
    orchestrator.failing.set('worker-0', 'no suitable node (insufficient memory on 1 node)');
    await autoscaler().evaluate();
    const row = await store.autoscale.get('st', 'worker-0');
    expect(row?.paused).toBe(true);
    expect(row?.error).toMatch(/scaling worker-0 to 2 failed: .*no suitable node/);
    expect(row?.state.decisions.map((d) => d.state)).toEqual(['failed', 'paused']);
  });

  it('does nothing without the lease, with a paused policy, or while another change runs', async () => {
    await store.autoscale.setPolicy('st', 'worker-0', { minReplicas: 2, maxReplicas: 3, target: { kind: 'wait', waitMs: 2000 }, cooldownMs: 0, hysteresis: 0.5 }, false, clock);
    const lease = new EmbeddedLease('autoscaler');
    await lease.release();
    await autoscaler(lease).evaluate();
    expect(await replicasOf('worker-0')).toBe(1);
    await store.autoscale.setPaused('st', 'worker-0', true, clock);
    await autoscaler().evaluate();
    expect(await replicasOf('worker-0')).toBe(1);
    await store.autoscale.setPaused('st', 'worker-0', false, clock);
    orchestrator.failing.set('worker-1-2', 'slow');
    const operator = await manager.apply({ op: 'scale', unit: 'worker-1-2', replicas: 2 });
    const evaluating = autoscaler().evaluate();
    await evaluating;
    await manager.settled(operator.id);
    expect(await replicasOf('worker-0')).toBe(1);
    await autoscaler().evaluate();
    expect(await replicasOf('worker-0')).toBe(2);
  });
});
