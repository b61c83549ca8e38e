/**
 * What scripts set on cron jobs at run time (DFF.CRON_JOB.set_cron_expr / pause), as DataFlux Func
 * keeps it: two small hashes in the func cache, keyed by cron job id. A dynamic expression is
 * `{"expireTime": epoch s | null, "value": expr}`; a pause is the time (epoch s) it ends. Both are
 * whole seconds, `floor(now) + expires`, as DataFlux Func stores and shows them (the cron job list's
 * dynamicCronExprExpireTime and pauseExpireTime); an entry is in force through the second it ends.
 * Past that it counts as absent (the beat deletes it). The beat reads both hashes whole once per
 * tick (they hold only the jobs a script touched); the cron job list reads its page's ids.
 *
 * Inside Func (DynamicCronExpr, CronOverrides: what the beat and the schedule use) the times are
 * epoch ms, `s * 1000`. A stored number above 1e11 (the year 5138 in seconds, 1973 in ms) was written
 * in ms by an earlier Func and is read as ms.
 */
import type { FuncCache } from '../ports/broker.js';

export const DYNAMIC_CRON_EXPR_KEY = 'func:cronJob:dynamicCronExpr';
export const CRON_PAUSE_KEY = 'func:cronJob:pause';

export interface DynamicCronExpr {
  expr: string;
  /** Epoch ms (the stored second * 1000); null: until cleared. */
  expireTime: number | null;
}

/**
 * The whole of both hashes at one instant. Entries past their expiry are kept here too (a beat
 * catching up after downtime applies each to the scheduled times before its end) and listed by id
 * to be deleted.
 */
export interface CronOverrides {
  dynamic: ReadonlyMap<string, DynamicCronExpr>;
  /** Each job's pause end (epoch ms). */
  pausedUntil: ReadonlyMap<string, number>;
  /** The dynamic hash as stored (each id's raw value, expired ones too): what the beat compares between ticks. */
  dynamicRaw: Readonly<Record<string, string>>;
  expiredDynamic: string[];
  expiredPause: string[];
}

/** What the cron job list adds to each job, under DataFlux Func's names; the times in epoch seconds. */
export interface CronOverrideFields {
  dynamicCronExpr: string | null;
  /** Epoch s, as DataFlux Func. */
  dynamicCronExprExpireTime: number | null;
  isPaused: boolean;
  /** Epoch s, as DataFlux Func. */
  pauseExpireTime: number | null;
}

/** Above this a stored time is epoch ms (written by an earlier Func), below it epoch s. */
const MS_FROM = 1e11;

/** A stored time (epoch s, or ms from an earlier Func) in epoch ms; null when absent or unreadable. */
export function storedTimeMs(v: unknown): number | null {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) return null;
  return n > MS_FROM ? n : n * 1000;
}

/** Epoch ms to the whole epoch second DataFlux Func shows. */
export const secondsOf = (ms: number): number => Math.floor(ms / 1000);

/** The end (epoch s) of `expiresS` seconds from `nowMs`, as DataFlux Func: `floor(now) + expires`, a fraction rounded up. */
export const expireTimeS = (nowMs: number, expiresS: number): number => secondsOf(nowMs) + Math.ceil(expiresS);

/** A stored dynamic expression (its expireTime in ms), or null when it is unreadable. */
export function parseDynamic(raw: string | null | undefined): DynamicCronExpr | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as { value?: unknown; expireTime?: unknown };
    if (typeof v.value !== 'string' || v.value === '') return null;
    return { expr: v.value, expireTime: typeof v.expireTime === 'number' ? storedTimeMs(v.expireTime) : null };
  } catch {
    return null;
  }
}

const parsePause = (raw: string | null | undefined): number | null => storedTimeMs(raw);

/** In force at `now` (ms): through the whole second it ends, as DataFlux Func compares whole seconds. */
const inForce = (endMs: number, now: number): boolean => endMs >= secondsOf(now) * 1000;
const live = (d: DynamicCronExpr | null, now: number): d is DynamicCronExpr => d !== null && (d.expireTime === null || inForce(d.expireTime, now));

function asRecord(v: unknown): Record<string, string> {
  return v !== null && typeof v === 'object' ? (v as Record<string, string>) : {};
}

export class CronOverrideStore {
  constructor(
    private readonly cache: FuncCache,
    private readonly now: () => number,
  ) {}

  /** Stores `expr` as the job's dynamic expression (checked by the caller), for `expiresS` seconds or until cleared. */
  async setDynamic(id: string, expr: string, expiresS: number | null): Promise<DynamicCronExpr> {
    const endS = expiresS ? expireTimeS(this.now(), expiresS) : null;
    await this.cache.command('hset', [DYNAMIC_CRON_EXPR_KEY, id, JSON.stringify({ expireTime: endS, value: expr })]);
    return { expr, expireTime: endS === null ? null : endS * 1000 };
  }

