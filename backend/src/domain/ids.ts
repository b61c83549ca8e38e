/** Ids and hashes shared by the domain. */
import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Random lowercase alphanumeric id with a prefix, e.g. `task-8f3k…`. */
export function newId(prefix: string, length = 16): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET.charAt(bytes[i]! % ALPHABET.length);
  return `${prefix}-${out}`;
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
