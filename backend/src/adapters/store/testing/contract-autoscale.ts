/** Contract: autoscaling policies; the policy and the autoscaler's state are written apart. */
import { expect, it } from 'vitest';
import { emptyAutoscaleState, type AutoscaleSpec } from '../../../domain/ports/autoscale-store.js';
import type { GetStore } from './store-contract.js';

const SPEC: AutoscaleSpec = { minReplicas: 1, maxReplicas: 6, target: { kind: 'wait', waitMs: 2000 }, cooldownMs: 60_000, hysteresis: 0.5 };

export function autoscaleContract(getStore: GetStore): void {
  it('keeps a policy per stack and unit, its state apart from its spec', async () => {
    const a = getStore().autoscale;
    expect(await a.get('s1', 'worker-1')).toBeUndefined();
    const created = await a.setPolicy('s1', 'worker-1', SPEC, false, 10);
    expect(created).toEqual({ stack: 's1', unit: 'worker-1', spec: SPEC, paused: false, error: null, state: emptyAutoscaleState(), updateTime: 10 });
    await a.setPolicy('s2', 'worker-1', { ...SPEC, maxReplicas: 2 }, true, 11);
    const state = {
      ...emptyAutoscaleState(),
      lastChangeAt: 20,
      samples: [{ time: 20, replicas: 3, backlog: 40 }],
      decisions: [{ time: 20, from: 1, to: 3, reason: 'r', state: 'applied' as const, changeId: 'chg-1' }],
    };
    await a.saveState('s1', 'worker-1', state, null, 20);
    // A new spec keeps the state.
    await a.setPolicy('s1', 'worker-1', { ...SPEC, maxReplicas: 4 }, false, 30);
    const read = await a.get('s1', 'worker-1');
    expect(read?.spec.maxReplicas).toBe(4);
    expect(read?.state).toEqual(state);
    expect((await a.list('s1')).map((p) => p.unit)).toEqual(['worker-1']);
    expect((await a.list('s2'))[0]?.paused).toBe(true);
  });

  it('pauses with the error on the autoscaler write; a resume or a new spec clears it', async () => {
    const a = getStore().autoscale;
    await a.setPolicy('s3', 'w', SPEC, false, 1);
    await a.saveState('s3', 'w', emptyAutoscaleState(), { error: 'service s3_w is gone' }, 2);
    expect(await a.get('s3', 'w')).toMatchObject({ paused: true, error: 'service s3_w is gone' });
    expect(await a.setPaused('s3', 'w', false, 3)).toBe(true);
    expect(await a.get('s3', 'w')).toMatchObject({ paused: false, error: null });
    await a.saveState('s3', 'w', emptyAutoscaleState(), { error: 'again' }, 4);
    await a.setPolicy('s3', 'w', SPEC, false, 5);
    expect(await a.get('s3', 'w')).toMatchObject({ paused: false, error: null });
    expect(await a.setPaused('s3', 'nothing', true, 6)).toBe(false);
    expect(await a.delete('s3', 'w')).toBe(true);
    expect(await a.delete('s3', 'w')).toBe(false);
  });
}