  /** The job's dynamic expression unless it expired. */
  async getDynamic(id: string): Promise<DynamicCronExpr | null> {
    const d = parseDynamic((await this.cache.command('hget', [DYNAMIC_CRON_EXPR_KEY, id])) as string | null);
    return live(d, this.now()) ? d : null;
  }

  /** `{id: expr}` of every dynamic expression not expired. */
  async allDynamic(): Promise<Record<string, string>> {
    const now = this.now();
    const out: Record<string, string> = {};
    for (const [id, raw] of Object.entries(asRecord(await this.cache.command('hgetall', [DYNAMIC_CRON_EXPR_KEY])))) {
      const d = parseDynamic(raw);
      if (live(d, now)) out[id] = d.expr;
    }
    return out;
  }

  async clearDynamic(id: string): Promise<void> {
    await this.cache.command('hdel', [DYNAMIC_CRON_EXPR_KEY, id]);
  }

  /** The job fires at none of its scheduled times for `expiresS` seconds (a pause always ends). Answers its end, epoch ms. */
  async pause(id: string, expiresS: number): Promise<number> {
    const untilS = expireTimeS(this.now(), expiresS);
    await this.cache.command('hset', [CRON_PAUSE_KEY, id, String(untilS)]);
    return untilS * 1000;
  }

  /** Both hashes whole (two commands, in flight together). */
  async readAll(): Promise<CronOverrides> {
    const [dyn, pause] = await Promise.all([this.cache.command('hgetall', [DYNAMIC_CRON_EXPR_KEY]), this.cache.command('hgetall', [CRON_PAUSE_KEY])]);
    const now = this.now();
    const dynamicRaw = asRecord(dyn);
    const dynamic = new Map<string, DynamicCronExpr>();
    const pausedUntil = new Map<string, number>();
    const expiredDynamic: string[] = [];
    const expiredPause: string[] = [];
    for (const [id, raw] of Object.entries(dynamicRaw)) {
      const d = parseDynamic(raw);
      if (d) dynamic.set(id, d);
      if (!live(d, now)) expiredDynamic.push(id);
    }
    for (const [id, raw] of Object.entries(asRecord(pause))) {
      const until = parsePause(raw);
      if (until !== null) pausedUntil.set(id, until);
      if (until === null || !inForce(until, now)) expiredPause.push(id);
    }
    return { dynamic, pausedUntil, dynamicRaw, expiredDynamic, expiredPause };
  }

  /** The raw dynamic hash only (the beat's check whether anything changed while idle). */
  async dynamicRaw(): Promise<Record<string, string>> {
    return asRecord(await this.cache.command('hgetall', [DYNAMIC_CRON_EXPR_KEY]));
  }

  /** Deletes the expired entries `o` found. */
  async dropExpired(o: Pick<CronOverrides, 'expiredDynamic' | 'expiredPause'>): Promise<void> {
    await Promise.all([
      o.expiredDynamic.length > 0 ? this.cache.command('hdel', [DYNAMIC_CRON_EXPR_KEY, o.expiredDynamic]) : undefined,
      o.expiredPause.length > 0 ? this.cache.command('hdel', [CRON_PAUSE_KEY, o.expiredPause]) : undefined,
    ]);
  }

  /** DataFlux Func's list fields for these jobs, times in epoch s (two HMGETs, whatever the page size). */
  async fieldsFor(ids: readonly string[]): Promise<Map<string, CronOverrideFields>> {
    const out = new Map<string, CronOverrideFields>();
    if (ids.length === 0) return out;
    const [dyn, pause] = (await Promise.all([this.cache.command('hmget', [DYNAMIC_CRON_EXPR_KEY, ids]), this.cache.command('hmget', [CRON_PAUSE_KEY, ids])])) as [
      (string | null)[],
      (string | null)[],
    ];
    const now = this.now();
    ids.forEach((id, i) => {
      const d = parseDynamic(dyn[i]);
      const until = parsePause(pause[i]);
      const paused = until !== null && inForce(until, now);
      const dynamic = live(d, now) ? d : null;
      out.set(id, {
        dynamicCronExpr: dynamic ? dynamic.expr : null,
        dynamicCronExprExpireTime: dynamic && dynamic.expireTime !== null ? secondsOf(dynamic.expireTime) : null,
        isPaused: paused,
        pauseExpireTime: paused ? secondsOf(until) : null,
      });
    });
    return out;
  }
}
