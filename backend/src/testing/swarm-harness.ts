/** What the swarm suites share: the engine and its readiness, `func stack …` in this process, and cleanup of a test stack. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { stackCommand } from '../cli/stack-command.js';
import { LABEL } from '../domain/stack/stack-spec.js';
import { createStackManager, DEFAULT_DOCKER_HOST } from '../wiring/stack.js';
import { freePort, productionEnv, type ProductionEnv } from './processes.js';
import { httpClients } from './test-client.js';

export const TEST_IMAGE = process.env.FUNC_TEST_IMAGE ?? 'func:local';

export const swarmDocker = (): Docker => new Docker({ socketPath: DEFAULT_DOCKER_HOST.slice('unix://'.length) });

/** Fails with what to run when the engine does not answer, is not a swarm manager, or lacks the image. */
export async function requireSwarm(docker: Docker, image = TEST_IMAGE): Promise<void> {
  const fix = 'run: bash scripts/prepare-docker.sh (installs docker.io, starts dockerd --bridge=none --iptables=false, docker swarm init, builds func:local)';
  const info = (await docker.info().catch((err: unknown) => {
    throw new Error(`The swarm suite needs a Docker engine at ${DEFAULT_DOCKER_HOST}, which does not answer (${String(err)}); ${fix}`);
  })) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } };
  if (info.Swarm?.LocalNodeState !== 'active' || !info.Swarm.ControlAvailable) {
    throw new Error(`The Docker engine is not a swarm manager (swarm state "${info.Swarm?.LocalNodeState ?? 'unknown'}"); ${fix}`);
  }
  await docker
    .getImage(image)
    .inspect()
    .catch(() => {
      throw new Error(`The image ${image} is not on the engine; build it: bash stack/build-image.sh`);
    });
}

/** `func stack …` of `stack` in this process with the test's environment, each run logged to `log`; answers the exit code and what it printed. */
export function stackRunner(stack: string, env: () => Record<string, string>, log: string[]): (...args: string[]) => Promise<{ code: number; out: string }> {
  return async (...args) => {
    const lines: string[] = [];
    const cmd = stackCommand({ env, out: (l) => lines.push(l), err: (l) => lines.push(l) });
    const code = await cmd.run([...args, '--stack', stack, '--timeout', '150']);
    log.push(`$ func stack ${args.join(' ')} → ${code}`, ...lines);
    return { code, out: lines.join('\n') };
  };
}

/** Removes what is left of a test stack's services (a test that failed half-way). */
export async function removeTestStack(docker: Docker, stack: string): Promise<void> {
  const left = await docker.listServices({ filters: { label: [`${LABEL.stack}=${stack}`] } }).catch(() => []);
  if (left.length > 0) await createStackManager({ dockerHost: DEFAULT_DOCKER_HOST, stack }, { pollMs: 500 }).remove(() => undefined);
}

export interface SwarmTestSetup {
  /** The test's own database (drop it after). */
  env: ProductionEnv;
  /** A folder holding topology.json (remove it after). */
  dir: string;
  /** What `func stack …` runs with: the database, the server on 127.0.0.1 at a free port, the local engine. */
  stackEnv: Record<string, string>;
}

/** Before a swarm suite: the engine ready (`requireSwarm`), its database, `topology` written to a new folder named after `dirPrefix`, and the stack's environment. */
export async function prepareSwarmTest(docker: Docker, image: string, dirPrefix: string, topology: unknown): Promise<SwarmTestSetup> {
  await requireSwarm(docker, image);
  const env = await productionEnv();
  try {
    const dir = mkdtempSync(join(tmpdir(), dirPrefix));
    writeFileSync(join(dir, 'topology.json'), JSON.stringify(topology));
    const stackEnv = {
      ...env.env,
      FUNC_HOST: '127.0.0.1',
      FUNC_PORT: String(await freePort()),
      FUNC_LOG_LEVEL: 'warn',
      FUNC_MEMORY_LIMIT_MB: '256',
      FUNC_DOCKER_HOST: DEFAULT_DOCKER_HOST,
    };
    return { env, dir, stackEnv };
  } catch (err) {
    await env.drop();
    throw err;
  }
}

/** After a swarm suite: `removeStack` (what it left on the engine), then, whatever that did, the database and folder `prepareSwarmTest` made. */
export async function finishSwarmTest(env: ProductionEnv | undefined, dir: string, removeStack: () => Promise<void>): Promise<void> {
  try {
    await removeStack();
  } finally {
    await env?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A swarm suite's state: what `prepareSwarmTest` made (once its beforeAll ran), the server's URL and
 * admin token once known, the typed client sending them, and `func stack …` for `stack` with its log.
 */
export class SwarmSuite {
  env: ProductionEnv | undefined;
  stackEnv: Record<string, string> = {};
  dir = '';
  base = '';
  token = '';
  readonly log: string[] = [];
  readonly client = httpClients(
    () => this.base,
    () => this.token,
  ).client;
  readonly func: (...args: string[]) => Promise<{ code: number; out: string }>;

  constructor(stack: string) {
    this.func = stackRunner(stack, () => this.stackEnv, this.log);
  }
}
