/**
 * The autoscaler: every few seconds, while this process holds the `autoscaler` lease, it reads
 * the stack's deployed units, the depth of their queues and the measured task durations, asks the
 * policy function (autoscale-policy.ts) what each unit with an active policy should run, and
 * applies a change through the stack manager (the same plan/apply path as the console and the
 * CLI), recorded as a stack change `by: autoscaler` with the reason. One change at a time: it
 * waits for each to converge before evaluating again, and skips a round while an operator's
 * change runs. An engine error (a failed change, a unit no longer deployed) pauses that policy
 * with the error; it is not retried until an operator sets or resumes the policy.
 */
import { measuredTaskMs } from '../../../../contract/capacity.js';
import type { Broker } from '../ports/broker.js';
import type { LeaderLease } from '../ports/lease.js';
import {
  AUTOSCALE_KEEP_DECISIONS,
  AUTOSCALE_KEEP_SAMPLES,
  type AutoscaleDecisionRecord,
  type AutoscaleOps,
  type AutoscalePolicyRow,
  type AutoscaleState,
} from '../ports/autoscale-store.js';
import type { TaskTiming } from '../ports/store.js';
import type { WorkerUnit } from '../topology/topology.js';
import { decideReplicas, type AutoscaleMeasurement } from './autoscale-policy.js';
import type { StackManager } from './stack-manager.js';

export const AUTOSCALE_EVERY_MS = 5_000;
/** Task durations are measured over this window. */
export const AUTOSCALE_WINDOW_MS = 10 * 60_000;
const MAX_TIMINGS = 20_000;

export interface AutoscalerOptions {
  manager: Pick<StackManager, 'stack' | 'topology' | 'apply' | 'settled' | 'busy'>;
  policies: AutoscaleOps;
  broker: Pick<Broker, 'stats'>;
  timingsSince: (since: number, limit: number) => Promise<TaskTiming[]>;
  lease: Pick<LeaderLease, 'isLeader' | 'start' | 'stop'>;
  now: () => number;
  everyMs?: number;
  windowMs?: number;
  /** Told about the autoscaler's own failures (the store unreachable…); policies' errors are stored. */
  onError?: (err: unknown) => void;
  /** Told after each evaluation round (tests). */
  onRound?: () => void;
}

