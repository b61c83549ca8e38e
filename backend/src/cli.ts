/**
 * The `func` command. `func up` runs every role in one process (embedded); the production roles
 * (`server`, `worker`, `beat`) come with Redis support; `func stack …` deploys and changes them
 * on a Docker swarm (cli/stack-command.ts).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { maskSecrets } from '../../contract/redact.js';
import { checkInterpreter, MIN_PYTHON } from './adapters/python/interpreter-check.js';
import { describeMysqlUrl } from './adapters/store/mysql-connection.js';
import { openStore } from './adapters/store/open-store.js';
import { describeStartFailure } from './cli/start-failure.js';
import { flagsOf, nonEmptyFlag, UsageError, type Command } from './cli/usage.js';
import { stackCommand } from './cli/stack-command.js';
import { ConfigError, misspeltVariables, parseConfig, shownValue, type Config } from './config/config.js';
import { parseQueueList } from './domain/topology/queues.js';
import { startEmbeddedStack, VERSION } from './wiring/embedded-stack.js';
import { logError } from './wiring/log-error.js';
import { ensureHome } from './wiring/func-home.js';
import { startBeatProcess, startServerRole, startWorkerProcess } from './wiring/production-roles.js';

/** A --port value: digits naming a port 0-65535 (FUNC_PORT's range; the flag is named, not the variable it overrides). */
const isPortText = (v: string): boolean => /^\d{1,5}$/.test(v) && Number(v) <= 65535;

/** One line of the environment help per variable a role reads (each role's help lists only its own). */
const ENV_LINES = {
  FUNC_HOME: '  FUNC_HOME            data folder (SQLite file, secret)            default ./data',
  FUNC_DB_URL: '  FUNC_DB_URL          mysql://user:pass@host:3306/db               default SQLite in FUNC_HOME',
  FUNC_HOST: '  FUNC_HOST, FUNC_PORT bind address                                 default 127.0.0.1, 8088',
  FUNC_PYTHON: '  FUNC_PYTHON          Python interpreter: a path or a name on PATH  default /usr/bin/python3',
  FUNC_TOPOLOGY: '  FUNC_TOPOLOGY        standalone | attached | legacy | FILE.json   default standalone',
  FUNC_TOPOLOGY_MAP: "  FUNC_TOPOLOGY        the queue map of the tasks it enqueues: the servers' topology, default standalone",
  FUNC_WORKER_PROCESSES: '  FUNC_WORKER_PROCESSES  Python processes per worker unit           default 2 in func up',
  FUNC_RUNNER_IDLE_STOP_S: '  FUNC_RUNNER_IDLE_STOP_S  an idle Python process stops           default 60 (0 = keep all running)',
  FUNC_RUNNER_FORK_SERVER: '  FUNC_RUNNER_FORK_SERVER  fork Python processes from a fork server  default true (false = start each one)',
  FUNC_MEMORY_LIMIT_MB: '  FUNC_MEMORY_LIMIT_MB memory limit per Python process (0 = none)   default 1024',
  FUNC_SECRET: '  FUNC_SECRET          key for secrets and tokens                   default generated into FUNC_HOME/secret',
  FUNC_ADMIN_PASSWORD: '  FUNC_ADMIN_PASSWORD  first admin password                         default generated and printed once',
  FUNC_REDIS_URL: '  FUNC_REDIS_URL       redis://host:6379/0 (required)',
  FUNC_METRICS_PORT: '  FUNC_METRICS_PORT    serve GET /metrics on this port (0: any free one, shown in the topology)',
  FUNC_METRICS_HOST: '  FUNC_METRICS_HOST    its bind address                             default 127.0.0.1',
};

function envHelp(...names: (keyof typeof ENV_LINES)[]): string {
  return `Environment (parsed once at start; a bad value stops with its name and the value given):\n${names.map((n) => ENV_LINES[n]).join('\n')}`;
}

const RUNNER_ENV = ['FUNC_PYTHON', 'FUNC_RUNNER_FORK_SERVER', 'FUNC_MEMORY_LIMIT_MB'] as const;
const ENV_HELP = envHelp(
  'FUNC_HOME',
  'FUNC_DB_URL',
  'FUNC_HOST',
  'FUNC_TOPOLOGY',
  'FUNC_WORKER_PROCESSES',
  'FUNC_RUNNER_IDLE_STOP_S',
  ...RUNNER_ENV,
  'FUNC_SECRET',
  'FUNC_ADMIN_PASSWORD',
);

