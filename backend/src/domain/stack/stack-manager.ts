/**
 * The stack on an orchestrator, as operations: read its status and topology (from the labels of
 * its services), plan a change (validated by the topology algebra, steps ordered so no queue is
 * ever without a listener), apply a plan step by step with progress, deploy and remove.
 * Used by `func stack …` and by the server's /api/v1/stack routes; knows no driver.
 */
import { ApiError } from '../../../../contract/errors.js';
import type { ChangeProgress, PlanStep, StackChange, StackPlan, StackStatus } from '../../../../contract/operations/stack.js';
import { newId } from '../ids.js';
import type { ObservedStackService, Orchestrator } from '../ports/orchestrator.js';
import { planSteps } from '../topology/change-plan.js';
import { applyChange, ChangeRefused } from '../topology/topology-change.js';
import { validateTopology, type Topology } from '../topology/topology.js';
import { LABEL, stackServices, swarmName, topologyFromServices, withQueues, type ServiceRole, type ServiceSpec, type StackOptions } from './stack-spec.js';

export const DEFAULT_CONVERGE_TIMEOUT_MS = 180_000;
const KEEP_CHANGES = 20;

export type Progress = (message: string) => void;

/** Who applies a change and why (the autoscaler's changes say so). */
export interface ChangeOrigin {
  by: string;
  reason: string;
}

export interface StackManagerOptions {
  stack: string;
  orchestrator: Orchestrator;
  convergeTimeoutMs?: number;
  now?: () => number;
}

export class StackManager {
  private readonly changes = new Map<string, ChangeProgress>();
  private readonly settledBy = new Map<string, Promise<ChangeProgress>>();
  private running: string | undefined;

  constructor(private readonly o: StackManagerOptions) {}

  get stack(): string {
    return this.o.stack;
  }

  /** Where the engine is, for display. */
  get endpoint(): string {
    return this.o.orchestrator.endpoint;
  }

  async status(): Promise<StackStatus> {
    const observed = await this.o.orchestrator.listServices(this.o.stack);
    const topology = topologyFromServices(observed);
    const out: StackStatus = {
      configured: true,
      endpoint: this.o.orchestrator.endpoint,
      stack: this.o.stack,
      deployed: observed.length > 0,
      services: observed.map((s) => serviceStatus(this.o.stack, s)),
    };
    if (topology) out.topology = topology;
    return out;
  }

  /** The deployed topology; refused when nothing of the stack runs. */
  async topology(): Promise<{ topology: Topology; observed: ObservedStackService[] }> {
    const observed = await this.o.orchestrator.listServices(this.o.stack);
    const topology = topologyFromServices(observed);
    if (!topology) throw new ChangeRefused([`no stack "${this.o.stack}" is deployed on ${this.o.orchestrator.endpoint}; deploy it first (func stack deploy)`]);
    return { topology, observed };
  }

  async plan(change: StackChange): Promise<StackPlan> {
    return (await this.planWithServices(change)).plan;
  }

  private async planWithServices(change: StackChange): Promise<{ plan: StackPlan; observed: ObservedStackService[] }> {
    const { topology, observed } = await this.topology();
    const { topology: after, summary } = applyChange(topology, change);
    return { plan: { change, summary, before: topology, after, steps: planSteps(topology, after) }, observed };
  }

  /** Plan and start applying in the background; one change at a time (claimed before anything is read). */
  async apply(change: StackChange, origin?: ChangeOrigin): Promise<ChangeProgress> {
    this.claim();
    let plan: StackPlan;
    let observed: ObservedStackService[];
    try {
      ({ plan, observed } = await this.planWithServices(change));
    } catch (err) {
      this.running = undefined;
      throw err;
    }
    const now = this.now();
    const progress: ChangeProgress = { id: newId('chg'), state: 'running', plan, step: 0, log: [{ time: now, message: plan.summary }], startedAt: now, ...origin };
    if (origin) progress.log.push({ time: now, message: `By ${origin.by}: ${origin.reason}` });
    this.running = progress.id;
    this.remember(progress);
    const specs = stackServices(plan.after, templateOf(this.o.stack, observed));
    const settled = this.run(
      plan.steps,
      specs,
      (m) => progress.log.push({ time: this.now(), message: m }),
      (i) => (progress.step = i),
    )
      .then(
        () => {
          progress.state = 'done';
          progress.step = plan.steps.length;
        },
        (err: unknown) => {
          progress.state = 'failed';
          progress.error = err instanceof Error ? err.message : String(err);
          progress.log.push({ time: this.now(), message: `Failed: ${progress.error}` });
        },
      )
      .finally(() => {
        progress.endedAt = this.now();
        this.running = undefined;
        this.settledBy.delete(progress.id);
      })
      .then(() => structuredClone(progress));
    this.settledBy.set(progress.id, settled);
    return structuredClone(progress);
  }

