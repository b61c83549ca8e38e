/** Starting real `func` role processes for integration and fault tests, and cleaning up after them. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { eventually } from './eventually.js';
import { httpClients, type RawApi, type TestClient } from './test-client.js';
import { ROLES_ADMIN_PASSWORD, ROLES_SECRET, TEST_LOG_DIR } from './test-secrets.js';

export const ROOT = join(import.meta.dirname, '..', '..', '..');
const CLI = join(ROOT, 'backend', 'src', 'cli.ts');

/**
 * `node --import tsx cli.ts …`: one process whose pid is the role itself, so a SIGKILL kills the
 * role (the tsx command would run it in a child that survives its parent's SIGKILL). With
 * FUNC_TEST_ROLES=dist (the benches: what users run), `node dist/backend/src/cli.js …`.
 */
export function roleCommand(args: string[]): [string, string[]] {
  if (process.env.FUNC_TEST_ROLES === 'dist') return [process.execPath, [join(ROOT, 'dist', 'backend', 'src', 'cli.js'), ...args]];
  return [process.execPath, ['--import', 'tsx', CLI, ...args]];
}
export const MYSQL_ADMIN_URL = process.env.FUNC_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';
export const REDIS_URL = process.env.FUNC_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/** A fresh log file for one spawned process under `<TEST_LOG_DIR>/roles/`. */
export function roleLogFile(name: string, pid: number | undefined): string {
  const dir = join(TEST_LOG_DIR, 'roles');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name.replace(/[^\w-]/g, '_')}-${pid ?? 0}-${randomBytes(3).toString('hex')}.log`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Whether a Redis answers PING on `port` (true), else undefined (for `eventually`). */
export function redisAnswers(port: number): Promise<true | undefined> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => {
      s.destroy();
      resolve(String(d).startsWith('+PONG') ? true : undefined);
    });
    s.on('error', () => resolve(undefined));
  });
}

/** A redis-server of the test's own on `port` (`args`: its persistence flags), resolved once it answers PING. */
export async function startOwnRedis(port: number, args: readonly string[]): Promise<ChildProcess> {
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', ...args, '--daemonize', 'no'], { stdio: 'ignore' });
  try {
    await eventually(() => redisAnswers(port), 10_000, `redis-server on port ${port}`);
  } catch (err) {
    redis.kill('SIGKILL'); // not left running when it never answered
    throw err;
  }
  return redis;
}

export interface FuncProcess {
  child: ChildProcess;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * `nodeArgs` go before the script (e.g. `--cpu-prof`, which NODE_OPTIONS does not allow). The
 * role's stdout and stderr are also written to `<TEST_LOG_DIR>/roles/` for the secrets check.
 */
export function startRole(args: string[], env: Record<string, string>, nodeArgs: string[] = []): FuncProcess {
  const [cmd, argv] = roleCommand(args);
  const child = spawn(cmd, [...nodeArgs, ...argv], { env: { ...process.env, FUNC_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const logFile = roleLogFile(args[0] ?? 'func', child.pid);
  const collect = (d: Buffer): void => {
    out += d.toString();
    appendFileSync(logFile, d);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    output: () => out,
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Waits until the server `role` runs answers GET `<base>/healthz`; fails at once with its output when it exits. */
export async function untilServing(role: FuncProcess, base: string, timeoutMs = 30_000): Promise<void> {
  await eventually(
    async () => {
      if (role.child.exitCode !== null) throw new Error(`${role.child.spawnargs.slice(-2).join(' ')} exited with ${role.child.exitCode}: ${role.output()}`);
      return (await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      ))
        ? true
        : undefined;
    },
    timeoutMs,
    `the server at ${base}`,
  ).catch((err: unknown) => {
    throw new Error(`${err instanceof Error ? err.message : String(err)}; its output: ${role.output()}`);
  });
}

/** A fresh MariaDB database and a Redis key prefix for one test file; `drop` removes both. */
export async function productionEnv(): Promise<{ env: Record<string, string>; home: string; drop(): Promise<void> }> {
  const name = `func_test_${randomBytes(4).toString('hex')}`;
  const admin = await createConnection(MYSQL_ADMIN_URL).catch((err: unknown) => {
    throw new Error(`MariaDB is not reachable at ${MYSQL_ADMIN_URL} (start it: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd): ${String(err)}`);
  });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  const home = mkdtempSync(join(tmpdir(), 'func-prod-'));
  const prefix = `functest:${name}:`;
  const env = {
    FUNC_DB_URL: `${MYSQL_ADMIN_URL.replace(/\/$/, '')}/${name}`,
    FUNC_REDIS_URL: REDIS_URL,
    FUNC_REDIS_PREFIX: prefix,
    FUNC_HOME: home,
    FUNC_SECRET: ROLES_SECRET,
    FUNC_ADMIN_PASSWORD: ROLES_ADMIN_PASSWORD,
    FUNC_SEED_EXAMPLES: 'false',
  };
  return {
    env,
    home,
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
      rmSync(home, { recursive: true, force: true });
      const { Redis } = await import('ioredis');
      const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
      try {
        await r.connect();
        let cursor = '0';
        do {
          const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length > 0) await r.del(...keys);
        } while (cursor !== '0');
      } finally {
        r.disconnect();
      }
    },
  };
}

export type ProductionEnv = Awaited<ReturnType<typeof productionEnv>>;

/** The roles of one test file on its own production env (see `productionRoles`); its functions may be used unbound. */
export interface ProductionRoles {
  /** The contract's typed client of the server, signed in as admin by `up` (and `signIn`). */
  readonly client: TestClient;
  /** The raw escape hatch (test-client.ts `rawApi`) with the admin token: for tests about raw HTTP only. */
  readonly api: RawApi;
  /** `http://127.0.0.1:<port>` of the server (the same port when it is started again). */
  readonly base: string;
  /** Admin's session token from the last `signIn` (for a console page signed in to this server). */
  readonly token: string;
  /** The roles' environment: productionEnv's variables and the extra ones. */
  readonly env: Record<string, string>;
  /** Every role started, stopped by `down`. */
  readonly processes: FuncProcess[];
  /** A fresh env (database, key prefix, FUNC_HOME), the server on a free port, signed in. */
  readonly up: () => Promise<void>;
  /** Starts a role on the env, with `extra` variables on top. */
  readonly role: (args: string[], extra?: Record<string, string>) => FuncProcess;
  /** Starts the server (again) and waits until it answers /healthz. */
  readonly startServer: () => Promise<FuncProcess>;
  readonly signIn: () => Promise<void>;
  /** Stops every role with `signal`, then drops the env. */
  readonly down: (signal?: NodeJS.Signals) => Promise<void>;
}

