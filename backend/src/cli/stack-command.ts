/**
 * `func stack …`: deploy the stack on a Docker swarm and change it (scale, limit, split, merge,
 * move a queue, remove), printing progress while the swarm converges; `compose` writes the
 * equivalent docker-stack.yaml. Exit 0 done, 1 refused or failed (every reason printed), 2 a bad
 * command line (the flag named).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ApiError } from '../../../contract/errors.js';
import type { StackChange } from '../../../contract/operations/stack.js';
import { composeDefaults, composeFile } from '../adapters/docker/compose-file.js';
import { ConfigError, parseConfig, type Config } from '../config/config.js';
import type { StackManager } from '../domain/stack/stack-manager.js';
import { ChangeRefused } from '../domain/topology/topology-change.js';
import { MAX_PROCESSES, MAX_REPLICAS, PRESETS, type Topology } from '../domain/topology/topology.js';
import { loadTopology } from '../wiring/load-topology.js';
import { createStackManager, DEFAULT_DOCKER_HOST } from '../wiring/stack.js';
import { openStore } from '../adapters/store/open-store.js';
import type { AutoscaleOps, AutoscalePolicyRow, AutoscaleSpec } from '../domain/ports/autoscale-store.js';
import { formatMs } from '../domain/stack/autoscale-policy.js';
import { missingForDeploy, parseCpus, parseDuration, parseFraction, parseMemory, parseQueue, parseQueues, parseReplicas, parseWholeNumber, servicesEnv } from './stack-args.js';
import { printPlan, printRefusal, printStatus } from './stack-print.js';
import { argsOf, UsageError, type Command, type Flags, type FlagSpec } from './usage.js';

export interface StackCommandDeps {
  env: () => Record<string, string | undefined>;
  manager: (config: Config, options: { stack: string; convergeTimeoutMs?: number }) => StackManager;
  writeFile: (path: string, text: string) => void;
  /** The store's autoscaling policies (FUNC_DB_URL, else the SQLite file of FUNC_HOME). */
  policies: (config: Config) => Promise<{ ops: AutoscaleOps; close(): Promise<void> }>;
  now: () => number;
  out: (line: string) => void;
  err: (line: string) => void;
}

interface Ctx {
  flags: Flags;
  args: string[];
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  manager: () => StackManager;
  deps: StackCommandDeps;
}

interface Sub {
  usage: string;
  summary: string;
  flags: FlagSpec;
  /** What each of its own flags means (the shared ones are in OPTION_HELP), for its --help; '' leaves one out (taken, not used). */
  options?: Record<string, string>;
  /** More lines of its --help, after the options. */
  notes?: string;
  /** Positional arguments: at least, at most. */
  positionals: [number, number];
  run(c: Ctx): Promise<number>;
}

const str = (v: Flags[string]): string | undefined => (typeof v === 'string' ? v : undefined);
/** `--image`, or `fallback`: a name Docker could take (no spaces, not empty), said at once rather than by the engine. */
const imageOf = (flags: Flags, fallback: string): string => {
  const image = str(flags.image) ?? fallback;
  if (!/^[A-Za-z0-9][\w.:/@-]{0,254}$/.test(image)) throw new UsageError(`--image: "${image}" is not an image name (e.g. func:latest, registry:5000/func:1.0)`);
  return image;
};
/** Flag `name`'s text; without it, a usage error saying what it is for. */
const required = (flags: Flags, name: string, why: string): string => {
  const v = str(flags[name]);
  if (v === undefined) throw new UsageError(`--${name} is required (${why})`);
  return v;
};
const COMMON: FlagSpec = { stack: { type: 'string' }, timeout: { type: 'string' } };
const DRY_RUN: FlagSpec = { 'dry-run': { type: 'boolean' } };
const CHANGE: FlagSpec = { ...COMMON, ...DRY_RUN };
const SOURCE: FlagSpec = { preset: { type: 'string' }, topology: { type: 'string' }, image: { type: 'string' }, processes: { type: 'string' } };
const SOURCE_HELP = (image: string): Record<string, string> => ({
  preset: `NAME: a preset topology: ${Object.keys(PRESETS).join(', ')}`,
  topology: 'FILE: a topology file (JSON); without --preset or --topology: FUNC_TOPOLOGY, else standalone',
  image: `IMAGE: the image of every service (default ${image})`,
  processes: "N: Python processes per replica of every unit (overrides the topology's)",
});
/** A shared flag a subcommand takes (scripts pass it to every one) but has no use for: left out of its help. */
const NOT_USED = '';
/** The flags several subcommands share. */
const OPTION_HELP: Record<string, string> = {
  stack: 'NAME: the stack (overrides FUNC_STACK, default func); services are NAME_<service>',
  timeout: 'S: give up waiting for the swarm to converge after S seconds (default 180)',
  'dry-run': 'print the plan and its steps, change nothing',
  json: 'print JSON instead of text',
};

