/**
 * The topology a server shows when it manages a stack: the units read back from the swarm
 * (labels and replicas of its services), reused for a short while so a console polling every
 * second does not list the swarm every second. Undefined when nothing is deployed or the engine
 * cannot be read: the caller falls back to its static FUNC_TOPOLOGY.
 */
import type { Topology } from '../topology/topology.js';
import type { StackManager } from './stack-manager.js';

export const DEPLOYED_TOPOLOGY_TTL_MS = 2000;

export class DeployedTopology {
  private cached: { at: number; value: Promise<Topology | undefined> } | undefined;

  constructor(
    private readonly manager: Pick<StackManager, 'status'>,
    private readonly ttlMs = DEPLOYED_TOPOLOGY_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<Topology | undefined> {
    const now = this.now();
    if (this.cached && now - this.cached.at < this.ttlMs) return this.cached.value;
    const value = this.manager.status().then(
      (s) => (s.deployed ? s.topology : undefined),
      () => undefined,
    );
    this.cached = { at: now, value };
    return value;
  }

  /** Read the swarm again at the next `get` (after a change was applied). */
  invalidate(): void {
    this.cached = undefined;
  }
}
