/** Presence in memory (embedded mode: every service lives in this process). */
import { presenceId, sortServices, type Presence } from '../../../domain/ports/presence.js';
import type { ServiceStatus } from '../../../domain/topology/topology-status.js';

export class EmbeddedPresence implements Presence {
  private readonly services = new Map<string, { service: ServiceStatus; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  beat(service: ServiceStatus, ttlMs: number): Promise<void> {
    this.services.set(presenceId(service), { service: { ...service }, expiresAt: this.now() + ttlMs });
    return Promise.resolve();
  }

  leave(service: ServiceStatus): Promise<void> {
    this.services.delete(presenceId(service));
    return Promise.resolve();
  }

  list(): Promise<ServiceStatus[]> {
    const now = this.now();
    const alive: ServiceStatus[] = [];
    for (const [id, s] of this.services) {
      if (s.expiresAt <= now) this.services.delete(id);
      else alive.push({ ...s.service });
    }
    return Promise.resolve(sortServices(alive));
  }

  close(): Promise<void> {
    this.services.clear();
    return Promise.resolve();
  }
}
