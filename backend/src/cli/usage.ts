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

/** Flags and positionals; `command` (e.g. `func stack deploy`) is named when a flag is unknown. */
export function argsOf(args: string[], options: FlagSpec, command?: string): { values: Flags; positionals: string[] } {
  return parse(args, options, true, command);
}

/**
 * "Unknown option '--nope'" and the options there are, for any command: parseArgs words it so
 * only without positionals (with them it adds advice about '--' that does not apply here).
 */
function unknownOption(err: unknown, options: FlagSpec, command: string | undefined): UsageError | undefined {
  const m = err instanceof Error && (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /Unknown option '([^']+)'/.exec(err.message) : null;
  if (!m) return undefined;
  const known = [...Object.keys(options), 'help'].map((o) => `--${o}`).join(', ');
  return new UsageError(`Unknown option '${m[1]!}' (${command ? `the options of ${command}` : 'options'}: ${known})`);
}

/**
 * `--concurrency -1` as `--concurrency=-1`: parseArgs refuses a value that starts with a dash as
 * "ambiguous" (it could be a flag), so a negative number never reached the flag's own check,
 * which says what the flag takes. Only a string flag followed by a number is joined.
 */
function withNegativeValues(args: string[], options: FlagSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return [...out, ...args.slice(i)];
    const next = args[i + 1];
    const spec = arg.startsWith('--') && !arg.includes('=') ? options[arg.slice(2)] : undefined;
    if (spec?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

function parse(args: string[], options: FlagSpec, allowPositionals: boolean, command?: string): { values: Flags; positionals: string[] } {
  try {
    const { values, positionals, tokens } = parseArgs({
      args: withNegativeValues(args, options),
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
      tokens: true,
    });
    const given = new Map<string, string[]>();
    for (const t of tokens) {
      if (t.kind !== 'option') continue;
      const value = (t as { value?: string }).value; // typed undefined for a generic spec; a string option has one
      given.set(t.name, [...(given.get(t.name) ?? []), value === undefined ? t.rawName : `${t.rawName} ${value}`]);
    }
    // A flag given twice would silently keep the last (`--port 8088 --port 9000`): say which ones clash.
    for (const [name, uses] of given)
      if (uses.length > 1 && !options[name]?.multiple) throw new UsageError(`--${name} is given ${uses.length} times (${uses.join(', ')}): give it once`);
    return { values, positionals };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw unknownOption(err, options, command) ?? new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** A string flag's value, refused when it was given empty (`--home ""` would otherwise mean the default). */
export function nonEmptyFlag(flags: Flags, name: string, what: string): string | undefined {
  const v = flags[name];
  if (v === '') throw new UsageError(`--${name}: the value is empty; give ${what}`);
  return typeof v === 'string' ? v : undefined;
}
