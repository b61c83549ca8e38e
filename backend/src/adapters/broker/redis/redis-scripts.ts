/**
 * The Lua scripts of `lua/`, read from disk next to this module and registered on a connection
 * with ioredis `defineCommand` (EVALSHA, falling back to EVAL once per connection).
 * Each file's header lists its KEYS, ARGV and return value.
 */
import { readFileSync } from 'node:fs';
import type { ChainableCommander, Redis } from 'ioredis';

type Arg = string | number;
type ScriptFn = (...keysAndArgs: Arg[]) => Promise<unknown>;

/** File name without `.lua` → the command name it is registered as. `-var` scripts take numkeys first. */
const SCRIPTS = {
  enqueue: 'enqueue-8',
  reserve: 'reserve-var',
  ack: 'ack-var',
  extend: 'extend-2',
  release: 'release-5',
  cancel: 'cancel-6',
  retry: 'retry-10',
  bury: 'bury-6',
  sweep: 'sweep-9',
  publishResult: 'publish-result-2',
  leaseRenew: 'lease-renew-1',
  leaseRelease: 'lease-release-1',
} as const;
export type ScriptName = keyof typeof SCRIPTS;

const sources = new Map<ScriptName, { lua: string; numberOfKeys: number | undefined }>();
for (const [name, file] of Object.entries(SCRIPTS) as [ScriptName, string][]) {
  const lua = readFileSync(new URL(`./lua/${file}.lua`, import.meta.url), 'utf8');
  const m = /-(\d+)$/.exec(file);
  sources.set(name, { lua, numberOfKeys: m ? Number(m[1]) : undefined });
}

const commandName = (name: ScriptName): string => `func_${name}`;
const registered = new WeakSet<Redis>();

/** Register every script on `redis` (idempotent). */
export function defineScripts(redis: Redis): void {
  if (registered.has(redis)) return;
  for (const [name, s] of sources) {
    redis.defineCommand(commandName(name), s.numberOfKeys === undefined ? { lua: s.lua } : { lua: s.lua, numberOfKeys: s.numberOfKeys });
  }
  registered.add(redis);
}

/** Run a script on a connection (after `defineScripts`). For `-var` scripts pass numkeys first. */
export function runScript(redis: Redis, name: ScriptName, ...keysAndArgs: Arg[]): Promise<unknown> {
  const fn = (redis as unknown as Record<string, ScriptFn>)[commandName(name)];
  if (!fn) throw new Error(`Lua script ${name} is not defined on this connection`);
  return fn.apply(redis, keysAndArgs);
}

/** Queue a script call on a pipeline of a connection that has the scripts defined. */
export function pipeScript(pipeline: ChainableCommander, name: ScriptName, ...keysAndArgs: Arg[]): void {
  const fn = (pipeline as unknown as Record<string, (...a: Arg[]) => unknown>)[commandName(name)];
  if (!fn) throw new Error(`Lua script ${name} is not defined on this connection`);
  fn.apply(pipeline, keysAndArgs);
}
