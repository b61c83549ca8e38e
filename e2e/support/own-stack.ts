/**
 * Stacks a spec starts for itself rather than using global-setup's: a production server on its own
 * database and key prefix (backend/src/testing/processes.ts `productionRoles`), or a stack deployed
 * on a real Docker swarm with `func stack deploy` plus a production server managing it; and pages
 * signed in to them.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page, TestType } from '@playwright/test';
import { freePort, productionEnv, roleCommand, ROOT, startRole, untilServing, type FuncProcess, type ProductionEnv } from '../../backend/src/testing/processes.js';
import { httpClients, type TestClient } from '../../backend/src/testing/test-client.js';
import { PRESETS, type Topology, type WorkerUnit } from '../../backend/src/domain/topology/topology.js';
import { signedInProfiles } from './stack.js';

/** Makes `page` start signed in (as admin, with `token`) to the stack at its own origin. */
export async function signInTo(page: Page, token: string): Promise<void> {
  await page.addInitScript(`localStorage.setItem('func.profiles', ${JSON.stringify(signedInProfiles(token))})`);
}

const run = promisify(execFile);
export const DOCKER_HOST = 'unix:///var/run/docker.sock';
export const SWARM_IMAGE = 'func:local';

async function assertSwarm(): Promise<void> {
  const how = 'prepare it with: bash scripts/prepare-docker.sh (Docker engine in swarm mode, image func:local)';
  const info = await run('docker', ['info', '--format', '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}']).catch((err: unknown) => {
    throw new Error(`the Docker engine does not answer (${String(err)}); ${how}`);
  });
  if (info.stdout.trim() !== 'active true') throw new Error(`this Docker engine is not a swarm manager (swarm: "${info.stdout.trim()}"); ${how}`);
  await run('docker', ['image', 'inspect', SWARM_IMAGE]).catch(() => {
    throw new Error(`there is no image ${SWARM_IMAGE}; ${how}`);
  });
}

export interface SwarmSpecStack {
  /** The stack's name: `prefix` and a time stamp. */
  readonly name: string;
  /** `http://127.0.0.1:<port>` of the spec's production server (FUNC_DOCKER_HOST and FUNC_STACK set). */
  readonly url: string;
  /** The contract's typed client of that server, signed in as admin by `up`. */
  readonly client: TestClient;
  /** Fails saying what to run without a swarm; deploys `topology` with `func stack deploy`, then starts the server and signs in. */
  up(): Promise<void>;
  /** Stops the server, removes the stack (`func stack rm`), drops the database. */
  down(): Promise<void>;
  /** Makes `page` start signed in to the server. */
  signIn(page: Page): Promise<void>;
}

/**
 * A stack of the spec's own on the local swarm (host networking, the machine's Redis and MariaDB on
 * 127.0.0.1), deployed as an operator does: the `func stack` command with the spec's FUNC_*
 * variables only (the deploy hands every FUNC_* variable of its shell to the services). Its
 * topology `topologyName`: the standard queue map, `units` of one process and one replica each.
 */
export function swarmSpecStack(prefix: string, topologyName: string, units: Pick<WorkerUnit, 'name' | 'queues'>[]): SwarmSpecStack {
  const name = `${prefix}${Date.now().toString(36)}`;
  const topology: Topology = { name: topologyName, queueMap: PRESETS.standalone!.queueMap, units: units.map((u) => ({ ...u, processes: 1, replicas: 1 })) };
  let env: ProductionEnv | undefined;
  let server: FuncProcess | undefined;
  let url = '';
  let token = '';
  let roleEnv: Record<string, string> = {};
  const { client } = httpClients(
    () => url,
    () => token,
  );

  async function stackCli(args: string[], timeoutMs: number): Promise<string> {
    const [cmd, argv] = roleCommand(['stack', ...args, '--stack', name]);
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FUNC_')));
    try {
      return (await run(cmd, argv, { cwd: ROOT, env: { ...base, ...roleEnv, FUNC_DOCKER_HOST: DOCKER_HOST }, timeout: timeoutMs, maxBuffer: 8 << 20 })).stdout;
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(`func stack ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
    }
  }

  return {
    name,
    client,
    get url() {
      return url;
    },
    up: async () => {
      await assertSwarm();
      env = await productionEnv();
      // The stack's own server listens on the host network: a free port on loopback, not 8088.
      roleEnv = { ...env.env, FUNC_PORT: String(await freePort()), FUNC_HOST: '127.0.0.1', FUNC_LOG_LEVEL: 'warn' };
      const topologyFile = join(env.home, 'topology.json');
      writeFileSync(topologyFile, JSON.stringify(topology));
      await stackCli(['deploy', '--topology', topologyFile, '--image', SWARM_IMAGE], 300_000);
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      server = startRole(['server'], { ...env.env, FUNC_PORT: String(port), FUNC_HOST: '127.0.0.1', FUNC_DOCKER_HOST: DOCKER_HOST, FUNC_STACK: name });
      await untilServing(server, url, 60_000);
      token = (await client.signIn({ body: { signIn: { username: 'admin', password: env.env.FUNC_ADMIN_PASSWORD! } } })).xAuthToken;
    },
    down: async () => {
      await server?.kill();
      try {
        if (env) await stackCli(['rm'], 240_000);
      } finally {
        await env?.drop();
      }
    },
    signIn: (page) => signInTo(page, token),
  };
}

/** A swarm spec's hooks: its tests serial, 7 min each; before all, `swarm` up then `setup` (its functions); after all, `swarm` down. */
export function swarmSpecHooks<T extends object, W extends object>(test: TestType<T, W>, swarm: SwarmSpecStack, setup: () => Promise<void>): void {
  test.describe.configure({ mode: 'serial', timeout: 420_000 });
  test.beforeAll(async () => {
    test.setTimeout(420_000);
    await swarm.up();
    await setup();
  });
  test.afterAll(async () => {
    test.setTimeout(300_000);
    await swarm.down();
  });
}
