import { describe, expect, it } from 'vitest';
import { FakeOrchestrator } from '../../testing/fake-orchestrator.js';
import { ChangeRefused } from '../topology/topology-change.js';
import { PRESETS, type Topology } from '../topology/topology.js';
import { LABEL, type ServiceSpec, type StackOptions } from './stack-spec.js';
import { StackManager } from './stack-manager.js';

const options = (image = 'func:1', env: Record<string, string> = { FUNC_SECRET: 's3cret-value-0001' }): StackOptions => ({ stack: 'st', image, env, dataServices: false });

async function deployed(t: Topology = PRESETS.legacy!): Promise<{ o: FakeOrchestrator; m: StackManager }> {
  const o = new FakeOrchestrator();
  const m = new StackManager({ stack: 'st', orchestrator: o });
  await m.deploy(t, options(), () => undefined);
  o.calls.length = 0;
  return { o, m };
}

/** Which of `queues` no running worker service listens to, given the services now. */
function unservedOf(services: Iterable<ServiceSpec>, queues: number[]): number[] {
  const listening = new Set([...services].filter((s) => s.role === 'worker' && s.replicas > 0).flatMap((s) => (s.labels[LABEL.queues] ?? '').split(',').map(Number)));
  return queues.filter((q) => !listening.has(q));
}

/** Every queue some unit of `t` listens to. */
const unserved = (services: Iterable<ServiceSpec>, t: Topology): number[] => unservedOf(services, [...new Set(t.units.flatMap((u) => u.queues))]);

describe('StackManager', () => {
  it('deploys server first, then the units, beat last', async () => {
    const o = new FakeOrchestrator();
    const m = new StackManager({ stack: 'st', orchestrator: o });
    const lines: string[] = [];
    await m.deploy(PRESETS.legacy!, options(), (l) => lines.push(l));
    expect(o.calls.filter((c) => !c.startsWith('wait'))).toEqual([
      'create st/server',
      'create st/worker-0',
      'create st/worker-1-6',
      'create st/worker-7',
      'create st/worker-8-9',
      'create st/beat',
    ]);
    expect(lines.at(-1)).toBe('Done: the swarm has converged');
    expect((await m.status()).topology).toEqual(PRESETS.legacy);
  });

  it('deploying the same again changes nothing; a new image or environment is rolled out to every service, secrets unnamed', async () => {
    const { o, m } = await deployed();
    await m.deploy(PRESETS.legacy!, options(), () => undefined);
    expect(o.calls.filter((c) => !c.startsWith('wait'))).toEqual([]);
    const lines: string[] = [];
    await m.deploy(PRESETS.legacy!, options('func:2', { FUNC_SECRET: 'another-secret-02' }), (l) => lines.push(l));
    expect(o.calls.filter((c) => !c.startsWith('wait'))).toEqual([
      'update st/server',
      'update st/worker-0',
      'update st/worker-1-6',
      'update st/worker-7',
      'update st/worker-8-9',
      'update st/beat',
    ]);
    expect([...o.services.values()].every((s) => s.image === 'func:2' && s.env.FUNC_SECRET === 'another-secret-02')).toBe(true);
    expect(lines.join('\n')).toMatch(/Update server: image func:1 → func:2; environment FUNC_SECRET/);
    expect(lines.join('\n')).not.toMatch(/another-secret/);
  });

  it('applies a split and a merge without a moment where a mapped queue has no listener', async () => {
    const { o, m } = await deployed();
    const seen: number[][] = [];
    const update = o.updateService.bind(o);
    const remove = o.removeService.bind(o);
    o.updateService = async (stack, spec) => {
      await update(stack, spec);
      seen.push(unserved(o.services.values(), PRESETS.legacy!));
    };
    o.removeService = async (stack, service) => {
      await remove(stack, service);
      seen.push(unserved(o.services.values(), PRESETS.legacy!));
    };
    const split = await m.applyNow({ op: 'split', unit: 'worker-8-9', queues: [9] }, () => undefined);
    expect(split.summary).toBe('Split #9 out of worker-8-9 into worker-9; the rest becomes worker-8');
    await m.applyNow({ op: 'moveQueue', queue: 6, from: 'worker-1-6', to: 'worker-7' }, () => undefined);
    await m.applyNow({ op: 'merge', units: ['worker-8', 'worker-9'] }, () => undefined);
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.every((q) => q.length === 0)).toBe(true);
    expect((await m.status()).topology!.units.map((u) => [u.name, u.queues])).toEqual([
      ['worker-0', [0]],
      ['worker-1-5', [1, 2, 3, 4, 5]],
      ['worker-7', [6, 7]],
      ['worker-8-9', [8, 9]],
    ]);
  });

  it('a deploy that swaps queues between units never leaves one of them without a listener', async () => {
    const two = (a: number[], b: number[]): Topology => ({
      ...PRESETS.standalone!,
      units: [
        { name: 'a', queues: a, processes: 1, replicas: 1 },
        { name: 'b', queues: b, processes: 1, replicas: 1 },
      ],
    });
    const { o, m } = await deployed(two([0, 1, 2, 4], [3, 5, 6]));
    const seen: number[][] = [];
    const update = o.updateService.bind(o);
    o.updateService = async (stack, spec) => {
      await update(stack, spec);
      seen.push(unservedOf(o.services.values(), [0, 1, 2, 3, 4, 5, 6]));
    };
    await m.deploy(two([0, 1, 3, 4], [2, 5, 6]), options(), () => undefined);
    expect(seen).toHaveLength(4);
    expect(seen.every((q) => q.length === 0)).toBe(true);
    expect((await m.status()).topology!.units.map((u) => [u.name, u.queues])).toEqual([
      ['a', [0, 1, 3, 4]],
      ['b', [2, 5, 6]],
    ]);
  });

  it('refuses a second beat and an unknown unit with the reason; runs one background change at a time', async () => {
    const { m } = await deployed();
    await expect(m.plan({ op: 'scale', unit: 'beat', replicas: 2 })).rejects.toThrow(ChangeRefused);
    await expect(m.plan({ op: 'scale', unit: 'nope', replicas: 2 })).rejects.toThrow(/no worker unit called "nope"/);
    // Two at once (a double click, two admins): the second is refused before anything is read.
    const [first, second] = await Promise.allSettled([m.apply({ op: 'scale', unit: 'worker-7', replicas: 2 }), m.apply({ op: 'scale', unit: 'worker-0', replicas: 2 })]);
    expect(second.status).toBe('rejected');
    expect(String((second as PromiseRejectedResult).reason)).toMatch(/still being applied/);
    if (first.status !== 'fulfilled') throw new Error('the first change was refused');
    await expect.poll(() => m.change(first.value.id).state).toBe('done');
    expect((await m.status()).services.find((s) => s.service === 'worker-7')).toMatchObject({ desired: 2, running: 2 });
    // A refused plan releases the claim.
    await expect(m.apply({ op: 'scale', unit: 'beat', replicas: 2 })).rejects.toThrow(ChangeRefused);
    expect((await m.apply({ op: 'scale', unit: 'worker-7', replicas: 1 })).state).toBe('running');
  });
});