const SUBCOMMANDS: Record<string, Sub> = {
  deploy: {
    usage: 'func stack deploy [--preset NAME | --topology FILE] [--image func:local] [--processes N] [--dry-run]',
    summary: 'Create the stack (server, a service per worker unit, beat) or bring it to this topology',
    flags: { ...CHANGE, ...SOURCE },
    options: { ...SOURCE_HELP('func:local'), 'dry-run': 'print what would be created, updated and removed, change nothing' },
    notes: `The services get this shell's FUNC_* variables except FUNC_DOCKER_HOST, FUNC_STACK, FUNC_HOME,
FUNC_PYTHON and FUNC_TOPOLOGY (machine-local; the topology is handed on as FUNC_TOPOLOGY);
FUNC_REDIS_URL, FUNC_DB_URL and FUNC_SECRET are required (by --dry-run too).`,
    positionals: [0, 0],
    run: async (c) => {
      const topology = topologyFrom(c.flags, c.env);
      const env = servicesEnv(c.env);
      const missing = missingForDeploy(env);
      if (missing.length > 0) throw new ChangeRefused(missing);
      env.FUNC_TOPOLOGY = topologyEnvValue(topology);
      const m = c.manager();
      const options = { stack: m.stack, image: imageOf(c.flags, 'func:local'), env, dataServices: false };
      if (c.flags['dry-run']) {
        printPlan(await m.planDeploy(topology, options), c.out);
        c.out(DRY_RUN_DONE);
        return 0;
      }
      await m.deploy(topology, options, c.out);
      printStatus(await m.status(), c.out);
      return 0;
    },
  },
  status: {
    usage: 'func stack status [--json]',
    summary: 'Services, replicas running/desired, limits and problems',
    flags: { ...COMMON, json: { type: 'boolean' } },
    options: { json: 'print the status as JSON', timeout: NOT_USED },
    positionals: [0, 0],
    run: async (c) => {
      const s = await c.manager().status();
      if (c.flags.json) c.out(JSON.stringify(s, null, 2));
      else printStatus(s, c.out);
      return 0;
    },
  },
  scale: {
    usage: 'func stack scale UNIT=N [UNIT=N …] [--dry-run]',
    summary: 'Set the replicas of worker units (beat stays at 1)',
    flags: CHANGE,
    notes: `UNIT=N: a worker unit and its replicas (0-${MAX_REPLICAS}), e.g. worker-1=3.`,
    positionals: [1, 20],
    run: (c) =>
      changes(
        c,
        c.args.map((a): StackChange => ({ op: 'scale', ...parseReplicas(a) })),
      ),
  },
  limit: {
    usage: 'func stack limit UNIT [--cpus N|none] [--memory 512M|none] [--reserve-cpus N|none] [--reserve-memory 256M|none] [--dry-run]',
    summary: 'Set or clear the CPU and memory limits and reservations of a unit (per replica)',
    flags: { ...CHANGE, cpus: { type: 'string' }, memory: { type: 'string' }, 'reserve-cpus': { type: 'string' }, 'reserve-memory': { type: 'string' } },
    options: {
      cpus: 'N|none: CPU cores each replica may use (e.g. 0.5); none clears the limit',
      memory: 'SIZE|none: memory each replica may use (512M, 2G); none clears it',
      'reserve-cpus': 'N|none: CPU cores the swarm reserves for each replica',
      'reserve-memory': 'SIZE|none: memory the swarm reserves for each replica',
    },
    notes: 'Give at least one of them; the ones not given stay as they are.',
    positionals: [1, 1],
    run: (c) => {
      const f = c.flags;
      const patch = (cpus: string, memory: string): { cpus?: number | null; memoryMb?: number | null } | undefined => {
        const out: { cpus?: number | null; memoryMb?: number | null } = {};
        if (str(f[cpus]) !== undefined) out.cpus = parseCpus(`--${cpus}`, str(f[cpus])!);
        if (str(f[memory]) !== undefined) out.memoryMb = parseMemory(`--${memory}`, str(f[memory])!);
        return Object.keys(out).length > 0 ? out : undefined;
      };
      const limits = patch('cpus', 'memory');
      const reservations = patch('reserve-cpus', 'reserve-memory');
      if (!limits && !reservations) throw new UsageError('give at least one of --cpus, --memory, --reserve-cpus, --reserve-memory');
      return changes(c, [{ op: 'limit', unit: c.args[0]!, ...(limits ? { limits } : {}), ...(reservations ? { reservations } : {}) }]);
    },
  },
  split: {
    usage: 'func stack split UNIT --queues LIST [--name NEW] [--dry-run]',
    summary: 'Move some queues of a unit into a new unit (no moment without a listener)',
    flags: { ...CHANGE, queues: { type: 'string' }, name: { type: 'string' } },
    options: { queues: 'LIST: the queues to move out, e.g. 6 or 5-6 (required)', name: "NEW: the new unit's name (default worker-<its queues>)" },
    positionals: [1, 1],
    run: (c) => changes(c, [{ op: 'split', unit: c.args[0]!, queues: parseQueues('--queues', required(c.flags, 'queues', 'e.g. --queues 6')), ...newName(c.flags, 'newUnit') }]),
  },
  merge: {
    usage: 'func stack merge UNIT UNIT [UNIT …] [--name NEW] [--dry-run]',
    summary: 'Merge units into one listening to all their queues',
    flags: { ...CHANGE, name: { type: 'string' } },
    options: { name: "NEW: the merged unit's name (default worker-<its queues>)" },
    positionals: [2, 16],
    run: (c) => changes(c, [{ op: 'merge', units: c.args, ...newName(c.flags, 'into') }]),
  },
  move: {
    usage: 'func stack move QUEUE --from UNIT [--to UNIT] [--dry-run]',
    summary: 'Move a queue to another unit, or to a new unit of its own',
    flags: { ...CHANGE, from: { type: 'string' }, to: { type: 'string' } },
    options: { from: 'UNIT: the unit listening to the queue now (required)', to: 'UNIT: the unit to take it (default: a new unit of its own)' },
    notes: 'QUEUE: a queue number, 6 or #6.',
    positionals: [1, 1],
    run: (c) => {
      const from = required(c.flags, 'from', 'the unit listening to the queue now');
      const to = str(c.flags.to);
      return changes(c, [{ op: 'moveQueue', queue: parseQueue(c.args[0]!), from, ...(to === undefined ? {} : { to }) }]);
    },
  },
  autoscale: {
    usage: 'func stack autoscale [UNIT (--min N --max N (--target-wait 2s | --target-load 80%) [--cooldown 60s] [--hysteresis 30%] | --off | --on | --delete)]',
    summary: "Set, pause (--off), resume (--on) or delete a unit's autoscaling policy; without a unit, list them",
    flags: {
      ...COMMON,
      min: { type: 'string' },
      max: { type: 'string' },
      'target-wait': { type: 'string' },
      'target-load': { type: 'string' },
      cooldown: { type: 'string' },
      hysteresis: { type: 'string' },
      off: { type: 'boolean' },
      on: { type: 'boolean' },
      delete: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    options: {
      min: 'N: fewest replicas (default 1)',
      max: 'N: most replicas (required for a new policy)',
      'target-wait': "DURATION: keep the waiting tasks' p95 wait under this (500ms, 2s)",
      'target-load': 'FRACTION: keep the load under this share of the capacity (80% or 0.8)',
      cooldown: 'DURATION: least time between two changes (default 60s)',
      hysteresis: 'FRACTION: how far below the target before scaling in (default 30%)',
      off: 'pause the policy',
      on: 'resume it (clears an error)',
      delete: 'delete it; the replicas stay as they are',
      json: 'without a unit: list the policies as JSON',
      timeout: NOT_USED,
    },
    notes: 'The server holding the autoscaler lease (one with FUNC_DOCKER_HOST) applies the policies.',
    positionals: [0, 1],
    run: (c) => autoscale(c),
  },
  rm: {
    usage: 'func stack rm [--dry-run]',
    summary: 'Remove every service of the stack and wait until its containers are gone',
    flags: CHANGE,
    options: { 'dry-run': 'print the services that would be removed, remove nothing' },
    positionals: [0, 0],
    run: async (c) => {
      const m = c.manager();
      if (c.flags['dry-run']) {
        const services = await m.planRemove();
        printPlan(
          {
            summary: `Remove stack ${m.stack} on ${m.endpoint}: ${services.length} service(s)`,
            steps: services.map((service) => ({ kind: 'remove' as const, service, description: `Remove ${service}` })),
          },
          c.out,
        );
        c.out(DRY_RUN_DONE);
        return 0;
      }
      const removed = await m.remove(c.out);
      c.out(removed === 0 ? 'Nothing to remove.' : `Removed ${removed} service(s).`);
      return 0;
    },
  },
  compose: {
    usage: 'func stack compose [--preset NAME | --topology FILE] [--image func:latest] [--processes N] [--out FILE]',
    summary: 'Print (or write) the docker-stack.yaml of a topology, with Redis and MariaDB services',
    flags: { ...COMMON, ...SOURCE, out: { type: 'string' } },
    options: {
      ...SOURCE_HELP('func:latest'),
      out: 'FILE: write the file there instead of printing it',
      stack: 'NAME: the stack the file names (overrides FUNC_STACK, default func)',
      timeout: NOT_USED,
    },
    positionals: [0, 0],
    run: (c) => {
      const file = str(c.flags.out);
      if (file === '') throw new UsageError('--out: give a file name (or leave --out out to print the file)');
      const text = composeFile(topologyFrom(c.flags, c.env), composeDefaults(imageOf(c.flags, 'func:latest'), str(c.flags.stack) ?? parseConfig(c.env).stack));
      if (file === undefined) c.out(text.trimEnd());
      else {
        c.deps.writeFile(file, text);
        c.out(`Wrote ${file}`);
      }
      return Promise.resolve(0);
    },
  },
};

const DRY_RUN_DONE = 'Dry run: nothing was changed.';
const withDryRun = Object.keys(SUBCOMMANDS).filter((n) => SUBCOMMANDS[n]!.flags['dry-run']);
const waiting = Object.keys(SUBCOMMANDS).filter((n) => SUBCOMMANDS[n]!.options?.timeout !== NOT_USED);

/** Options some subcommands share, under one heading per list of subcommands. */
function sharedOptions(options: [string, string, string[]][]): string {
  const groups = new Map<string, string[]>();
  for (const [flag, text, subs] of options) groups.set(subs.join(', '), [...(groups.get(subs.join(', ')) ?? []), `  ${flag.padEnd(16)}  ${text}`]);
  return [...groups].map(([subs, lines]) => `Options of ${subs}:\n${lines.join('\n')}`).join('\n');
}

const ENGINE_HELP = `Where the engine is: FUNC_DOCKER_HOST = unix:///path (default ${DEFAULT_DOCKER_HOST}),
ssh://user@host (a manager reached over SSH: agent or ~/.ssh key) or tcp://host:2375.`;

const HELP = `Subcommands:
${Object.entries(SUBCOMMANDS)
  .map(([n, s]) => `  ${n.padEnd(10)} ${s.summary}`)
  .join('\n')}

Options of every subcommand:
  --stack NAME      the stack (overrides FUNC_STACK, default func); services are NAME_<service>
${sharedOptions([
  ['--timeout S', 'give up waiting for the swarm to converge after S seconds (default 180)', waiting],
  ['--dry-run', 'print the plan and its steps, change nothing', withDryRun],
])}

${ENGINE_HELP}

deploy hands the services this shell's FUNC_* variables except FUNC_DOCKER_HOST, FUNC_STACK,
FUNC_HOME and FUNC_PYTHON (machine-local); FUNC_REDIS_URL, FUNC_DB_URL and FUNC_SECRET are
required. The topology: --preset (standalone, attached, legacy), --topology FILE.json, else
FUNC_TOPOLOGY, else standalone. Run "func stack SUBCOMMAND --help" for its usage and options.`;

/** One subcommand's --help: its usage, what it does, each of its options, its notes. */
function subHelp(name: string, sub: Sub): string {
  const rows: [string, string][] = [];
  for (const flag of Object.keys(sub.flags)) {
    const text = sub.options?.[flag] ?? OPTION_HELP[flag];
    if (text === undefined) throw new Error(`func stack ${name}: no help for --${flag}`);
    if (text === NOT_USED) continue;
    // "NAME: what it is" puts the value's name beside the flag.
    const m = /^([A-Z][A-Z|a-z]*): (.*)$/.exec(text);
    rows.push([`--${flag}${m ? ` ${m[1]!}` : ''}`, m ? m[2]! : text]);
  }
  rows.push(['--help', 'this help']);
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  return `${sub.usage}\n\n${sub.summary}.\n\nOptions:\n${rows.map(([f, t]) => `  ${f.padEnd(width)}${t}`).join('\n')}${sub.notes ? `\n\n${sub.notes}` : ''}${name === 'compose' ? '' : `\n\n${ENGINE_HELP}`}`;
}

export function stackCommand(deps: Partial<StackCommandDeps> = {}): Command {
  const d: StackCommandDeps = {
    env: () => process.env,
    manager: (config, options) => createStackManager(config, options),
    writeFile: (path, text) => writeFileSync(path, text),
    policies: async (config) => {
      const store = await openStore(config.dbUrl ? { mysqlUrl: config.dbUrl } : { sqlitePath: join(config.home, 'func.sqlite') });
      await store.migrate();
      return { ops: store.autoscale, close: () => store.close() };
    },
    now: () => Date.now(),
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    ...deps,
  };
  const command: Command = {
    summary: 'Deploy and change the stack on a Docker swarm (deploy, status, scale, limit, split, merge, move, autoscale, rm, compose)',
    usage: 'func stack SUBCOMMAND [options]',
    help: HELP,
    run: async ([name, ...rest]) => {
      if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
        d.out(`${command.usage}\n\n${command.summary}.\n\n${HELP}`);
        return 0;
      }
      const sub = SUBCOMMANDS[name];
      if (!sub) throw new UsageError(`unknown stack subcommand "${name}" (subcommands: ${Object.keys(SUBCOMMANDS).join(', ')})`);
      const { values, positionals } = argsOf(rest, sub.flags, `func stack ${name}`);
      if (values.help) {
        d.out(subHelp(name, sub));
        return 0;
      }
      const [min, max] = sub.positionals;
      if (positionals.length < min || positionals.length > max)
        throw new UsageError(`${sub.usage}: ${positionals.length < min ? 'missing arguments' : `unexpected argument "${positionals[max]!}"`}`);
      return runSub(sub, values, positionals, d);
    },
  };
  return command;
}