/** `extra(home)`: variables every role gets on top of productionEnv's (home: the env's FUNC_HOME). */
export function productionRoles(extra: (home: string) => Record<string, string> = () => ({})): ProductionRoles {
  let prod: ProductionEnv | undefined;
  let env: Record<string, string> = {};
  let port = 0;
  let token = '';
  const processes: FuncProcess[] = [];
  const base = (): string => `http://127.0.0.1:${port}`;
  const { client, api } = httpClients(base, () => token);
  const role: ProductionRoles['role'] = (args, more = {}) => {
    const r = startRole(args, { ...env, ...more });
    processes.push(r);
    return r;
  };
  const startServer: ProductionRoles['startServer'] = async () => {
    const r = role(['server', '--port', String(port)]);
    await untilServing(r, base());
    return r;
  };
  const signIn: ProductionRoles['signIn'] = async () => {
    token = '';
    token = (await client.signIn({ body: { signIn: { username: 'admin', password: env.FUNC_ADMIN_PASSWORD ?? '' } } })).xAuthToken;
  };
  return {
    client,
    api,
    processes,
    role,
    startServer,
    signIn,
    get base() {
      return base();
    },
    get token() {
      return token;
    },
    get env() {
      return env;
    },
    up: async () => {
      prod = await productionEnv();
      env = { ...prod.env, ...extra(prod.home) };
      port = await freePort();
      await startServer();
      await signIn();
    },
    down: async (signal = 'SIGTERM') => {
      await Promise.all(processes.map((r) => r.kill(signal)));
      await prod?.drop();
    },
  };
}
