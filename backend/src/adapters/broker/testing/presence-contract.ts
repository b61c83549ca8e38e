/** The presence port's contract (heartbeats): both implementations. */
import { describe, expect, it } from 'vitest';
import type { Presence } from '../../../domain/ports/presence.js';
import type { ServiceStatus } from '../../../domain/topology/topology-status.js';

export interface PresenceHarness {
  presence: Presence;
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

const service = (kind: ServiceStatus['kind'], name: string, pid: number, extra: Partial<ServiceStatus> = {}): ServiceStatus => ({
  kind,
  name,
  host: 'h1',
  pid,
  version: '0.1.0',
  uptimeS: 1,
  lastSeen: 1,
  ...extra,
});

export function presenceContract(name: string, make: () => Promise<PresenceHarness>): void {
  describe(`Presence contract: ${name}`, () => {
    it('lists live services, replaces a beat, forgets expired and departed ones', async () => {
      const h = await make();
      try {
        const p = h.presence;
        const w1 = service('worker', 'default', 11, { queues: [0, 1], processes: 2, busy: 0, tasksDone: 0 });
        const srv = service('server', 'server', 10);
        const beat = service('beat', 'beat', 12);
        await p.beat(w1, 300);
        await p.beat(srv, 10_000);
        await p.beat(beat, 10_000);
        expect((await p.list()).map((s) => s.kind)).toEqual(['beat', 'server', 'worker']);
        await p.beat({ ...w1, busy: 2, tasksDone: 7 }, 300);
        expect((await p.list()).find((s) => s.kind === 'worker')).toEqual({ ...w1, busy: 2, tasksDone: 7 });
        await h.advance(400);
        expect((await p.list()).map((s) => s.kind)).toEqual(['beat', 'server']);
        await p.leave(beat);
        expect((await p.list()).map((s) => s.name)).toEqual(['server']);
      } finally {
        await h.close();
      }
    });
  });
}
