/** Cron expressions: 5 fields, or 6 with seconds first; evaluated in a time zone. */
import { Cron } from 'croner';

export interface CronCheck {
  ok: boolean;
  message?: string;
}

export function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Parsed expressions, by time zone and text: a beat asks for the next fire time of every due job
 * each tick, and parsing was two thirds of that (a burst of 2,000 jobs due in one second spent
 * ~200 ms building Cron objects). A paused Cron that is never started holds no run state, so one
 * object serves every caller. Bounded: cleared when full (100,000 jobs share a few thousand texts).
 */
const parsed = new Map<string, Cron>();
const PARSED_MAX = 10_000;

function build(expr: string, timezone: string | undefined): Cron {
  const key = `${timezone ?? ''}\u0000${expr}`;
  const known = parsed.get(key);
  if (known) return known;
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) throw new Error(`expected 5 fields (or 6 with seconds first), got ${fields.length}`);
  const cron = new Cron(expr.trim(), { paused: true, timezone, mode: fields.length === 6 ? '6-part' : '5-part' });
  if (parsed.size >= PARSED_MAX) parsed.clear();
  parsed.set(key, cron);
  return cron;
}

export function checkCronExpr(expr: string, timezone?: string | null): CronCheck {
  if (timezone && !isValidTimezone(timezone)) return { ok: false, message: `unknown time zone "${timezone}"` };
  try {
    const c = build(expr, timezone ?? undefined);
    if (c.nextRun(new Date()) === null) return { ok: false, message: 'never fires' };
    return { ok: true };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

/** The first fire time strictly after `after` (epoch ms), or null. */
export function nextFireTime(expr: string, timezone: string | null | undefined, after: number): number | null {
  const next = build(expr, timezone ?? undefined).nextRun(new Date(after));
  return next ? next.getTime() : null;
}

/** The next `count` fire times after `after`. */
export function nextFireTimes(expr: string, timezone: string | null | undefined, after: number, count: number): number[] {
  return build(expr, timezone ?? undefined)
    .nextRuns(count, new Date(after))
    .map((d) => d.getTime());
}

/**
 * Fire times in [from, to), ascending, at most `cap` of them (one Cron object for the walk).
 * `capped` says the window held more.
 */
export function fireTimesWithin(expr: string, timezone: string | null | undefined, from: number, to: number, cap: number): { times: number[]; capped: boolean } {
  const c = build(expr, timezone ?? undefined);
  const times: number[] = [];
  let prev = new Date(from - 1);
  for (;;) {
    const next = c.nextRun(prev);
    if (!next || next.getTime() >= to) return { times, capped: false };
    if (times.length >= cap) return { times, capped: true };
    times.push(next.getTime());
    prev = next;
  }
}

const MINUTE_MS = 60_000;

export interface MinuteFirings {
  /** The first firing in the minute (epoch ms). */
  at: number;
  count: number;
}

/**
 * Firings in [from, to) counted per minute, without walking a sub-minute schedule one firing at a
 * time (every 5 s over a week is 120,960 of them): a 6-field expression fires, in every minute its
 * other five fields match, at each second its seconds field holds, so whole minutes are walked with
 * those five fields and each counts that many; only the partial minutes at the edges are walked
 * second by second.
 */
export function firingsPerMinuteWithin(expr: string, timezone: string | null | undefined, from: number, to: number): MinuteFirings[] {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 6) return fireTimesWithin(expr, timezone, from, to, Number.POSITIVE_INFINITY).times.map((at) => ({ at, count: 1 }));
  const firstWhole = Math.ceil(from / MINUTE_MS) * MINUTE_MS;
  const lastWhole = Math.floor(to / MINUTE_MS) * MINUTE_MS;
  if (firstWhole >= lastWhole) return exactly(expr, timezone, from, to);
  const minutes = fireTimesWithin(fields.slice(1).join(' '), timezone, firstWhole, lastWhole, Number.POSITIVE_INFINITY).times;
  const perMinute = minutes.length > 0 ? fireTimesWithin(expr, timezone, minutes[0]!, minutes[0]! + MINUTE_MS, 60).times : [];
  const offset = perMinute.length > 0 ? perMinute[0]! - minutes[0]! : 0;
  return [...exactly(expr, timezone, from, firstWhole), ...minutes.map((m) => ({ at: m + offset, count: perMinute.length })), ...exactly(expr, timezone, lastWhole, to)];
}

/** The firings of [from, to) (under a minute) as one entry per minute. */
function exactly(expr: string, timezone: string | null | undefined, from: number, to: number): MinuteFirings[] {
  if (from >= to) return [];
  const byMinute = new Map<number, MinuteFirings>();
  for (const t of fireTimesWithin(expr, timezone, from, to, 120).times) {
    const m = Math.floor(t / MINUTE_MS);
    const known = byMinute.get(m);
    if (known) known.count += 1;
    else byMinute.set(m, { at: t, count: 1 });
  }
  return [...byMinute.values()];
}
