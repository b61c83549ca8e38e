/** Starting real `func` role processes for integration and fault tests, and cleaning up after them. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { ROLES_ADMIN_PASSWORD, ROLES_SECRET, TEST_LOG_DIR } from './test-secrets.js';

export const ROOT = join(import.meta.dirname, '..', '..', '..');
const CLI = join(ROOT, 'backend', 'src', 'cli.ts');

/**
 * `node --import tsx cli.ts …`: one process whose pid is the role itself, so a SIGKILL kills the
 * role (the tsx command would run it in a child that survives its parent's SIGKILL).
 */
export function roleCommand(args: string[]): [string, string[]] {
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