  /** The change once done or failed (at once when it is over). */
  async settled(id: string): Promise<ChangeProgress> {
    return (await this.settledBy.get(id)) ?? this.change(id);
  }

  /** True while a change is being planned or applied through this manager. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** The changes kept in memory, newest first. */
  listChanges(): ChangeProgress[] {
    return [...this.changes.values()].reverse().map((p) => structuredClone(p));
  }

  /** Only one change runs through this manager at a time. */
  private claim(): void {
    if (this.running) throw new ApiError('EBizRequestConflict', `another change (${this.running}) is still being applied; wait for it to finish`, { running: this.running });
    this.running = 'being planned';
  }

  change(id: string): ChangeProgress {
    const p = this.changes.get(id);
    if (!p) throw new ApiError('EClientNotFound', `no change ${id} (changes are kept in the memory of the server that ran them)`, { field: 'id' });
    return structuredClone(p);
  }

  /** Apply a plan now (the CLI's way), reporting each step. */
  async applyNow(change: StackChange, progress: Progress): Promise<StackPlan> {
    this.claim();
    try {
      const { plan, observed } = await this.planWithServices(change);
      progress(plan.summary);
      await this.run(plan.steps, stackServices(plan.after, templateOf(this.o.stack, observed)), progress, () => undefined);
      return plan;
    } finally {
      this.running = undefined;
    }
  }

  /**
   * Deploy `topology`: create what is missing (server, units, beat), update units that differ,
   * remove units that are not in it, in the same no-gap order as a change.
   */
  async deploy(topology: Topology, options: StackOptions, progress: Progress): Promise<void> {
    const { plan, specs } = await this.deployPlan(topology, options);
    progress(plan.summary);
    await this.run(plan.steps, specs, progress, () => undefined);
  }

  /** What `deploy` would do, changing nothing (`func stack deploy --dry-run`): only reads the services. */
  async planDeploy(topology: Topology, options: StackOptions): Promise<{ summary: string; steps: PlanStep[] }> {
    const { plan } = await this.deployPlan(topology, options);
    return plan;
  }

  private async deployPlan(topology: Topology, options: StackOptions): Promise<{ plan: { summary: string; steps: PlanStep[] }; specs: ServiceSpec[] }> {
    const problems = validateTopology(topology);
    if (problems.length > 0) throw new ChangeRefused(problems);
    const observed = await this.o.orchestrator.listServices(this.o.stack);
    const before = topologyFromServices(observed) ?? { ...topology, units: [] };
    const specs = stackServices(topology, { ...options, stack: this.o.stack });
    const existing = new Set(observed.map((s) => s.service));
    const others = specs.filter((s) => s.role !== 'worker' && !existing.has(s.service));
    const unitSteps = planSteps(before, topology);
    // Services the topology change leaves alone still get a new image, environment or command.
    const touched = new Set(unitSteps.filter((s) => s.kind !== 'wait').map((s) => s.service));
    const observedByName = new Map(observed.map((s) => [s.service, s]));
    const rollouts = specs.filter((s) => !touched.has(s.service) && observedByName.has(s.service) && runsDifferently(observedByName.get(s.service)!, s));
    const rollout = (role: (r: ServiceRole) => boolean): PlanStep[] =>
      rollouts
        .filter((s) => role(s.role))
        .flatMap((s): PlanStep[] => [
          { kind: 'update', service: s.service, description: `Update ${s.service}: ${rolloutReason(observedByName.get(s.service)!, s)}` },
          { kind: 'wait', service: s.service, description: `Wait until ${s.service} has converged` },
        ]);
    const steps: PlanStep[] = [
      ...others.filter((s) => s.role !== 'beat').map((s): PlanStep => ({ kind: 'create', service: s.service, description: `Create ${s.service}` })),
      ...rollout((r) => r === 'server'),
      ...unitSteps,
      ...rollout((r) => r === 'worker'),
      ...rollout((r) => r === 'beat'),
      ...others.filter((s) => s.role === 'beat').map((s): PlanStep => ({ kind: 'create', service: s.service, description: `Create ${s.service}` })),
      ...others.map((s): PlanStep => ({ kind: 'wait', service: s.service, description: `Wait until ${s.service} runs` })),
    ];
    return { plan: { summary: `Deploy ${topology.name} as stack ${this.o.stack} on ${this.o.orchestrator.endpoint}`, steps }, specs };
  }

