import { describe, expect, it } from 'vitest';
import { decideReplicas, signalAt, type AutoscaleMeasurement, type AutoscaleMemory, type AutoscalePolicySpec } from './autoscale-policy.js';

const WAIT: AutoscalePolicySpec = { minReplicas: 1, maxReplicas: 6, target: { kind: 'wait', waitMs: 2000 }, cooldownMs: 30_000, hysteresis: 0.5 };
const FRESH: AutoscaleMemory = { lastChangeAt: null, lowSince: null };
const T0 = 1_000_000;

function m(over: Partial<AutoscaleMeasurement>): AutoscaleMeasurement {
  return { replicas: 1, processes: 1, backlog: 0, taskMs: 1000, tasksPerMinute: 0, ...over };
}

describe('signalAt', () => {
  it('predicts the p95 wait from the backlog, T and the processes', () => {
    // 20 waiting tasks of 1 s on 2 replicas × 2 processes: the 19th starts after 4.75 s.
    expect(signalAt(WAIT.target, m({ backlog: 20, processes: 2 }), 2)).toBeCloseTo(4750);
    expect(signalAt(WAIT.target, m({ backlog: 0, taskMs: null }), 1)).toBe(0);
    expect(signalAt(WAIT.target, m({ backlog: 5 }), 0)).toBe(Number.POSITIVE_INFINITY);
  });
  it('measures the load against the seed capacity A = P × 60000 / T', () => {
    // A = 2 × 60000 / 1000 = 120 a minute a replica; 180 a minute on 1 replica is 150 %.
    expect(signalAt({ kind: 'load', utilization: 0.8 }, m({ processes: 2, tasksPerMinute: 180 }), 1)).toBeCloseTo(1.5);
    expect(signalAt({ kind: 'load', utilization: 0.8 }, m({ processes: 2, tasksPerMinute: 180 }), 3)).toBeCloseTo(0.5);
  });
});

