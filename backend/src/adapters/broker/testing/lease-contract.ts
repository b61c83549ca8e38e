/** The leader lease's contract for a single contender (both implementations). */
import { describe, expect, it } from 'vitest';
import type { LeaderLease } from '../../../domain/ports/lease.js';

export function leaseContract(name: string, make: () => Promise<LeaderLease>): void {
  describe(`LeaderLease contract: ${name}`, () => {
    it('leads after start, renews, and reports the change when released', async () => {
      const lease = await make();
      const changes: boolean[] = [];
      lease.onChange((l) => changes.push(l));
      await lease.start();
      expect(lease.isLeader()).toBe(true);
      expect(await lease.renew()).toBe(true);
      expect(lease.token).toMatch(/\S{16,}/);
      await lease.stop();
      expect(lease.isLeader()).toBe(false);
      expect(changes.at(-1)).toBe(false);
    });
  });
}
