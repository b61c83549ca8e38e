/** Shared by the `func` commands: the command shape, flag parsing and the usage error (exit 2). */
import { parseArgs } from 'node:util';

export interface Command {
  summary: string;
  usage: string;
  help: string;
  run(args: string[]): Promise<number>;
}

/** A wrong command line: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {}

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;
export type Flags = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** Flags only (no positionals); an unknown or malformed flag is a UsageError naming it. */
export function flagsOf(args: string[], options: FlagSpec): Flags {
  return parse(args, options, false).values;
}

/** Flags and positionals. */
export function argsOf(args: string[], options: FlagSpec): { values: Flags; positionals: string[] } {
  return parse(args, options, true);
}

function parse(args: string[], options: FlagSpec, allowPositionals: boolean): { values: Flags; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
    return { values, positionals };
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}
