/**
 * The pure parts of DataFlux Func's system report and detailed Redis report, on Func's own
 * numbers: the store's tables with readable sizes and their top ten by each size; Func's Redis
 * keys grouped into patterns (queue numbers and the ids after a key's kind folded), each with its
 * count, types, memory and element statistics, and the top twenty keys and patterns.
 */
import type { TableStatus } from '../ports/store.js';
import type { RedisKeyFacts } from '../ports/redis-report.js';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1536 → `1.5 KB` (powers of 1024, one decimal above bytes). */
export function humanBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

const TOP_TABLES = 10;
const TOP_KEYS = 20;

export type TableStatusWithHuman = TableStatus & { dataSizeHuman: string; indexSizeHuman: string; totalSizeHuman: string; avgRowSizeHuman: string };

const topBy = <T>(items: readonly T[], n: number, value: (t: T) => number): T[] => [...items].sort((a, b) => value(b) - value(a)).slice(0, n);

/** DB_TABLE_STATUS (by table name, with readable sizes) and DB_ANALYSIS (the top ten by each size). */
export function tableReport(tables: readonly TableStatus[]): { DB_TABLE_STATUS: Record<string, TableStatusWithHuman>; DB_ANALYSIS: Record<string, TableStatusWithHuman[]> } {
  const withHuman = tables.map((t) => ({
    ...t,
    dataSizeHuman: humanBytes(t.dataSize),
    indexSizeHuman: humanBytes(t.indexSize),
    totalSizeHuman: humanBytes(t.totalSize),
    avgRowSizeHuman: humanBytes(t.avgRowSize),
  }));
  return {
    DB_TABLE_STATUS: Object.fromEntries(withHuman.map((t) => [t.name, t])),
    DB_ANALYSIS: {
      topDataSize: topBy(withHuman, TOP_TABLES, (t) => t.dataSize),
      topIndexSize: topBy(withHuman, TOP_TABLES, (t) => t.indexSize),
      topTotalSize: topBy(withHuman, TOP_TABLES, (t) => t.totalSize),
      topAvgRowSize: topBy(withHuman, TOP_TABLES, (t) => t.avgRowSize),
    },
  };
}

/** Kinds of keys that end in a queue number (`<prefix>ready:3`). */
const QUEUE_KINDS = new Set(['ready', 'inflight', 'delayed', 'waiting', 'wake', 'done']);

/**
 * The pattern a key belongs to: `<prefix>ready:3` → `<prefix>ready:<Queue>`, `<prefix>rate:3:1700000000`
 * → `<prefix>rate:<Queue>:<Second>`, any other key with more after its kind → `<prefix><kind>:*`
 * (cache keys, task ids, hosts); a key of one part stays itself.
 */
export function keyPattern(key: string, prefix: string): string {
  const rest = key.startsWith(prefix) ? key.slice(prefix.length) : key;
  const at = rest.indexOf(':');
  if (at < 0) return key;
  const kind = rest.slice(0, at);
  if (QUEUE_KINDS.has(kind) && /^\d+$/.test(rest.slice(at + 1))) return `${prefix}${kind}:<Queue>`;
  if (kind === 'rate' && /^\d+:\d+$/.test(rest.slice(at + 1))) return `${prefix}rate:<Queue>:<Second>`;
  return `${prefix}${kind}:*`;
}

const STATS = ['total', 'max', 'min', 'avg', 'median', 'p99', 'p95', 'p90'] as const;

function statistic(sorted: readonly number[], name: (typeof STATS)[number]): number {
  const n = sorted.length;
  const at = (q: number): number => sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!;
  switch (name) {
    case 'total':
      return sorted.reduce((a, b) => a + b, 0);
    case 'max':
      return sorted[n - 1]!;
    case 'min':
      return sorted[0]!;
    case 'avg':
      return Math.round(sorted.reduce((a, b) => a + b, 0) / n);
    case 'median':
      return n % 2 === 1 ? sorted[(n - 1) / 2]! : Math.round((sorted[n / 2 - 1]! + sorted[n / 2]!) / 2);
    case 'p99':
      return at(0.99);
    case 'p95':
      return at(0.95);
    case 'p90':
      return at(0.9);
  }
}

/** `memoryUsage_total`… (and `memoryUsageHuman_…`) of a pattern's keys; only the total for a pattern of one key. */
function statistics(field: string, values: readonly number[], human: boolean): Record<string, number | string> {
  const sorted = [...values].sort((a, b) => a - b);
  const out: Record<string, number | string> = {};
  for (const name of STATS) {
    if (values.length <= 1 && name !== 'total') continue;
    const v = statistic(sorted, name);
    out[`${field}_${name}`] = v;
    if (human) out[`${field}Human_${name}`] = humanBytes(v);
  }
  return out;
}

export interface KeyPatternEntry extends Record<string, unknown> {
  keyPattern: string;
  type: string | string[];
  count: number;
}

/** REDIS_KEY_PATTERNS (sorted by pattern) and REDIS_ANALYSIS of Func's keys. */
export function redisKeyReport(keys: readonly RedisKeyFacts[], prefix: string): { REDIS_KEY_PATTERNS: Record<string, KeyPatternEntry>; REDIS_ANALYSIS: Record<string, unknown> } {
  const groups = new Map<string, { types: string[]; memory: number[]; elements: number[] }>();
  const keyTypeCount: Record<string, number> = {};
  for (const k of keys) {
    const pattern = keyPattern(k.key, prefix);
    const g = groups.get(pattern) ?? { types: [], memory: [], elements: [] };
    groups.set(pattern, g);
    if (!g.types.includes(k.type)) g.types.push(k.type);
    g.memory.push(k.memoryUsage);
    if (k.elementCount !== undefined) g.elements.push(k.elementCount);
    keyTypeCount[k.type] = (keyTypeCount[k.type] ?? 0) + 1;
  }
  const patterns: Record<string, KeyPatternEntry> = {};
  for (const pattern of [...groups.keys()].sort()) {
    const g = groups.get(pattern)!;
    patterns[pattern] = {
      keyPattern: pattern,
      type: g.types.length === 1 ? g.types[0]! : g.types,
      count: g.memory.length,
      ...statistics('memoryUsage', g.memory, true),
      ...(g.elements.length > 0 ? statistics('elementCount', g.elements, false) : {}),
    };
  }
  const keysWithHuman = keys.map((k) => ({ ...k, memoryUsageHuman: humanBytes(k.memoryUsage) }));
  const entries = Object.values(patterns);
  return {
    REDIS_KEY_PATTERNS: patterns,
    REDIS_ANALYSIS: {
      keyTypeCount: Object.fromEntries(Object.entries(keyTypeCount).sort((a, b) => b[1] - a[1])),
      topKeyMemoryUsage: topBy(keysWithHuman, TOP_KEYS, (k) => k.memoryUsage),
      topKeyElementCount: topBy(
        keysWithHuman.filter((k) => k.elementCount !== undefined),
        TOP_KEYS,
        (k) => k.elementCount ?? 0,
      ),
      topKeyPatternCount: topBy(entries, TOP_KEYS, (p) => p.count),
      topKeyPatternMemoryUsage: topBy(entries, TOP_KEYS, (p) => Number(p.memoryUsage_total ?? 0)),
    },
  };
}
