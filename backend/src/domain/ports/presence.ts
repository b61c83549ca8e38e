/**
 * Port: presence (heartbeats). Every server, worker unit replica and beat writes who it is
 * every few seconds with a time to live; `list` returns those whose last beat has not expired,
 * so dead ones disappear on their own. Feeds GET /api/v1/topology and /api/v1/events.
 */
import type { ServiceStatus } from '../topology/topology-status.js';

/** How often a service beats, and how long a beat lasts (dead services expire on their own). */
export const HEARTBEAT_EVERY_MS = 2000;
export const HEARTBEAT_TTL_MS = 10_000;

export interface Presence {
  /** Record `service` as alive for `ttlMs` from now (replaces its previous beat). */
  beat(service: ServiceStatus, ttlMs: number): Promise<void>;
  /** Remove `service` at once (graceful shutdown). */
  leave(service: ServiceStatus): Promise<void>;
  /** Services whose last beat has not expired, sorted by kind then name. */
  list(): Promise<ServiceStatus[]>;
  close(): Promise<void>;
}

/** One service instance: kind, name, host and pid. */
export function presenceId(s: Pick<ServiceStatus, 'kind' | 'name' | 'host' | 'pid'>): string {
  return `${s.kind}|${s.name}|${s.host}|${s.pid}`;
}

export function sortServices(list: ServiceStatus[]): ServiceStatus[] {
  return list.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name) || a.host.localeCompare(b.host) || a.pid - b.pid);
}
