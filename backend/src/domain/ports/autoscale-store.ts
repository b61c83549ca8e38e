/**
 * Port: the autoscaling policies of a stack's worker units, kept in the store (every server sees
 * them; the leader evaluates them). The policy (what an operator set) and the autoscaler's state
 * (what it measured and decided) are written separately, so neither overwrites the other.
 */
import type { AutoscaleMemory, AutoscaleTarget } from '../stack/autoscale-policy.js';

export interface AutoscaleSpec {
  minReplicas: number;
  maxReplicas: number;
  target: AutoscaleTarget;
  cooldownMs: number;
  hysteresis: number;
}

/** One evaluation that changed something (or paused the policy). */
export interface AutoscaleDecisionRecord {
  time: number;
  from: number;
  to: number;
  reason: string;
  /** The stack change that applied it. */
  changeId?: string;
  state: 'applied' | 'failed' | 'paused';
  error?: string;
}

/** One evaluation's measurements, for the chart of replicas against queue depth. */
export interface AutoscaleSample {
  time: number;
  replicas: number;
  /** Waiting and in-flight tasks on the unit's queues; null when unread. */
  backlog: number | null;
}

export interface AutoscaleState extends AutoscaleMemory {
  /** Newest last, at most AUTOSCALE_KEEP_DECISIONS. */
  decisions: AutoscaleDecisionRecord[];
  /** Newest last, at most AUTOSCALE_KEEP_SAMPLES. */
  samples: AutoscaleSample[];
  lastEvaluatedAt: number | null;
  /** The last evaluation's reason, changed or not. */
  lastReason: string | null;
}

export interface AutoscalePolicyRow {
  stack: string;
  unit: string;
  spec: AutoscaleSpec;
  paused: boolean;
  /** Why the autoscaler paused it (an engine error, the unit gone), until it is set again. */
  error: string | null;
  state: AutoscaleState;
  updateTime: number;
}

export const AUTOSCALE_KEEP_DECISIONS = 20;
export const AUTOSCALE_KEEP_SAMPLES = 360;

export function emptyAutoscaleState(): AutoscaleState {
  return { lastChangeAt: null, lowSince: null, decisions: [], samples: [], lastEvaluatedAt: null, lastReason: null };
}

export interface AutoscaleOps {
  list(stack: string): Promise<AutoscalePolicyRow[]>;
  get(stack: string, unit: string): Promise<AutoscalePolicyRow | undefined>;
  /** Create or replace the policy (keeps the state of an existing one; clears its error). */
  setPolicy(stack: string, unit: string, spec: AutoscaleSpec, paused: boolean, now: number): Promise<AutoscalePolicyRow>;
  /** Pause or resume (a resume clears the error). False when there is no such policy. */
  setPaused(stack: string, unit: string, paused: boolean, now: number): Promise<boolean>;
  /** The autoscaler's write: its state, and a pause with its error when it had to stop. */
  saveState(stack: string, unit: string, state: AutoscaleState, pause: { error: string } | null, now: number): Promise<void>;
  delete(stack: string, unit: string): Promise<boolean>;
}
