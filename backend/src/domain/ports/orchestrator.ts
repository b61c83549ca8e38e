/**
 * Port: a container orchestrator holding the services of a stack (Docker swarm through
 * dockerode in `adapters/docker`). Low-level on purpose: the stack manager decides what to
 * create, update, wait for and remove, in which order; the adapter only talks to the engine.
 */
import type { Resources } from '../topology/topology.js';
import type { ServiceSpec } from '../stack/stack-spec.js';

/** A service of the stack as the engine reports it. */
export interface ObservedStackService {
  /** Name inside the stack (`worker-1`). */
  service: string;
  labels: Record<string, string>;
  image: string;
  args: string[];
  env: Record<string, string>;
  /** Desired replicas. */
  replicas: number;
  /** Tasks in state running. */
  running: number;
  limits?: Resources;
  reservations?: Resources;
  /** The latest error a task of the service reported, if its latest task failed or is stuck. */
  problem?: string;
}

export interface Orchestrator {
  /** Where the engine is (`unix:///var/run/docker.sock`, `ssh://user@host`), for display. */
  readonly endpoint: string;
  /** Services labelled with this stack's name. */
  listServices(stack: string): Promise<ObservedStackService[]>;
  createService(stack: string, spec: ServiceSpec): Promise<void>;
  /** Replace the service's spec with `spec` (image, args, env, labels, replicas, resources). */
  updateService(stack: string, spec: ServiceSpec): Promise<void>;
  removeService(stack: string, service: string): Promise<void>;
  /**
   * Resolve once the service runs its desired replicas with its current spec (and, for 0
   * replicas, none); reject after `timeoutMs` with what its tasks report. `progress` gets
   * "2/3 running"-style lines as things change.
   */
  waitConverged(stack: string, service: string, timeoutMs: number, progress: (message: string) => void): Promise<void>;
  /**
   * Resolve once no container of the stack is left (after its services were removed), or with
   * `service` only of that service: a removed unit may still finish a task while it stops.
   */
  waitGone(stack: string, timeoutMs: number, progress: (message: string) => void, service?: string): Promise<void>;
}
