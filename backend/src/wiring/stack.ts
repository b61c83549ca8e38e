/**
 * Building a StackManager on Docker from the configuration: FUNC_DOCKER_HOST (the engine of a
 * swarm manager) and FUNC_STACK (the stack's name). The CLI falls back to the local socket; a
 * server without FUNC_DOCKER_HOST has no stack operations.
 */
import type { Config } from '../config/config.js';
import { DEFAULT_DOCKER_HOST } from '../adapters/docker/docker-connection.js';
import { DockerOrchestrator } from '../adapters/docker/docker-orchestrator.js';
import type { LeaderLease } from '../domain/ports/lease.js';
import type { Broker } from '../domain/ports/broker.js';
import type { Store } from '../domain/ports/store.js';
import { Autoscaler } from '../domain/stack/autoscaler.js';
import { DeployedTopology } from '../domain/stack/deployed-topology.js';
import { StackManager } from '../domain/stack/stack-manager.js';

export { DEFAULT_DOCKER_HOST };

export interface StackWiringOptions {
  /** Overrides FUNC_DOCKER_HOST. */
  dockerHost?: string;
  /** Overrides FUNC_STACK. */
  stack?: string;
  convergeTimeoutMs?: number;
  pollMs?: number;
}

export function createStackManager(config: Pick<Config, 'dockerHost' | 'stack'>, options: StackWiringOptions = {}): StackManager {
  const endpoint = options.dockerHost ?? config.dockerHost ?? DEFAULT_DOCKER_HOST;
  const orchestrator = new DockerOrchestrator(endpoint, options.pollMs === undefined ? {} : { pollMs: options.pollMs });
  return new StackManager({
    stack: options.stack ?? config.stack,
    orchestrator,
    ...(options.convergeTimeoutMs === undefined ? {} : { convergeTimeoutMs: options.convergeTimeoutMs }),
  });
}

/** What a server needs to manage its stack: the manager and the deployed topology (cached). */
export interface ServerStack {
  manager: StackManager;
  deployed: DeployedTopology;
}

/** Undefined when the server has no FUNC_DOCKER_HOST. */
export function serverStack(config: Pick<Config, 'dockerHost' | 'stack'>): ServerStack | undefined {
  if (!config.dockerHost) return undefined;
  const manager = createStackManager(config);
  return { manager, deployed: new DeployedTopology(manager) };
}

/**
 * The autoscaler of a server that manages a stack: it evaluates the stored policies while it
 * holds `lease` (one server of many), every FUNC_AUTOSCALE_EVERY_MS.
 */
export async function startAutoscaler(
  stack: ServerStack,
  deps: { store: Store; broker: Broker; lease: LeaderLease; now: () => number; everyMs?: number; onError?: ((err: unknown) => void) | undefined },
): Promise<Autoscaler> {
  const autoscaler = new Autoscaler({
    manager: stack.manager,
    policies: deps.store.autoscale,
    broker: deps.broker,
    timingsSince: (since, limit) => deps.store.taskRecords.timingsSince(since, limit),
    lease: deps.lease,
    now: deps.now,
    ...(deps.everyMs === undefined ? {} : { everyMs: deps.everyMs }),
    onError: (err) => {
      stack.deployed.invalidate();
      deps.onError?.(err);
    },
  });
  await autoscaler.start();
  return autoscaler;
}
