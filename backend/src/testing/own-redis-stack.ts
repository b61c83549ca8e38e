/**
 * The production roles of one test file (processes.ts `productionRoles`) on a redis-server of the
 * file's own, which the test kills and starts again: the Redis-loss and Redis-restart tests.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, productionRoles, startOwnRedis, type ProductionRoles } from './processes.js';

/** A Redis that keeps nothing on disk: started again, it is empty. */
export const REDIS_KEEPS_NOTHING = (): readonly string[] => ['--appendonly', 'no', '--save', ''];

/** A Redis that writes every command to its append-only file in `dir` before answering: started again on `dir`, it has all. */
export const REDIS_AOF_ALWAYS = (dir: string): readonly string[] => ['--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--dir', dir];

export interface OwnRedisStack extends ProductionRoles {
  /** The port of the own redis-server (the same when it is started again). */
  readonly redisPort: number;
  /** `redis://127.0.0.1:<redisPort>/0`: the roles' FUNC_REDIS_URL. */
  readonly redisUrl: string;
  /** Starts the own redis-server (again) with the file's arguments and waits until it answers PING. */
  readonly startRedis: () => Promise<void>;
  /** SIGKILLs the own redis-server and waits until it exited. */
  readonly killRedis: () => Promise<void>;
}

/**
 * `up`: the own redis-server on a free port with `redisArgs(dir)` (`dir`: a fresh folder of its own,
 * removed by `down`), then productionRoles' `up` with every role on it (FUNC_REDIS_URL), a
 * visibility timeout of 5 s (a delivery Redis lost is not waited for long) and `extra` on top.
 * `down(signal)`: the roles stopped with `signal` and the env dropped, then Redis SIGKILLed.
 */
export function ownRedisStack(redisArgs: (dir: string) => readonly string[], extra: Record<string, string> = {}): OwnRedisStack {
  let redisPort = 0;
  let redis: ChildProcess | undefined;
  let dir = '';
  const redisUrl = (): string => `redis://127.0.0.1:${redisPort}/0`;
  const roles = productionRoles(() => ({ FUNC_REDIS_URL: redisUrl(), FUNC_VISIBILITY_TIMEOUT_S: '5', ...extra }));
  const startRedis = async (): Promise<void> => {
    redis = await startOwnRedis(redisPort, redisArgs(dir));
  };
  const killRedis = async (): Promise<void> => {
    const r = redis;
    if (!r || r.exitCode !== null || r.signalCode !== null) return;
    const exited = new Promise((resolve) => r.once('exit', resolve));
    r.kill('SIGKILL');
    await exited;
  };
  return {
    ...roles,
    get base() {
      return roles.base;
    },
    get token() {
      return roles.token;
    },
    get env() {
      return roles.env;
    },
    get redisPort() {
      return redisPort;
    },
    get redisUrl() {
      return redisUrl();
    },
    startRedis,
    killRedis,
    up: async () => {
      dir = mkdtempSync(join(tmpdir(), 'func-own-redis-'));
      redisPort = await freePort();
      await startRedis();
      await roles.up();
    },
    down: async (signal) => {
      try {
        await roles.down(signal);
      } finally {
        await killRedis();
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