const commands: Record<string, Command> = {
  up: {
    summary: 'Run every role (server, worker units, beat) in one process — the embedded stack',
    usage: 'func up [--port N] [--host ADDR] [--home DIR]',
    help: `Starts the embedded stack: migrates the store (SQLite in FUNC_HOME, or the MySQL/MariaDB
database of FUNC_DB_URL), creates the admin user on first start (password from FUNC_ADMIN_PASSWORD
or generated and printed once), adds example functions, and serves the API on
http://FUNC_HOST:FUNC_PORT. Stop it with Ctrl-C; queued tasks run after the next start.

Options:
  --port N      overrides FUNC_PORT
  --host ADDR   overrides FUNC_HOST (127.0.0.1 unless you mean to expose it)
  --home DIR    overrides FUNC_HOME

${ENV_HELP}`,
    run: async (args) => {
      const f = flagsOf(args, { port: { type: 'string' }, host: { type: 'string' }, home: { type: 'string' } });
      if (f.help) return printHelp('up');
      if (f.port !== undefined && !isPortText(String(f.port))) throw new UsageError(`--port: "${String(f.port)}" is not a port number (0-65535)`);
      const env = { ...process.env };
      if (typeof f.port === 'string') env.FUNC_PORT = f.port;
      const host = nonEmptyFlag(f, 'host', 'an address to listen on, e.g. 127.0.0.1');
      const home = nonEmptyFlag(f, 'home', "a folder for Func's data, e.g. ./data");
      if (host !== undefined) env.FUNC_HOST = host;
      if (home !== undefined) env.FUNC_HOME = home;
      const config = await withCheckedPython(loadConfig(env));
      const stack = await startEmbeddedStack(config, { logger: true, onError: logError });
      // An address it cannot listen on: what started is stopped (its Python processes too) before the failure is told.
      const address = await stack.listen().catch(async (err: unknown) => {
        await stack.close().catch(() => undefined);
        throw err;
      });
      const url = address.replace('[::1]', 'localhost');
      console.log(`Func ${VERSION} is up (embedded: ${storeText(config)}, ${stack.units.length} worker units, beat)`);
      if (stack.recovered > 0) console.log(`Recovered ${stack.recovered} task(s) left unfinished by the last stop`);
      if (stack.generatedAdminPassword)
        console.log(`First start: sign in as admin with password ${stack.generatedAdminPassword} (shown once; set FUNC_ADMIN_PASSWORD to choose it)`);
      console.log(`API: ${url}/api/v1   health: ${url}/healthz   try: curl ${url}/api/v1/do/ping`);
      const stop = (): void => {
        console.log('Stopping…');
        void stack.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return new Promise<number>(() => undefined);
    },
  },
  server: {
    summary: 'Run the HTTP server role (production: needs FUNC_REDIS_URL)',
    usage: 'func server [--port N] [--host ADDR]',
    help: `Serves the API and the console, enqueues calls on Redis and waits for sync results. Run any
number of servers. Creates the admin user on the very first start of the stack.

Options:
  --port N      overrides FUNC_PORT
  --host ADDR   overrides FUNC_HOST

${envHelp('FUNC_HOME', 'FUNC_DB_URL', 'FUNC_REDIS_URL', 'FUNC_HOST', 'FUNC_TOPOLOGY', 'FUNC_WORKER_PROCESSES', ...RUNNER_ENV, 'FUNC_SECRET', 'FUNC_ADMIN_PASSWORD')}
  (GET /metrics is on the server's own port; FUNC_METRICS_TOKEN guards it)`,
    run: async (args) => {
      const f = flagsOf(args, { port: { type: 'string' }, host: { type: 'string' } });
      if (f.help) return printHelp('server');
      const env = { ...process.env };
      if (typeof f.port === 'string') {
        if (!isPortText(f.port)) throw new UsageError(`--port: "${f.port}" is not a port number (0-65535)`);
        env.FUNC_PORT = f.port;
      }
      const host = nonEmptyFlag(f, 'host', 'an address to listen on, e.g. 127.0.0.1');
      if (host !== undefined) env.FUNC_HOST = host;
      const config = await withCheckedPython(loadConfig(env));
      const role = await startServerRole(config, { logger: true, onError: logError, onWait: logError, onNotice: logError });
      console.log(`Func ${VERSION} server is up: ${role.url ?? ''}`);
      if (role.generatedAdminPassword) console.log(`First start: sign in as admin with password ${role.generatedAdminPassword} (shown once)`);
      return runUntilSignal(() => role.close(), config.readyFile);
    },
  },
  worker: {
    summary: 'Run one worker unit replica listening to some queues (production: needs FUNC_REDIS_URL)',
    usage: 'func worker --queues 1,2,5-7 [--concurrency 5] [--name worker-1]',
    help: `Takes tasks from the given queues and runs them in a pool of Python processes.

Options:
  --queues LIST     queue numbers, lists and ranges: 0,4,7-9 (required); tasks are taken from
                    the first of them that has one waiting, so 9,1 prefers #9
  --concurrency N   Python processes in the pool (default 5)
  --name NAME       unit name shown in the topology (default worker-<queues, lowest first>)

${envHelp('FUNC_HOME', 'FUNC_DB_URL', 'FUNC_REDIS_URL', 'FUNC_TOPOLOGY_MAP', ...RUNNER_ENV, 'FUNC_SECRET', 'FUNC_METRICS_PORT', 'FUNC_METRICS_HOST')}`,
    run: async (args) => {
      const f = flagsOf(args, { queues: { type: 'string' }, concurrency: { type: 'string' }, name: { type: 'string' } });
      if (f.help) return printHelp('worker');
      if (typeof f.queues !== 'string') throw new UsageError('--queues is required (e.g. --queues 1,2,5-7)');
      let queues: number[];
      try {
        queues = parseQueueList(f.queues);
      } catch (err) {
        throw new UsageError(`--queues: ${err instanceof Error ? err.message : String(err)}`);
      }
      // Decimal digits only: Number() would take "0x10", "1e1" and " 5 ".
      const concurrency = f.concurrency === undefined ? 5 : /^\d{1,3}$/.test(String(f.concurrency)) ? Number(f.concurrency) : Number.NaN;
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
        throw new UsageError(`--concurrency: "${String(f.concurrency)}" must be a whole number from 1 to 64`);
      // The default name is after the queue set, not their order: `--queues 9,1` and `1,9` are worker-1-9.
      const name = typeof f.name === 'string' ? f.name : `worker-${[...queues].sort((a, b) => a - b).join('-')}`;
      if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(name)) throw new UsageError(`--name: "${name}" must be lowercase letters, digits and dashes`);
      const config = await withCheckedPython(loadConfig());
      const role = await startWorkerProcess(config, { name, queues, processes: concurrency }, { onError: logError, onWait: logError, onNotice: logError });
      const metricsAt = role.metricsPort === undefined ? '' : `, metrics: http://${config.metricsHost}:${role.metricsPort}/metrics`;
      console.log(`Func ${VERSION} ${name} is up: queues ${queues.map((q) => `#${q}`).join(', ')}, ${concurrency} Python processes${metricsAt}`);
      return runUntilSignal(() => role.close(), config.readyFile);
    },
  },
  beat: {
    summary: 'Run the beat (cron jobs); a second copy stands by (production: needs FUNC_REDIS_URL)',
    usage: 'func beat',
    help: `Fires due cron jobs while it holds the leader lease; a second beat stays idle and takes over
within seconds when the first one dies.

${envHelp('FUNC_HOME', 'FUNC_DB_URL', 'FUNC_REDIS_URL', 'FUNC_TOPOLOGY_MAP', 'FUNC_SECRET', 'FUNC_METRICS_PORT', 'FUNC_METRICS_HOST')}`,
    run: async (args) => {
      if (flagsOf(args, {}).help) return printHelp('beat');
      const config = loadConfig();
      const role = await startBeatProcess(config, { onError: logError, onWait: logError, onNotice: logError });
      const metricsAt = role.metricsPort === undefined ? '' : `, metrics: http://${config.metricsHost}:${role.metricsPort}/metrics`;
      console.log(`Func ${VERSION} beat is up (${role.isLeader() ? 'leader' : 'standby'}${metricsAt})`);
      return runUntilSignal(() => role.close(), config.readyFile);
    },
  },
  migrate: {
    summary: 'Apply the store migrations and exit',
    usage: 'func migrate',
    help: `Applies pending migrations to the store (SQLite in FUNC_HOME, or FUNC_DB_URL). func up does this too.\n\n${envHelp('FUNC_HOME', 'FUNC_DB_URL')}`,
    run: async (args) => {
      if (flagsOf(args, {}).help) return printHelp('migrate');
      const config = loadConfig();
      ensureHome(config.home);
      const store = await openStore(config.dbUrl ? { mysqlUrl: config.dbUrl } : { sqlitePath: join(config.home, 'func.sqlite') });
      await store.migrate();
      await store.close();
      console.log('Migrations applied.');
      return 0;
    },
  },
  stack: stackCommand(),
  version: {
    summary: 'Print the version',
    usage: 'func version (or func --version)',
    help: 'Prints the version of Func.',
    run: (args) => {
      if (flagsOf(args, {}).help) return Promise.resolve(printHelp('version'));
      console.log(VERSION);
      return Promise.resolve(0);
    },
  },
};

/** The store a role uses, for its start line: `SQLite in <home>` or `MySQL/MariaDB user@host:port/db` (never the password). */
function storeText(config: Config): string {
  return config.dbUrl ? `MySQL/MariaDB ${describeMysqlUrl(config.dbUrl)}` : `SQLite in ${config.home}`;
}

/** The settings, with a warning for each FUNC_* variable that looks like a misspelt one. */
function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const config = parseConfig(env);
  for (const { variable, meant } of misspeltVariables(env)) console.error(`func: ${variable} is not a setting and is ignored (did you mean ${meant}?)`);
  return config;
}

