/**
 * The overview's chart history kept in sessionStorage, one entry per stack (its URL), so a reload
 * or the console opened again in this tab shows the last 90 s rather than empty charts. Written
 * once per sample; anything that cannot be read back (malformed, another version) is ignored.
 */

export interface Sample {
  time: number;
  /** Per queue: tasks finished since the previous sample, per second. */
  throughput: Record<number, number>;
  length: Record<number, number>;
}

/** Samples kept: 90 s of the event stream's one a second. */
export const KEEP = 90;
/** The charts' window: stored samples further back than this from the stack's newest are dropped. */
export const WINDOW_MS = 90_000;

const VERSION = 1;

export type HistoryStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** The storage key of a stack's history: its URL ('' for the stack serving this console). */
export function historyKey(baseUrl: string): string {
  return `func.topologyHistory:${baseUrl.replace(/\/+$/, '')}`;
}

function sessionStore(): HistoryStorage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    // A browser refusing storage to this page: the charts live in memory only.
    return null;
  }
}

export function saveHistory(key: string, samples: Sample[], storage: HistoryStorage | null = sessionStore()): void {
  try {
    storage?.setItem(key, JSON.stringify({ v: VERSION, samples }));
  } catch {
    // Storage full or refused: the charts still work, in memory.
  }
}

function isCounts(v: unknown): v is Record<number, number> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.entries(v).every(([q, n]) => /^\d+$/.test(q) && typeof n === 'number' && Number.isFinite(n));
}

function isSamples(v: unknown): v is Sample[] {
  if (!Array.isArray(v)) return false;
  let before = -Infinity;
  for (const s of v as Partial<Sample>[]) {
    // uPlot needs the times ascending: a list that is not is not ours.
    if (typeof s?.time !== 'number' || !(s.time > before) || !isCounts(s.throughput) || !isCounts(s.length)) return false;
    before = s.time;
  }
  return true;
}

/**
 * The stored samples of `key` within the window before `now` (the time of the stack's newest
 * sample, so the stack's clock, not this browser's), at most KEEP, oldest first; none when the
 * stored ones ended more than the window ago or cannot be read.
 */
export function restoreHistory(key: string, now: number, storage: HistoryStorage | null = sessionStore()): Sample[] {
  let stored: { v?: unknown; samples?: unknown } | null;
  try {
    stored = JSON.parse(storage?.getItem(key) ?? 'null') as typeof stored;
  } catch {
    return [];
  }
  if (stored?.v !== VERSION || !isSamples(stored.samples)) return [];
  return stored.samples.filter((s) => s.time >= now - WINDOW_MS && s.time < now).slice(-KEEP);
}
