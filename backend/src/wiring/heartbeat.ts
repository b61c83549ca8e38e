/** Writes this service's presence every few seconds; dead services expire on their own. */
import { hostname } from 'node:os';
import { HEARTBEAT_EVERY_MS, HEARTBEAT_TTL_MS, type Presence } from '../domain/ports/presence.js';
import type { ServiceStatus } from '../domain/topology/topology-status.js';
import { VERSION } from './version.js';

export { HEARTBEAT_EVERY_MS, HEARTBEAT_TTL_MS };

type Extra = Partial<Pick<ServiceStatus, 'queues' | 'processes' | 'busy' | 'tasksDone' | 'metricsPort' | 'subscriptions'>>;

export function startHeartbeat(
  presence: Presence,
  kind: ServiceStatus['kind'],
  name: string,
  extra: () => Extra = () => ({}),
  onError?: (err: unknown) => void,
): () => Promise<void> {
  const startedAt = Date.now();
  const status = (): ServiceStatus => ({
    kind,
    name,
    host: hostname(),
    pid: process.pid,
    version: VERSION,
    uptimeS: Math.round((Date.now() - startedAt) / 1000),
    lastSeen: Date.now(),
    ...extra(),
  });
  const beat = (): void => void presence.beat(status(), HEARTBEAT_TTL_MS).catch((err: unknown) => onError?.(err));
  beat();
  const timer = setInterval(beat, HEARTBEAT_EVERY_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await presence.leave(status()).catch(() => undefined);
  };
}
