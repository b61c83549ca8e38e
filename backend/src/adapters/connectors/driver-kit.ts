/** What the connector drivers share: reading a config, timeouts, JSON-safe results. */
import type { Json, JsonObject } from '../../domain/ports/store.js';

export const str = (c: JsonObject, k: string): string | undefined => (typeof c[k] === 'string' && c[k] !== '' ? c[k] : undefined);
export const num = (c: JsonObject, k: string): number | undefined => (typeof c[k] === 'number' ? c[k] : undefined);

/** `p`, or a rejection saying what timed out after `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** A driver's value as JSON: dates as ISO text, bigints as numbers (text past 2^53), buffers as UTF-8 text. */
export function toJson(v: unknown): Json {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (Array.isArray(v)) return v.map(toJson);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toJson(x)]));
  return typeof v === 'symbol' ? v.toString() : typeof v === 'function' ? '[function]' : null;
}

/** A message payload as a driver sends it: text as is, anything else as JSON. */
export const payload = (m: unknown): string => (typeof m === 'string' ? m : JSON.stringify(m ?? null));

/** The named command's error when a driver has no such command. */
export function unknownCommand(type: string, method: string, known: readonly string[]): Error {
  return new Error(`a ${type} connector has no command ${JSON.stringify(method)} (commands: ${known.join(', ')})`);
}

/** SQL parameters as DataFlux Func takes them: a list, or one value. */
export const sqlParams = (v: unknown): unknown[] => (v === null || v === undefined ? [] : Array.isArray(v) ? v : [v]);