  /** The services `remove` would remove, changing nothing (`func stack rm --dry-run`). */
  async planRemove(): Promise<string[]> {
    return (await this.o.orchestrator.listServices(this.o.stack)).map((s) => s.service);
  }

  /** Remove every service of the stack and wait until its containers are gone. */
  async remove(progress: Progress): Promise<number> {
    const observed = await this.o.orchestrator.listServices(this.o.stack);
    for (const s of observed) {
      progress(`Remove ${s.service}`);
      await this.o.orchestrator.removeService(this.o.stack, s.service);
    }
    await this.o.orchestrator.waitGone(this.o.stack, this.o.convergeTimeoutMs ?? DEFAULT_CONVERGE_TIMEOUT_MS, progress);
    return observed.length;
  }

  private async run(steps: PlanStep[], specs: ServiceSpec[], progress: Progress, onStep: (i: number) => void): Promise<void> {
    const byName = new Map(specs.map((s) => [s.service, s]));
    const orchestrator = this.o.orchestrator;
    for (const [i, step] of steps.entries()) {
      onStep(i);
      progress(`[${i + 1}/${steps.length}] ${step.description}`);
      const final = byName.get(step.service);
      const spec = final && step.queues ? withQueues(final, step.queues) : final;
      if (step.kind === 'create' || step.kind === 'update') {
        if (!spec) throw new Error(`no service spec for ${step.service}`);
        await (step.kind === 'create' ? orchestrator.createService(this.o.stack, spec) : orchestrator.updateService(this.o.stack, spec));
      } else if (step.kind === 'wait') {
        await orchestrator.waitConverged(this.o.stack, step.service, this.o.convergeTimeoutMs ?? DEFAULT_CONVERGE_TIMEOUT_MS, (m) => progress(`    ${m}`));
      } else {
        await orchestrator.removeService(this.o.stack, step.service);
        // Converged means the removed unit has stopped too (it may finish a task while stopping).
        await orchestrator.waitGone(this.o.stack, this.o.convergeTimeoutMs ?? DEFAULT_CONVERGE_TIMEOUT_MS, (m) => progress(`    ${m}`), step.service);
      }
    }
    progress('Done: the swarm has converged');
  }

  private remember(p: ChangeProgress): void {
    this.changes.set(p.id, p);
    for (const id of this.changes.keys()) {
      if (this.changes.size <= KEEP_CHANGES) break;
      if (id !== this.running) this.changes.delete(id);
    }
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }
}

function runsDifferently(o: ObservedStackService, s: ServiceSpec): boolean {
  return rolloutReason(o, s) !== '';
}

/** What differs between what a service runs and what the deploy asks for, or '' when nothing. */
function rolloutReason(o: ObservedStackService, s: ServiceSpec): string {
  const out: string[] = [];
  if (o.image !== s.image) out.push(`image ${o.image} → ${s.image}`);
  if (o.args.join('\0') !== s.args.join('\0')) out.push(`command ${o.args.join(' ')} → ${s.args.join(' ')}`);
  const keys = [...new Set([...Object.keys(o.env), ...Object.keys(s.env)])].filter((k) => o.env[k] !== s.env[k]).sort();
  // Values are not shown: the environment carries secrets.
  if (keys.length > 0) out.push(`environment ${keys.join(', ')}`);
  return out.join('; ');
}

/** New and updated units inherit the image and environment the stack's workers run with. */
function templateOf(stack: string, observed: ObservedStackService[]): StackOptions {
  const model = observed.find((s) => s.labels[LABEL.role] === 'worker') ?? observed.find((s) => s.labels[LABEL.role] === 'server');
  if (!model) throw new ChangeRefused(['the stack has no worker or server service to copy the image and environment from']);
  return { stack, image: model.image, env: model.env, dataServices: false };
}

function serviceStatus(stack: string, s: ObservedStackService): StackStatus['services'][number] {
  const role = (s.labels[LABEL.role] ?? 'worker') as ServiceRole;
  const out: StackStatus['services'][number] = { name: swarmName(stack, s.service), service: s.service, role, image: s.image, desired: s.replicas, running: s.running };
  const unit = s.labels[LABEL.unit];
  const queues = s.labels[LABEL.queues];
  if (unit) out.unit = unit;
  if (queues) out.queues = queues.split(',').map(Number);
  if (s.labels[LABEL.processes]) out.processes = Number(s.labels[LABEL.processes]);
  if (s.limits) out.limits = s.limits;
  if (s.reservations) out.reservations = s.reservations;
  if (s.problem) out.problem = s.problem;
  return out;
}
