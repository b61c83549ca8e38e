/** Ids and hashes shared by the domain. */
import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Random bytes drawn 4 KiB at a time (one call into the CSPRNG per many ids). */
let pool = Buffer.alloc(0);
let poolAt = 0;
function takeRandom(n: number): Buffer {
  if (poolAt + n > pool.length) {
    pool = randomBytes(Math.max(4096, n));
    poolAt = 0;
  }
  poolAt += n;
  return pool.subarray(poolAt - n, poolAt);
}

/** Random lowercase alphanumeric id with a prefix, e.g. `task-8f3k…`. */
export function newId(prefix: string, length = 16): string {
  const bytes = takeRandom(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET.charAt(bytes[i]! % ALPHABET.length);
  return `${prefix}-${out}`;
}

let lastMs = 0;
let seq = 0;

/**
 * Task ids sort by creation: `task-` + epoch ms (base 36, 9 chars) + a per-process sequence
 * within the millisecond (4 chars) + randomness (7 chars), so records with the same trigger
 * millisecond still order as they were created.
 */
export function newTaskId(now: number = Date.now()): string {
  if (now === lastMs) seq += 1;
  else {
    lastMs = now;
    seq = 0;
  }
  return `task-${now.toString(36).padStart(9, '0')}${seq.toString(36).padStart(4, '0')}${newId('', 7).slice(1)}`;
}

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** `set__script.func` → its parts; undefined when malformed. */
export function splitFuncId(funcId: string): { scriptSetId: string; scriptId: string; name: string } | undefined {
  const m = /^(([a-zA-Z_][a-zA-Z0-9_]*)__[a-zA-Z0-9_]+)\.([a-zA-Z_][a-zA-Z0-9_]*)$/.exec(funcId);
  if (!m) return undefined;
  return { scriptId: m[1]!, scriptSetId: m[2]!, name: m[3]! };
}