async function runSub(sub: Sub, flags: Flags, args: string[], d: StackCommandDeps): Promise<number> {
  const env = d.env();
  const timeoutS = parseWholeNumber('--timeout', str(flags.timeout), 1, 3600);
  const stack = str(flags.stack);
  if (stack !== undefined && !/^[a-z0-9][a-z0-9_-]{0,30}$/.test(stack)) throw new UsageError(`--stack: "${stack}" must be 1-31 lowercase letters, digits, _ and -`);
  let manager: StackManager | undefined;
  const ctx: Ctx = {
    flags,
    args,
    env,
    out: d.out,
    deps: d,
    manager: () => {
      const config = parseConfig(env);
      manager ??= d.manager(config, { stack: stack ?? config.stack, ...(timeoutS === undefined ? {} : { convergeTimeoutMs: timeoutS * 1000 }) });
      return manager;
    },
  };
  try {
    return await sub.run(ctx);
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) throw err;
    if (err instanceof ChangeRefused) printRefusal(err.reasons, d.err);
    else d.err(`func: ${err instanceof ApiError || err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

async function changes(c: Ctx, list: StackChange[]): Promise<number> {
  const m = c.manager();
  for (const change of list) {
    if (c.flags['dry-run']) printPlan(await m.plan(change), c.out);
    else await m.applyNow(change, c.out);
  }
  if (!c.flags['dry-run']) printStatus(await m.status(), c.out);
  return 0;
}

function newName(flags: Flags, key: 'newUnit' | 'into'): { newUnit?: string; into?: string } {
  const name = str(flags.name);
  if (name === undefined) return {};
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(name)) throw new UsageError(`--name: "${name}" must be lowercase letters, digits and dashes (at most 63)`);
  return { [key]: name };
}

/** --preset, --topology FILE, else FUNC_TOPOLOGY, else standalone; --processes overrides every unit's. */
function topologyFrom(flags: Flags, env: Record<string, string | undefined>): Topology {
  const preset = str(flags.preset);
  const file = str(flags.topology);
  const processes = parseWholeNumber('--processes', str(flags.processes), 1, MAX_PROCESSES);
  if (preset !== undefined && file !== undefined) throw new UsageError('give --preset or --topology, not both');
  if (preset !== undefined && !Object.hasOwn(PRESETS, preset)) throw new UsageError(`--preset: "${preset}" is not one of ${Object.keys(PRESETS).join(', ')}`);
  if (file !== undefined && !existsSync(file)) throw new UsageError(`--topology: there is no file ${file}`);
  try {
    return loadTopology(preset ?? file ?? (env.FUNC_TOPOLOGY || 'standalone'), processes);
  } catch (err) {
    if (err instanceof ConfigError && file !== undefined) throw new UsageError(`--topology: ${err.message.replace(/^Invalid configuration: FUNC_TOPOLOGY /, '')}`);
    throw err;
  }
}

/** What the services get as FUNC_TOPOLOGY: the preset's name when it is one unchanged, else the topology as JSON. */
export function topologyEnvValue(t: Topology): string {
  const preset = PRESETS[t.name];
  return preset && isDeepStrictEqual(preset, t) ? t.name : JSON.stringify(t);
}

/** The flags of a policy: every one given is checked and named in its error. */
function autoscaleSpecOf(f: Flags, before: AutoscaleSpec | undefined): AutoscaleSpec {
  const min = parseWholeNumber('--min', str(f.min), 0, MAX_REPLICAS) ?? before?.minReplicas ?? 1;
  const max = parseWholeNumber('--max', str(f.max), 1, MAX_REPLICAS) ?? before?.maxReplicas;
  if (max === undefined) throw new UsageError('--max is required for a new policy (e.g. --max 6)');
  if (min > max) throw new UsageError(`--min: ${min} is more than --max ${max}`);
  const wait = str(f['target-wait']);
  const load = str(f['target-load']);
  if (wait !== undefined && load !== undefined) throw new UsageError('give --target-wait or --target-load, not both');
  const target: AutoscaleSpec['target'] | undefined =
    wait !== undefined
      ? { kind: 'wait', waitMs: parseDuration('--target-wait', wait, 100, 3_600_000) }
      : load !== undefined
        ? { kind: 'load', utilization: parseFraction('--target-load', load) }
        : before?.target;
  if (!target) throw new UsageError('give a target: --target-wait 2s (p95 wait of the waiting tasks) or --target-load 80% (load against capacity)');
  const cooldown = str(f.cooldown);
  const hysteresis = str(f.hysteresis);
  return {
    minReplicas: min,
    maxReplicas: max,
    target,
    cooldownMs: cooldown === undefined ? (before?.cooldownMs ?? 60_000) : parseDuration('--cooldown', cooldown, 0, 86_400_000),
    hysteresis: hysteresis === undefined ? (before?.hysteresis ?? 0.3) : parseFraction('--hysteresis', hysteresis, 0.95),
  };
}

function describePolicy(p: AutoscalePolicyRow): string {
  const s = p.spec;
  const target = s.target.kind === 'wait' ? `wait p95 ≤ ${formatMs(s.target.waitMs)}` : `load ≤ ${Math.round(s.target.utilization * 100)} % of capacity`;
  const status = p.error ? `paused: ${p.error}` : p.paused ? 'paused' : 'active';
  return `${p.unit}: ${s.minReplicas}–${s.maxReplicas} replicas, ${target}, cool-down ${formatMs(s.cooldownMs)}, hysteresis ${Math.round(s.hysteresis * 100)} % — ${status}`;
}

async function autoscale(c: Ctx): Promise<number> {
  const f = c.flags;
  const unit = c.args[0];
  const switches = [f.off, f.on, f.delete].filter(Boolean).length;
  const specFlags = ['min', 'max', 'target-wait', 'target-load', 'cooldown', 'hysteresis'].filter((k) => str(f[k]) !== undefined);
  if (switches > 1) throw new UsageError('give one of --off, --on, --delete');
  if (switches === 1 && specFlags.length > 0) throw new UsageError(`--${specFlags[0]!} cannot go with --off, --on or --delete`);
  if (unit === undefined && (switches > 0 || specFlags.length > 0)) throw new UsageError('name the unit (func stack autoscale UNIT …)');
  if (unit !== undefined && !/^[a-z0-9][a-z0-9-]{0,62}$/.test(unit)) throw new UsageError(`"${unit}" is not a unit name`);
  const config = parseConfig(c.env);
  const stack = str(f.stack) ?? config.stack;
  const now = c.deps.now();
  const policies = await c.deps.policies(config);
  const ops = policies.ops;
  try {
    if (unit === undefined) {
      const all = await ops.list(stack);
      if (f.json) c.out(JSON.stringify(all, null, 2));
      else if (all.length === 0) c.out(`No autoscaling policy in stack ${stack}.`);
      else for (const p of all) c.out(describePolicy(p));
      return 0;
    }
    const before = await ops.get(stack, unit);
    if (f.delete) {
      c.out((await ops.delete(stack, unit)) ? `Deleted the autoscaling policy of ${unit}; its replicas stay as they are.` : `${unit} had no autoscaling policy.`);
      return 0;
    }
    if (switches === 0 && specFlags.length === 0) {
      if (!before) throw new ChangeRefused([`${unit} has no autoscaling policy in stack ${stack}`]);
      c.out(describePolicy(before));
      for (const d of before.state.decisions.slice(-5)) c.out(`  ${new Date(d.time).toISOString()} ${d.from} → ${d.to} ${d.state}: ${d.reason}`);
      return 0;
    }
    if (f.off || f.on) {
      if (!before) throw new ChangeRefused([`${unit} has no autoscaling policy in stack ${stack}; set one first (--min, --max, --target-wait)`]);
      await ops.setPaused(stack, unit, Boolean(f.off), now);
    } else {
      const spec = autoscaleSpecOf(f, before?.spec);
      // Only a unit that runs in the stack gets a policy.
      const { topology } = await c.manager().topology();
      if (!topology.units.some((u) => u.name === unit))
        throw new ChangeRefused([`no unit ${unit} is deployed in stack ${stack} (units: ${topology.units.map((u) => u.name).join(', ')})`]);
      await ops.setPolicy(stack, unit, spec, false, now);
    }
    const after = await ops.get(stack, unit);
    if (after) c.out(describePolicy(after));
    c.out('The server holding the autoscaler lease (one with FUNC_DOCKER_HOST) evaluates it every few seconds.');
    return 0;
  } finally {
    await policies.close();
  }
}
