/**
 * Reading a service's tasks: has it converged (its desired replicas run with its current spec,
 * nothing older still runs, no rolling update in progress), and what went wrong when it has not.
 * No I/O: the orchestrator polls and hands the answers in.
 */
import type Docker from 'dockerode';

/** The fields of a swarm service we read (GET /services/:id). */
export type SwarmService = Pick<Docker.Service, 'ID' | 'Spec' | 'UpdateStatus' | 'Version'>;

/** The fields of a swarm task we read (GET /tasks). */
export interface SwarmTask {
  ID: string;
  ServiceID: string;
  Slot?: number;
  CreatedAt?: string;
  DesiredState?: string;
  Spec?: unknown;
  Status?: { State?: string; Message?: string; Err?: string; Timestamp?: string };
}

const FAILED = new Set(['failed', 'rejected', 'orphaned']);
const STARTING = new Set(['new', 'allocated', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting']);
/** A task that has not started after this long is reported as a problem. */
export const STUCK_AFTER_MS = 20_000;
/** This many failed tasks of the current spec since the wait began: stop waiting. */
export const FAILURES_TO_GIVE_UP = 3;

const time = (iso: string | undefined): number => (iso ? Date.parse(iso) || 0 : 0);

function describe(t: SwarmTask): string {
  const s = t.Status ?? {};
  const why = s.Err || s.Message || 'no message';
  return `task ${t.Slot ?? '?'} ${s.State ?? 'unknown'}: ${why}`;
}

/**
 * The latest problem among the tasks: the newest task failed or was rejected, or is still not
 * started after STUCK_AFTER_MS (e.g. "no suitable node (insufficient memory)").
 */
export function latestProblem(tasks: SwarmTask[], now = Date.now()): string | undefined {
  const newest = [...tasks].sort((a, b) => time(b.CreatedAt) - time(a.CreatedAt))[0];
  if (!newest) return undefined;
  const state = newest.Status?.State ?? '';
  if (FAILED.has(state)) return describe(newest);
  if (STARTING.has(state) && (newest.Status?.Err || now - time(newest.CreatedAt) > STUCK_AFTER_MS)) return describe(newest);
  return undefined;
}

/**
 * What makes a task current: the parts of its spec that come from the service's TaskTemplate
 * unchanged (the engine fills defaults such as StopGracePeriod into the service's copy only).
 */
export function taskFingerprint(spec: unknown): string {
  const s = (spec ?? {}) as Docker.ContainerTaskSpec;
  const c = s.ContainerSpec ?? {};
  return stable([c.Image, c.Command, c.Args, c.Env, c.Labels, c.Hostname, c.Mounts, c.User, c.Dir, s.Resources, s.Networks, s.ForceUpdate ?? 0]);
}

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface Convergence {
  converged: boolean;
  desired: number;
  /** Tasks of the current spec that run and should. */
  running: number;
  /** Tasks still running that should not (older spec, scaled away). */
  stopping: number;
  updating: boolean;
  /** Set when the swarm gave up on the update (paused, rolled back). */
  updateFailed?: string;
  /** Failed tasks of the current spec created at or after `since`. */
  failures: SwarmTask[];
  problem?: string;
  /** One line for the operator: "worker-1: 2/3 running, 1 stopping, updating". */
  line: string;
}

export function convergence(name: string, service: SwarmService, tasks: SwarmTask[], since: number, now = Date.now()): Convergence {
  const desired = service.Spec?.Mode?.Replicated?.Replicas ?? 0;
  const template = taskFingerprint(service.Spec?.TaskTemplate);
  const own = tasks.filter((t) => t.ServiceID === service.ID);
  const current = own.filter((t) => taskFingerprint(t.Spec) === template);
  const running = current.filter((t) => t.DesiredState === 'running' && t.Status?.State === 'running').length;
  const stopping = own.filter((t) => t.Status?.State === 'running' && !(t.DesiredState === 'running' && current.includes(t))).length;
  const state = service.UpdateStatus?.State;
  const updating = state === 'updating' || state === 'rollback_started';
  const failures = current.filter((t) => FAILED.has(t.Status?.State ?? '') && time(t.CreatedAt) >= since - 1000);
  const out: Convergence = { converged: running === desired && stopping === 0 && !updating, desired, running, stopping, updating, failures, line: '' };
  const recent = time(service.UpdateStatus?.StartedAt) >= since - 1000;
  if (recent && (state === 'paused' || state === 'rollback_paused' || state === 'rollback_completed'))
    out.updateFailed = `the update ${state.replace('_', ' ')}: ${service.UpdateStatus?.Message ?? 'no message'}`;
  const problem = latestProblem(current.length > 0 ? current : own, now);
  if (problem) out.problem = problem;
  const parts = [`${name}: ${running}/${desired} running`];
  if (stopping > 0) parts.push(`${stopping} stopping`);
  if (updating) parts.push('updating');
  out.line = parts.join(', ') + (problem && !out.converged ? ` (${problem})` : '');
  return out;
}