export class Autoscaler {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly o: AutoscalerOptions) {}

  async start(): Promise<void> {
    await this.o.lease.start();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.round;
    await this.o.lease.stop();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.round = this.evaluate()
        .catch((err: unknown) => this.o.onError?.(err))
        .finally(() => {
          this.o.onRound?.();
          this.schedule();
        });
    }, this.o.everyMs ?? AUTOSCALE_EVERY_MS);
    this.timer.unref();
  }

  /** One round: every active policy of the stack, one after the other; a change is waited for before the next. */
  async evaluate(): Promise<void> {
    if (!this.o.lease.isLeader() || this.o.manager.busy) return;
    const stack = this.o.manager.stack;
    const policies = (await this.o.policies.list(stack)).filter((p) => !p.paused);
    if (policies.length === 0) return;
    let units: WorkerUnit[];
    try {
      units = (await this.o.manager.topology()).topology.units;
    } catch (err) {
      // The engine cannot be read, or nothing is deployed: every active policy stops here, saying why.
      for (const p of policies) await this.pause(p, p.state, `cannot read the stack: ${message(err)}`);
      return;
    }
    const now = this.o.now();
    const stats = await this.o.broker.stats().catch(() => null);
    const window = this.o.windowMs ?? AUTOSCALE_WINDOW_MS;
    const timings = await this.o.timingsSince(now - window, MAX_TIMINGS).catch(() => null);
    for (const policy of policies) {
      if (this.stopped || !this.o.lease.isLeader() || this.o.manager.busy) return;
      const unit = units.find((u) => u.name === policy.unit);
      if (!unit) {
        await this.pause(policy, policy.state, `unit ${policy.unit} is not deployed in stack ${stack} (was its service removed?)`);
        continue;
      }
      await this.evaluateOne(policy, unit, measure(unit, stats, timings, window));
    }
  }

  private async evaluateOne(policy: AutoscalePolicyRow, unit: WorkerUnit, m: AutoscaleMeasurement): Promise<void> {
    const now = this.o.now();
    const d = decideReplicas(policy.spec, m, policy.state, now);
    const state: AutoscaleState = {
      ...policy.state,
      ...d.memory,
      lastEvaluatedAt: now,
      lastReason: d.reason,
      samples: [...policy.state.samples, { time: now, replicas: unit.replicas, backlog: m.backlog }].slice(-AUTOSCALE_KEEP_SAMPLES),
    };
    if (d.replicas === unit.replicas) {
      await this.o.policies.saveState(policy.stack, policy.unit, state, null, now);
      return;
    }
    const record: AutoscaleDecisionRecord = { time: now, from: unit.replicas, to: d.replicas, reason: d.reason, state: 'applied' };
    // Saved before the change starts: an evaluation that died here still shows what it meant to do.
    const pending = withDecision(state, record);
    await this.o.policies.saveState(policy.stack, policy.unit, pending, null, now);
    try {
      const started = await this.o.manager.apply({ op: 'scale', unit: unit.name, replicas: d.replicas }, { by: 'autoscaler', reason: d.reason });
      record.changeId = started.id;
      const done = await this.o.manager.settled(started.id);
      if (done.state === 'failed') throw new Error(done.error ?? 'the change failed');
    } catch (err) {
      record.state = 'failed';
      record.error = message(err);
      await this.pause(policy, withDecision(pending, record, true), `scaling ${unit.name} to ${d.replicas} failed: ${message(err)}`);
      return;
    }
    await this.o.policies.saveState(policy.stack, policy.unit, withDecision(pending, record, true), null, this.o.now());
  }

  private async pause(policy: AutoscalePolicyRow, state: AutoscaleState, error: string): Promise<void> {
    const now = this.o.now();
    const paused: AutoscaleDecisionRecord = {
      time: now,
      from: state.samples.at(-1)?.replicas ?? 0,
      to: state.samples.at(-1)?.replicas ?? 0,
      reason: error,
      state: 'paused',
      error,
    };
    await this.o.policies.saveState(policy.stack, policy.unit, { ...withDecision(state, paused), lastReason: error, lastEvaluatedAt: now }, { error }, now);
  }
}

/** The state with `record` appended (or replacing the last one when it is the same decision, updated). */
function withDecision(state: AutoscaleState, record: AutoscaleDecisionRecord, replaceLast = false): AutoscaleState {
  const decisions = replaceLast ? [...state.decisions.slice(0, -1), { ...record }] : [...state.decisions, { ...record }];
  return { ...state, decisions: decisions.slice(-AUTOSCALE_KEEP_DECISIONS) };
}

/** What the policy function needs about a unit: its replicas and processes, the backlog of its queues, T and M over the window. */
export function measure(
  unit: Pick<WorkerUnit, 'queues' | 'replicas' | 'processes'>,
  stats: Awaited<ReturnType<Broker['stats']>> | null,
  timings: readonly TaskTiming[] | null,
  windowMs: number,
): AutoscaleMeasurement {
  const queues = new Set(unit.queues);
  const backlog = stats === null ? null : stats.filter((s) => queues.has(s.queue)).reduce((sum, s) => sum + s.length, 0);
  let count = 0;
  let total = 0;
  for (const t of timings ?? []) {
    if (!queues.has(t.queue)) continue;
    count++;
    total += Math.max(0, t.endTimeMs - t.startTimeMs);
  }
  return {
    replicas: unit.replicas,
    processes: unit.processes,
    backlog,
    taskMs: count > 0 ? measuredTaskMs(total / count) : null,
    tasksPerMinute: timings === null ? null : count / (windowMs / 60_000),
  };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
