/**
 * Temporary flags (DataFlux Func's): named switches with an optional expiry, kept in the store so
 * every process sees them. Func acts on `pauseCronJobs`: while it is set the beat fires no cron job
 * (runs due meanwhile fire on resume when within the misfire window, else count as missed).
 * DataFlux's restart flags are left out: Func's processes are restarted by their supervisor.
 */
import { badField } from '../../../../contract/errors.js';
import type { ExpiringValueOps } from '../ports/admin-store.js';

export const TEMPORARY_FLAGS = ['pauseCronJobs'] as const;
export type TemporaryFlag = (typeof TEMPORARY_FLAGS)[number];

const key = (flag: string): string => `tempFlag:${flag}`;

function requireFlag(id: string): TemporaryFlag {
  if (!(TEMPORARY_FLAGS as readonly string[]).includes(id)) throw badField('params.id', `unsupported temporary flag ${id}; supported: ${TEMPORARY_FLAGS.join(', ')}`);
  return id as TemporaryFlag;
}

export class TemporaryFlags {
  constructor(
    private readonly values: ExpiringValueOps,
    private readonly now: () => number,
  ) {}

  /** id → {value, ttl in seconds (-1: no expiry)}; {value: null, ttl: null} when not set, as DataFlux Func answers (its console reads `.ttl`). */
  async get(ids?: readonly string[]): Promise<Record<string, { value: unknown; ttl: number | null }>> {
    const wanted = ids === undefined || ids.length === 0 ? [...TEMPORARY_FLAGS] : ids;
    const now = this.now();
    const out: Record<string, { value: unknown; ttl: number | null }> = {};
    for (const id of wanted) {
      const found = await this.values.get(key(id), now);
      out[id] = found === undefined ? { value: null, ttl: null } : { value: found.value, ttl: found.expireAt === null ? -1 : Math.ceil((found.expireAt - now) / 1000) };
    }
    return out;
  }

  /** `value` defaults to the time (s) it was set, as in DataFlux Func; `expiresS` 0: until cleared. */
  async set(id: string, value: unknown, expiresS: number): Promise<void> {
    const flag = requireFlag(id);
    const now = this.now();
    const v = value === undefined || value === null || value === '' ? Math.floor(now / 1000) : value;
    await this.values.set(key(flag), v, expiresS > 0 ? now + expiresS * 1000 : null, now);
  }

  async clear(id: string): Promise<void> {
    await this.values.delete(key(requireFlag(id)));
  }

  async isSet(flag: TemporaryFlag): Promise<boolean> {
    return (await this.values.get(key(flag), this.now())) !== undefined;
  }
}