describe('decideReplicas', () => {
  it('scales up at once to the fewest replicas meeting the target', () => {
    // 10 tasks of 1 s: p95 wait 9.5 s on 1 replica, 1.9 s on 5.
    const d = decideReplicas(WAIT, m({ backlog: 10 }), FRESH, T0);
    expect(d.replicas).toBe(5);
    expect(d.reason).toMatch(/predicted wait p95 9\.5 s \(target 2\.0 s\): scale up to 5/);
    expect(d.memory.lastChangeAt).toBe(T0);
  });

  it('never goes above max or below min', () => {
    expect(decideReplicas(WAIT, m({ backlog: 1000 }), FRESH, T0).replicas).toBe(6);
    const atMax = decideReplicas(WAIT, m({ backlog: 1000, replicas: 6 }), FRESH, T0);
    expect(atMax.replicas).toBe(6);
    expect(atMax.reason).toMatch(/already at the maximum of 6/);
    // Empty queues want the minimum, not zero.
    const d = decideReplicas(WAIT, m({ backlog: 0, replicas: 3 }), { lastChangeAt: null, lowSince: T0 - 60_000 }, T0);
    expect(d.replicas).toBe(1);
    const zeroMin = decideReplicas({ ...WAIT, minReplicas: 0 }, m({ backlog: 0, replicas: 1 }), { lastChangeAt: null, lowSince: T0 - 60_000 }, T0);
    expect(zeroMin.replicas).toBe(0);
  });

  it('brings a unit scaled by hand outside the bounds back into them', () => {
    const above = decideReplicas(WAIT, m({ replicas: 9 }), FRESH, T0);
    expect([above.replicas, above.reason]).toEqual([6, '9 replica(s) is above the maximum of 6']);
    const below = decideReplicas({ ...WAIT, minReplicas: 2 }, m({ replicas: 1 }), FRESH, T0);
    expect([below.replicas, below.reason]).toEqual([2, '1 replica(s) is below the minimum of 2']);
  });

  it('keeps still inside the hysteresis band', () => {
    // 2 replicas, 3 tasks of 1 s: p95 wait 1.425 s ≤ 2 s (no up); on 1 replica 2.85 s > 1 s band (no down).
    const d = decideReplicas(WAIT, m({ backlog: 3, replicas: 2 }), { lastChangeAt: null, lowSince: T0 - 3_600_000 }, T0);
    expect(d.replicas).toBe(2);
    expect(d.memory.lowSince).toBeNull();
    expect(d.reason).toMatch(/no change/);
  });

  it('does not flap: a signal oscillating around the target changes nothing within the cool-down', () => {
    let memory = FRESH;
    let replicas = 1;
    const changes: number[] = [];
    for (let i = 0; i < 12; i++) {
      const now = T0 + i * 5000;
      // The backlog alternates 4 and 0 every evaluation (5 s apart), a cool-down of 30 s.
      const d = decideReplicas(WAIT, m({ backlog: i % 2 === 0 ? 4 : 0, replicas }), memory, now);
      if (d.replicas !== replicas) changes.push(now);
      replicas = d.replicas;
      memory = d.memory;
    }
    // Up once at once; down needs 30 s under the band without a break, which never comes.
    expect(changes).toEqual([T0]);
    expect(replicas).toBe(2);
  });

  it('scales down only after the signal stayed under the band for the cool-down, and not within the cool-down of the last change', () => {
    const low = m({ backlog: 0, replicas: 4 });
    const first = decideReplicas(WAIT, low, { lastChangeAt: T0 - 10_000, lowSince: null }, T0);
    expect(first.replicas).toBe(4);
    expect(first.reason).toMatch(/cooling down/);
    expect(first.memory.lowSince).toBe(T0);
    const mid = decideReplicas(WAIT, low, { lastChangeAt: T0 - 10_000, lowSince: T0 }, T0 + 25_000);
    expect(mid.replicas).toBe(4);
    expect(mid.reason).toMatch(/under the band for 25 s of 30 s/);
    const done = decideReplicas(WAIT, low, { lastChangeAt: T0 - 10_000, lowSince: T0 }, T0 + 30_000);
    expect(done.replicas).toBe(1);
    expect(done.reason).toMatch(/for 30 s: scale down to 1/);
    expect(done.memory).toEqual({ lastChangeAt: T0 + 30_000, lowSince: null });
  });

  it('does not scale up again within the cool-down of the last change', () => {
    const d = decideReplicas(WAIT, m({ backlog: 50, replicas: 2 }), { lastChangeAt: T0 - 1000, lowSince: null }, T0);
    expect(d.replicas).toBe(2);
    expect(d.reason).toMatch(/cooling down after the last change/);
    expect(decideReplicas(WAIT, m({ backlog: 50, replicas: 2 }), { lastChangeAt: T0 - 30_000, lowSince: null }, T0).replicas).toBe(6);
  });

  it('changes nothing on missing measurements', () => {
    const noDepth = decideReplicas(WAIT, m({ backlog: null, replicas: 3 }), { lastChangeAt: null, lowSince: T0 - 3_600_000 }, T0);
    expect([noDepth.replicas, noDepth.signal, noDepth.reason]).toEqual([3, null, 'no measured queue depth yet: no change']);
    expect(noDepth.memory.lowSince).toBeNull();
    const noT = decideReplicas(WAIT, m({ backlog: 40, taskMs: null }), FRESH, T0);
    expect([noT.replicas, noT.reason]).toEqual([1, 'no measured task duration yet: no change']);
    const load = { ...WAIT, target: { kind: 'load' as const, utilization: 0.8 } };
    const noLoad = decideReplicas(load, m({ tasksPerMinute: null }), FRESH, T0);
    expect([noLoad.replicas, noLoad.reason]).toEqual([1, 'no measured load yet: no change']);
  });

  it('sizes a load target with the seed formula', () => {
    const load: AutoscalePolicySpec = { ...WAIT, target: { kind: 'load', utilization: 0.8 } };
    // 300 a minute, A = 60 per replica (1 process, 1 s): 5 replicas at 100 %, 7 at ≤ 80 % → max 6.
    expect(decideReplicas(load, m({ tasksPerMinute: 300 }), FRESH, T0).replicas).toBe(6);
    // 90 a minute: 2 replicas are 75 %.
    const d = decideReplicas(load, m({ tasksPerMinute: 90 }), FRESH, T0);
    expect(d.replicas).toBe(2);
    expect(d.reason).toMatch(/load 150 % of capacity \(target 80 %\): scale up to 2/);
  });
});
