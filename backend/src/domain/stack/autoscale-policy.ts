/**
 * The autoscaler's decision, as a pure function: from a unit's policy, what was measured (the
 * backlog of its queues, the measured task duration T, the load M) and what it did last, how many
 * replicas it should run and why. No clock, no engine, no store: the autoscaler feeds it.
 *
 * The signal falls as replicas rise:
 * - `wait`: the predicted wait of the 95th percentile of the waiting tasks,
 *   `0.95 × backlog × T ÷ (replicas × processes)` ms (the backlog drains at replicas × processes
 *   tasks per T);
 * - `load`: the utilisation `M ÷ (replicas × A)` with the seed's `A = processes × 60000 ÷ T`.
 * Scale up (at once) to the fewest replicas that bring the signal to the target; scale down only
 * to the fewest that bring it under `target × (1 − hysteresis)` (the band keeps it from flapping),
 * only when that has held for the whole cool-down, and never within the cool-down of the last
 * change. Always within [min, max]. Missing measurements change nothing.
 */
import { capacityPerReplica } from '../../../../contract/capacity.js';

export type AutoscaleTarget = { kind: 'wait'; waitMs: number } | { kind: 'load'; utilization: number };

export interface AutoscalePolicySpec {
  minReplicas: number;
  maxReplicas: number;
  target: AutoscaleTarget;
  /** No change within this long of the last one; a scale-down needs its condition to hold this long. */
  cooldownMs: number;
  /** Fraction of the target under which the signal must fall before scaling down (0.3 = 30 % under). */
  hysteresis: number;
}

export interface AutoscaleMeasurement {
  /** Replicas the unit runs now (desired). */
  replicas: number;
  /** Python processes per replica. */
  processes: number;
  /** Tasks waiting (ready) and in flight on the unit's queues; null when the broker could not be read. */
  backlog: number | null;
  /** Measured mean task duration on the unit's queues (ms); null without samples. */
  taskMs: number | null;
  /** Load: tasks finished per minute on the unit's queues; null when unknown. */
  tasksPerMinute: number | null;
}

export interface AutoscaleMemory {
  /** When the autoscaler last changed this unit (epoch ms). */
  lastChangeAt: number | null;
  /** Since when the signal has been under the scale-down band without a break (epoch ms). */
  lowSince: number | null;
}

export interface AutoscaleDecision {
  /** The replicas to run: equal to `measurement.replicas` when nothing changes. */
  replicas: number;
  /** Why, in one sentence (recorded with the change). */
  reason: string;
  /** The signal at the current replicas (ms of wait, or utilisation); null when not computable. */
  signal: number | null;
  /** What to remember for the next evaluation. */
  memory: AutoscaleMemory;
}

const P95 = 0.95;

/** The signal with `replicas` replicas; Infinity when there is work and no replica. */
export function signalAt(target: AutoscaleTarget, m: AutoscaleMeasurement, replicas: number): number | null {
  if (target.kind === 'wait') {
    if (m.backlog === null) return null;
    if (m.backlog === 0) return 0;
    if (m.taskMs === null || !(m.taskMs > 0)) return null;
    if (replicas <= 0 || m.processes <= 0) return Number.POSITIVE_INFINITY;
    return (P95 * m.backlog * m.taskMs) / (replicas * m.processes);
  }
  if (m.tasksPerMinute === null) return null;
  if (m.tasksPerMinute === 0) return 0;
  if (m.taskMs === null || !(m.taskMs > 0)) return null;
  const perReplica = capacityPerReplica(m.processes, m.taskMs);
  if (replicas <= 0 || perReplica <= 0) return Number.POSITIVE_INFINITY;
  return m.tasksPerMinute / (replicas * perReplica);
}

function targetValue(target: AutoscaleTarget): number {
  return target.kind === 'wait' ? target.waitMs : target.utilization;
}

/** The fewest replicas in [min, max] whose signal is at most `limit` (max when none is). */
function fewestFor(policy: AutoscalePolicySpec, m: AutoscaleMeasurement, limit: number): number {
  for (let r = policy.minReplicas; r < policy.maxReplicas; r++) {
    const s = signalAt(policy.target, m, r);
    if (s !== null && s <= limit + 1e-9) return r;
  }
  return policy.maxReplicas;
}

function describe(target: AutoscaleTarget, signal: number): string {
  if (target.kind === 'wait') return `predicted wait p95 ${formatMs(signal)} (target ${formatMs(target.waitMs)})`;
  return `load ${Math.round(signal * 100)} % of capacity (target ${Math.round(target.utilization * 100)} %)`;
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '∞';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

export function decideReplicas(policy: AutoscalePolicySpec, m: AutoscaleMeasurement, memory: AutoscaleMemory, now: number): AutoscaleDecision {
  const current = m.replicas;
  const stay = (reason: string, signal: number | null, mem: AutoscaleMemory = memory): AutoscaleDecision => ({ replicas: current, reason, signal, memory: mem });
  // Out of bounds: back into [min, max] whatever was measured (after the cool-down).
  const coolingDown = memory.lastChangeAt !== null && now - memory.lastChangeAt < policy.cooldownMs;
  if (current < policy.minReplicas || current > policy.maxReplicas) {
    const bounded = Math.min(policy.maxReplicas, Math.max(policy.minReplicas, current));
    if (coolingDown) return stay(`outside ${policy.minReplicas}–${policy.maxReplicas} replicas; cooling down`, null);
    return {
      replicas: bounded,
      reason: `${current} replica(s) is ${current < policy.minReplicas ? 'below the minimum' : 'above the maximum'} of ${current < policy.minReplicas ? policy.minReplicas : policy.maxReplicas}`,
      signal: null,
      memory: { lastChangeAt: now, lowSince: null },
    };
  }
  const signal = signalAt(policy.target, m, current);
  if (signal === null) {
    const missing = m.backlog === null && policy.target.kind === 'wait' ? 'queue depth' : m.tasksPerMinute === null && policy.target.kind === 'load' ? 'load' : 'task duration';
    return stay(`no measured ${missing} yet: no change`, null, { ...memory, lowSince: null });
  }
  const target = targetValue(policy.target);
  if (signal > target + 1e-9) {
    const up = fewestFor(policy, m, target);
    if (up <= current) return stay(`${describe(policy.target, signal)}; already at the maximum of ${policy.maxReplicas}`, signal, { ...memory, lowSince: null });
    if (coolingDown) return stay(`${describe(policy.target, signal)}; cooling down after the last change`, signal, { ...memory, lowSince: null });
    return { replicas: up, reason: `${describe(policy.target, signal)}: scale up to ${up}`, signal, memory: { lastChangeAt: now, lowSince: null } };
  }
  const band = target * (1 - policy.hysteresis);
  const down = fewestFor(policy, m, band);
  if (down >= current) return stay(`${describe(policy.target, signal)}: no change`, signal, { ...memory, lowSince: null });
  const lowSince = memory.lowSince ?? now;
  if (coolingDown) return stay(`${describe(policy.target, signal)}; cooling down after the last change`, signal, { ...memory, lowSince });
  if (now - lowSince < policy.cooldownMs)
    return stay(`${describe(policy.target, signal)}; under the band for ${formatMs(now - lowSince)} of ${formatMs(policy.cooldownMs)}`, signal, { ...memory, lowSince });
  return {
    replicas: down,
    reason: `${describe(policy.target, signal)} for ${formatMs(now - lowSince)}: scale down to ${down}`,
    signal,
    memory: { lastChangeAt: now, lowSince: null },
  };
}
