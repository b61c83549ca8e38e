/** Parsing the arguments of `func stack …`; every error is a UsageError naming the flag or argument. */
import { parseQueueList } from '../domain/topology/queues.js';
import { MAX_CPUS, MAX_MEMORY_MB, MAX_REPLICAS, MIN_MEMORY_MB } from '../domain/topology/topology.js';
import { UsageError } from './usage.js';

/** `worker-1=3` → worker-1, 3 replicas; a bad unit or count is named with the argument (`scale: w=-1: …`). */
export function parseReplicas(arg: string): { unit: string; replicas: number } {
  const eq = arg.indexOf('=');
  const unit = eq < 0 ? '' : arg.slice(0, eq);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(unit)) throw new UsageError(`scale: "${arg}": write UNIT=REPLICAS, e.g. worker-1=3`);
  const count = arg.slice(eq + 1);
  if (!/^\d+$/.test(count)) throw new UsageError(`scale: ${arg}: the replicas must be a whole number 0 or more`);
  const replicas = Number(count);
  if (replicas > MAX_REPLICAS) throw new UsageError(`scale: ${arg}: at most ${MAX_REPLICAS} replicas`);
  return { unit, replicas };
}

/** CPU cores (0.5, 2) or `none` (null: clear it). */
export function parseCpus(flag: string, value: string): number | null {
  if (value === 'none') return null;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0) || n > MAX_CPUS)
    throw new UsageError(`${flag}: "${value}" must be a number of CPU cores more than 0 and at most ${MAX_CPUS} (e.g. 0.5), or none`);
  return n;
}

const MEMORY_UNITS: Record<string, number> = { '': 1, m: 1, mb: 1, mi: 1, mib: 1, g: 1024, gb: 1024, gi: 1024, gib: 1024 };

/** Memory in MiB: `512M`, `1.5G`, `512` (MiB) or `none` (null: clear it). */
export function parseMemory(flag: string, value: string): number | null {
  if (value === 'none') return null;
  const m = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(value);
  const unit = m ? MEMORY_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new UsageError(`${flag}: "${value}" must be a size like 512M or 2G, or none`);
  const mb = Number(m[1]) * unit;
  if (!Number.isInteger(mb)) throw new UsageError(`${flag}: "${value}" must be a whole number of MiB`);
  if (mb < MIN_MEMORY_MB) throw new UsageError(`${flag}: "${value}" is under the minimum of ${MIN_MEMORY_MB}M`);
  if (mb > MAX_MEMORY_MB) throw new UsageError(`${flag}: "${value}" is over the maximum of ${MAX_MEMORY_MB / 1024}G`);
  return mb;
}

/** `6` or `#6`. */
export function parseQueue(value: string): number {
  const q = Number(value.replace(/^#/, ''));
  if (!/^#?\d+$/.test(value) || q > 15) throw new UsageError(`queue "${value}" must be a queue number from 0 to 15`);
  return q;
}

export function parseQueues(flag: string, value: string): number[] {
  try {
    return parseQueueList(value);
  } catch (err) {
    throw new UsageError(`${flag}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function parseWholeNumber(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`${flag}: "${value}" must be a whole number from ${min} to ${max}`);
  return n;
}

/**
 * Variables of the deploying shell that are not handed to the services: where the engine is,
 * the stack's name, and paths that only make sense on this machine (the image has its own).
 */
export const LOCAL_ONLY = new Set(['FUNC_DOCKER_HOST', 'FUNC_STACK', 'FUNC_HOME', 'FUNC_PYTHON', 'FUNC_TOPOLOGY']);
/** Server, workers and beat of a stack share these; without them each container would be alone. */
export const REQUIRED_FOR_DEPLOY = ['FUNC_REDIS_URL', 'FUNC_DB_URL', 'FUNC_SECRET'];

/**
 * The FUNC_* environment of this shell that the services get, sorted. FUNC_HOST defaults to
 * 127.0.0.1 (the image's own default is 0.0.0.0, and services run on the host's network):
 * listening beyond loopback is the operator's explicit choice.
 */
export function servicesEnv(env: Record<string, string | undefined>): Record<string, string> {
  const picked = Object.entries(env).filter((e): e is [string, string] => e[0].startsWith('FUNC_') && !LOCAL_ONLY.has(e[0]) && e[1] !== undefined && e[1] !== '');
  return Object.fromEntries([...picked, ...(env.FUNC_HOST ? [] : [['FUNC_HOST', '127.0.0.1'] as [string, string]])].sort(([a], [b]) => a.localeCompare(b)));
}

export function missingForDeploy(env: Record<string, string>): string[] {
  return REQUIRED_FOR_DEPLOY.filter((k) => !env[k]).map(
    (k) =>
      `${k} is not set: server, workers and beat must share it (${k === 'FUNC_SECRET' ? '16+ characters' : k === 'FUNC_DB_URL' ? 'mysql://user:pass@host:3306/db' : 'redis://host:6379/0'})`,
  );
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** A duration in ms: `500ms`, `2s`, `1.5s`, `5m`, `1h` (a bare number is seconds). */
export function parseDuration(flag: string, value: string, minMs: number, maxMs: number): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?$/.exec(value.trim());
  if (!m) throw new UsageError(`${flag}: "${value}" must be a duration like 500ms, 2s or 5m`);
  const ms = Math.round(Number(m[1]) * DURATION_UNITS[m[2] ?? 's']!);
  if (ms < minMs || ms > maxMs) throw new UsageError(`${flag}: "${value}" must be from ${minMs} ms to ${maxMs / 1000} s`);
  return ms;
}

/** A fraction: `80%` or `0.8`, more than 0 and at most `max`. */
export function parseFraction(flag: string, value: string, max = 1): number {
  const m = /^(\d+(?:\.\d+)?)(%)?$/.exec(value.trim());
  const n = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(n > 0) || n > max) throw new UsageError(`${flag}: "${value}" must be a fraction like 80% or 0.8 (more than 0, at most ${max * 100}%)`);
  return n;
}
