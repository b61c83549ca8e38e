/**
 * What the connector drivers share: reading a config, the shared connection's lifecycle, the
 * command table, timeouts, JSON-safe results.
 */
import type { ConnectorClient } from '../../domain/ports/connectors.js';
import type { Json, JsonObject } from '../../domain/ports/store.js';

export const str = (c: JsonObject, k: string): string | undefined => (typeof c[k] === 'string' && c[k] !== '' ? c[k] : undefined);
export const num = (c: JsonObject, k: string): number | undefined => (typeof c[k] === 'number' ? c[k] : undefined);
/** `{ [as]: text }` when the config has a non-empty text under `key`, else nothing: spread into a client's options. */
export const strOption = <K extends string>(c: JsonObject, key: string, as: K): Partial<Record<K, string>> => {
  const v = str(c, key);
  return v === undefined ? {} : ({ [as]: v } as Record<K, string>);
};

/**
 * A driver's shared connection (or pool), opened on first use: a failed open is forgotten (the
 * next use opens again), as is one `open` reports lost through `lost()`; `close()` closes the
 * current one, if any.
 */
export function lazyConnection<T>(open: (lost: () => void) => T | Promise<T>, close: (c: T) => Promise<unknown>): { get: () => Promise<T>; close: () => Promise<void> } {
  let current: Promise<T> | undefined;
  const get = (): Promise<T> => {
    if (current) return current;
    const forget = (): void => {
      if (current === opening) current = undefined;
    };
    // Opened a microtask later, so that `opening` is set whenever `open` calls `lost`.
    const opening: Promise<T> = Promise.resolve()
      .then(() => open(forget))
      .catch((err: unknown) => {
        forget();
        throw err;
      });
    current = opening;
    return opening;
  };
  return {
    get,
    close: async () => {
      const c = current;
      current = undefined;
      const got = await c?.catch(() => undefined);
      if (got !== undefined) await close(got);
    },
  };
}

/** `setup()`'s answer; when it throws, `release()` (its own failure ignored) and then the error. */
export async function releasingOnFailure<T>(setup: () => Promise<T>, release: () => unknown): Promise<T> {
  try {
    return await setup();
  } catch (err) {
    await Promise.resolve()
      .then(release)
      .catch(() => undefined);
    throw err;
  }
}

/** One command of a driver: positional args and kwargs as DFF.CONN passes them; one that answers nothing answers true. */
export type DriverCommand = (args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>) => Promise<Json> | Promise<void>;

/**
 * A driver's client from its parts. `check` (by default: open the shared connection) is every
 * driver's command too (the connection test, answering true); any other name that is not one of
 * `commands` is refused naming those there are. `close` closes the shared connection, if any.
 */
export function connectorClient(
  type: string,
  parts: {
    connection?: { get: () => Promise<unknown>; close: () => Promise<void> };
    check?: () => Promise<unknown>;
    commands: Readonly<Record<string, DriverCommand>>;
    subscribe?: ConnectorClient['subscribe'];
  },
): ConnectorClient {
  const known = [...Object.keys(parts.commands), 'check'];
  const check = parts.check ?? parts.connection?.get ?? (() => Promise.resolve());
  return {
    ...(parts.subscribe ? { subscribe: parts.subscribe } : {}),
    check: async () => {
      await check();
    },
    command: async (method, args, kwargs) => {
      if (method === 'check') {
        await check();
        return true;
      }
      const run = Object.hasOwn(parts.commands, method) ? parts.commands[method] : undefined;
      if (!run) throw new Error(`a ${type} connector has no command ${JSON.stringify(method)} (commands: ${known.join(', ')})`);
      const answer = await run(args, kwargs);
      return answer === undefined ? true : answer;
    },
    close: parts.connection?.close ?? (() => Promise.resolve()),
  };
}

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

/** How an exact SQL column is decoded in Python (dff_members._exact_rows): int, or Decimal. */
export type ExactKind = 'int' | 'decimal';

/**
 * A SQL query's rows for DFF.CONN (`kwargs.exact`): with the columns whose values the driver
 * gives as text (or as numbers only while they fit) named with their kind, so Python answers
 * int and Decimal exactly, as DataFlux Func's drivers do. The HTTP query keeps plain rows.
 */
export function exactRows(rows: unknown[], columns: readonly { name: string; kind: ExactKind | undefined }[]): Json {
  const exact: Record<string, ExactKind> = {};
  for (const c of columns) if (c.kind) exact[c.name] = c.kind;
  return { rows: toJson(rows), exact };
}

/** SQL parameters as DataFlux Func takes them: a list, or one value. */
export const sqlParams = (v: unknown): unknown[] => (v === null || v === undefined ? [] : Array.isArray(v) ? v : [v]);