/**
 * The settings with FUNC_PYTHON run once to print its version, as the runners' user (a bare name
 * found on this process's PATH first): one that does not exist, cannot be run or is no Python 3.9+ stops the role at
 * once, naming it, before anything is opened or created (no store, no admin, no FUNC_HOME).
 */
async function withCheckedPython(config: Config): Promise<Config> {
  const check = await checkInterpreter(config.python, { user: config.runnerUser, passEnv: config.runnerEnv });
  if (!check.ok)
    throw new ConfigError(
      'FUNC_PYTHON',
      `${shownValue('FUNC_PYTHON', config.python)} ${check.problem}; it must be a Python ${MIN_PYTHON.join('.')}+ interpreter (a path, or a command on PATH)`,
    );
  return Object.freeze({ ...config, python: check.path });
}

/**
 * Keeps a role running until SIGINT/SIGTERM, then closes it. With FUNC_READY_FILE the file says
 * "up" meanwhile: a swarm task counts as running only once its health check finds it.
 */
function runUntilSignal(close: () => Promise<void>, readyFile?: string): Promise<number> {
  if (readyFile) writeFileSync(readyFile, `${process.pid}\n`);
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      console.log('Stopping…');
      if (readyFile) rmSync(readyFile, { force: true });
      void close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function printHelp(name?: string): number {
  if (name && commands[name]) {
    const c = commands[name];
    console.log(`${c.usage}\n\n${c.summary}.\n\n${c.help}`);
    return 0;
  }
  console.log(`Usage: func <command> [options]\n\nCommands:`);
  for (const [n, c] of Object.entries(commands)) console.log(`  ${n.padEnd(9)} ${c.summary}`);
  console.log(`Run "func <command> --help" for a command's options.`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name === '--version' || name === '-v' ? commands.version : commands[name ?? ''];
  try {
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
      const topic = rest[0];
      if (topic !== undefined && !commands[topic]) throw new UsageError(`no help on "${topic}": it is not a command (commands: ${Object.keys(commands).join(', ')})`);
      return printHelp(topic);
    }
    if (!command) throw new UsageError(`unknown command "${name}" (commands: ${Object.keys(commands).join(', ')})`);
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(maskSecrets(`func: ${err.message}\nRun "func --help" for usage.`));
      return 2;
    }
    if (err instanceof ConfigError) {
      console.error(maskSecrets(`func: ${err.message}`));
      return 2;
    }
    // A start-up failure (a folder, the store or Redis, the address…): its causes, a URL's password masked.
    console.error(maskSecrets(`func: ${describeStartFailure(err)}`));
    return 1;
  }
}

if (process.argv[1] && /cli\.(ts|js)$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exit(code);
    },
    (err: unknown) => {
      console.error(maskSecrets(`func: ${describeStartFailure(err)}`));
      process.exit(1);
    },
  );
}
