/**
 * A stack service (domain `ServiceSpec`) as a Docker swarm service spec, and a swarm service with
 * its tasks back as an `ObservedStackService`. No I/O.
 */
import type Docker from 'dockerode';
import type { ObservedStackService } from '../../domain/ports/orchestrator.js';
import { LABEL, swarmName, type ServiceSpec } from '../../domain/stack/stack-spec.js';
import type { Resources } from '../../domain/topology/topology.js';
import { latestProblem, type SwarmService, type SwarmTask } from './swarm-tasks.js';

const MIB = 1024 * 1024;
/**
 * Replicas on one host share its hostname under host networking and all run as pid 1, so their
 * heartbeats would collide: each task gets `<node>-<slot>` as its hostname instead.
 */
export const HOSTNAME_TEMPLATE = '{{.Node.Hostname}}-{{.Task.Slot}}';

/**
 * Server, workers and beat write this file once they are up (FUNC_READY_FILE); the health check
 * finds it, and only then does the swarm count the task as running, so "converged" means serving
 * and a unit that takes over a queue listens before the old one lets go.
 */
export const READY_FILE = '/tmp/func-ready';
const FUNC_ROLES = new Set(['server', 'worker', 'beat']);
const SECOND = 1e9;
export const HEALTH_CHECK = { Test: ['CMD', 'test', '-f', READY_FILE], Interval: 2 * SECOND, Timeout: 5 * SECOND, Retries: 3, StartPeriod: 180 * SECOND };
const NANO = 1e9;

/**
 * The whole spec of a service: what we own is set, anything else an operator added by hand to
 * `current` (placement constraints, log driver…) is kept.
 */
export function swarmServiceSpec(stack: string, s: ServiceSpec, current: Docker.ServiceSpec = {}): Docker.ServiceSpec {
  const template = (current.TaskTemplate ?? {}) as Docker.ContainerTaskSpec;
  const func = FUNC_ROLES.has(s.role);
  const env = func ? { ...s.env, FUNC_READY_FILE: READY_FILE } : s.env;
  const containerSpec: Docker.ContainerSpec & { Healthcheck?: Docker.HealthConfig } = {
    ...template.ContainerSpec,
    Image: s.image,
    Args: [...s.args],
    Env: Object.entries(env)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`),
    Labels: { [LABEL.stack]: stack, [LABEL.role]: s.role, ...(s.labels[LABEL.unit] ? { [LABEL.unit]: s.labels[LABEL.unit] } : {}) },
    Hostname: HOSTNAME_TEMPLATE,
  };
  // The engine's key is `Healthcheck` (the typings say HealthCheck): one key, so an update replaces it.
  if (func) containerSpec.Healthcheck = HEALTH_CHECK;
  if (s.volumes)
    containerSpec.Mounts = Object.entries(s.volumes).map(([v, target]) => ({
      Type: 'volume',
      Source: swarmName(stack, v),
      Target: target,
      VolumeOptions: { NoCopy: false, Labels: { [LABEL.stack]: stack }, DriverConfig: { Name: 'local', Options: {} } },
    }));
  const taskTemplate: Docker.ContainerTaskSpec = {
    ...template,
    ContainerSpec: containerSpec,
    Resources: { Limits: dockerResources(s.limits), Reservations: dockerResources(s.reservations) },
    RestartPolicy: { Condition: 'any', Delay: 2 * NANO },
    // Every service runs on the host's network (Redis, the store and the server on its loopback).
    Networks: [{ Target: 'host' }],
  };
  return {
    ...current,
    Name: swarmName(stack, s.service),
    Labels: { ...s.labels, [LABEL.stack]: stack },
    TaskTemplate: taskTemplate,
    Mode: { Replicated: { Replicas: s.replicas } },
    // Host networking: two servers (one port) or two beats must never overlap during an update.
    UpdateConfig: {
      Parallelism: 1,
      Order: s.role === 'worker' ? 'start-first' : 'stop-first',
      FailureAction: 'pause',
      Monitor: 2 * NANO,
      Delay: 0,
    },
  };
}

function dockerResources(r: Resources | undefined): Docker.Resources {
  const out: Docker.Resources = {};
  if (r?.cpus !== undefined) out.NanoCPUs = Math.round(r.cpus * NANO);
  if (r?.memoryMb !== undefined) out.MemoryBytes = r.memoryMb * MIB;
  return out;
}

function resourcesOf(r: Docker.Resources | undefined): Resources | undefined {
  const out: Resources = {};
  if (r?.NanoCPUs) out.cpus = r.NanoCPUs / NANO;
  if (r?.MemoryBytes) out.memoryMb = Math.round(r.MemoryBytes / MIB);
  return out.cpus === undefined && out.memoryMb === undefined ? undefined : out;
}

/** Name inside the stack: `func_worker-1` → `worker-1`. */
export function serviceNameIn(stack: string, swarmServiceName: string): string {
  return swarmServiceName.startsWith(`${stack}_`) ? swarmServiceName.slice(stack.length + 1) : swarmServiceName;
}

/** What the engine says about a service, given its tasks. */
export function observedService(stack: string, service: SwarmService, tasks: SwarmTask[]): ObservedStackService {
  const spec = service.Spec ?? {};
  const template = (spec.TaskTemplate ?? {}) as Docker.ContainerTaskSpec;
  const c = template.ContainerSpec ?? {};
  const env: Record<string, string> = {};
  for (const entry of c.Env ?? []) {
    const at = entry.indexOf('=');
    if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  delete env.FUNC_READY_FILE; // ours, set again on every create and update
  const own = tasks.filter((t) => t.ServiceID === service.ID);
  const out: ObservedStackService = {
    service: serviceNameIn(stack, spec.Name ?? service.ID),
    labels: { ...spec.Labels },
    image: (c.Image ?? '').replace(/@sha256:[0-9a-f]+$/, ''),
    args: [...(c.Args ?? [])],
    env,
    replicas: spec.Mode?.Replicated?.Replicas ?? 0,
    running: own.filter((t) => t.DesiredState === 'running' && t.Status?.State === 'running').length,
  };
  const limits = resourcesOf(template.Resources?.Limits);
  const reservations = resourcesOf(template.Resources?.Reservations);
  if (limits) out.limits = limits;
  if (reservations) out.reservations = reservations;
  const problem = latestProblem(own);
  if (problem) out.problem = problem;
  return out;
}
