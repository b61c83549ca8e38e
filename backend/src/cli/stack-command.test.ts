import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StackManager } from '../domain/stack/stack-manager.js';
import { FakeOrchestrator } from '../testing/fake-orchestrator.js';
import { parseCpus, parseMemory, parseQueue, parseReplicas, servicesEnv } from './stack-args.js';
import { stackCommand, topologyEnvValue } from './stack-command.js';
import { UsageError } from './usage.js';
import { PRESETS } from '../domain/topology/topology.js';

const ENV = {
  FUNC_REDIS_URL: 'redis://127.0.0.1:6379/0',
  FUNC_DB_URL: 'mysql://root@127.0.0.1:3306/f',
  FUNC_SECRET: 'a-secret-of-sixteen-chars',
  FUNC_HOME: '/home/me/data',
  FUNC_DOCKER_HOST: 'unix:///x.sock',
  FUNC_LOG_LEVEL: 'warn',
};

function harness(env: Record<string, string> = ENV): { run(...args: string[]): Promise<number>; out: string[]; err: string[]; fake: FakeOrchestrator; files: Map<string, string> } {
  const out: string[] = [];
  const err: string[] = [];
  const fake = new FakeOrchestrator();
  const files = new Map<string, string>();
  const cmd = stackCommand({
    env: () => env,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    manager: (_config, o) => new StackManager({ stack: o.stack, orchestrator: fake }),
    writeFile: (p, t) => files.set(p, t),
  });
  return { run: (...args) => cmd.run(args), out, err, fake, files };
}

describe('func stack: the command line', () => {
  it('names the bad flag or argument', async () => {
    const h = harness();
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /unknown stack subcommand "frobnicate"/],
      [['scale'], /missing arguments/],
      [['scale', 'worker-1'], /UNIT=REPLICAS/],
      [['scale', 'worker-1=101'], /at most 100/],
      // A unit with a bad count names the argument and the problem, not the form alone.
      [['scale', 'w=-1'], /^scale: w=-1: the replicas must be a whole number 0 or more$/],
      [['scale', 'w=1.5'], /^scale: w=1\.5: the replicas must be a whole number 0 or more$/],
      [['scale', 'w='], /^scale: w=: the replicas must be a whole number 0 or more$/],
      [['scale', '=3'], /^scale: "=3": write UNIT=REPLICAS/],
      [['limit', 'worker-1'], /at least one of --cpus/],
      [['limit', 'worker-1', '--memory', '12Q'], /--memory: "12Q"/],
      [['limit', 'worker-1', '--memory', '32M'], /--memory: "32M" is under the minimum/],
      [['limit', 'worker-1', '--cpus', 'lots'], /--cpus: "lots"/],
      [['limit', 'worker-1', '--reserve-cpus', '0'], /--reserve-cpus: "0"/],
      [['split', 'worker-1'], /--queues is required/],
      [['split', 'worker-1', '--queues', '99'], /--queues: "99"/],
      [['split', 'worker-1', '--queues', '1', '--name', 'Bad Name'], /--name: "Bad Name"/],
      [['merge', 'worker-1'], /missing arguments/],
      [['move', 'x', '--from', 'worker-1'], /queue "x"/],
      [['move', '6'], /--from is required/],
      [['deploy', '--preset', 'nope'], /--preset: "nope" is not one of standalone, attached, legacy/],
      [['deploy', '--preset', 'legacy', '--topology', 'x.json'], /--preset or --topology, not both/],
      [['deploy', '--topology', '/no/such/file.json'], /--topology: there is no file/],
      [['deploy', '--processes', '0'], /--processes: "0"/],
      [['status', '--timeout', '0'], /--timeout: "0"/],
      [['status', '--stack', 'Bad'], /--stack: "Bad"/],
      [['status', '--bogus'], /--bogus/],
      [['rm', 'extra'], /unexpected argument "extra"/],
    ];
    for (const [args, message] of cases) {
      const error = await h.run(...args).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, args.join(' ')).toBeInstanceOf(UsageError);
      expect((error as Error).message, args.join(' ')).toMatch(message);
    }
  });

  it('parses replicas, CPUs, memory sizes and queues', () => {
    expect(parseReplicas('worker-1-6=3')).toEqual({ unit: 'worker-1-6', replicas: 3 });
    expect(parseCpus('--cpus', '0.5')).toBe(0.5);
    expect(parseCpus('--cpus', 'none')).toBeNull();
    expect(parseMemory('--memory', '512M')).toBe(512);
    expect(parseMemory('--memory', '1.5G')).toBe(1536);
    expect(parseMemory('--memory', '256')).toBe(256);
    expect(parseMemory('--memory', 'none')).toBeNull();
    expect(parseMemory('--memory', '1024G')).toBe(1_048_576);
    // Refused here, naming the flag, rather than by the plan after the engine was asked.
    expect(() => parseMemory('--memory', '99999999G')).toThrow('--memory: "99999999G" is over the maximum of 1024G');
    expect(() => parseMemory('--reserve-memory', '32M')).toThrow('--reserve-memory: "32M" is under the minimum of 64M');
    expect(parseQueue('#6')).toBe(6);
  });

  it('hands the services the FUNC_* variables of this shell, not the machine-local ones', () => {
    expect(servicesEnv({ ...ENV, PATH: '/bin', FUNC_STACK: 's', FUNC_PYTHON: '/p', FUNC_TOPOLOGY: 'legacy', FUNC_PORT: '' })).toEqual({
      FUNC_DB_URL: ENV.FUNC_DB_URL,
      FUNC_HOST: '127.0.0.1',
      FUNC_LOG_LEVEL: 'warn',
      FUNC_REDIS_URL: ENV.FUNC_REDIS_URL,
      FUNC_SECRET: ENV.FUNC_SECRET,
    });
    // Loopback unless the operator says otherwise (the image alone would listen on 0.0.0.0).
    expect(servicesEnv({ ...ENV, FUNC_HOST: '0.0.0.0' }).FUNC_HOST).toBe('0.0.0.0');
    expect(topologyEnvValue(structuredClone(PRESETS.legacy!))).toBe('legacy');
    const custom = { ...structuredClone(PRESETS.legacy!), units: PRESETS.legacy!.units.map((u) => ({ ...u, processes: 1 })) };
    expect(JSON.parse(topologyEnvValue(custom))).toEqual(custom);
  });

  it('refuses to deploy without the shared settings, naming each', async () => {
    const h = harness({ FUNC_REDIS_URL: 'redis://127.0.0.1:6379/0' });
    expect(await h.run('deploy')).toBe(1);
    expect(h.err.join('\n')).toMatch(/change refused:\n {2}- FUNC_DB_URL is not set.*\n {2}- FUNC_SECRET is not set/);
    expect(h.fake.calls).toEqual([]);
  });

  it('deploys, shows the status, scales, limits, splits, merges and removes, with progress', async () => {
    const h = harness();
    expect(await h.run('deploy', '--preset', 'legacy', '--processes', '1', '--image', 'func:test')).toBe(0);
    expect(h.out.join('\n')).toMatch(/Deploy legacy as stack func on fake:\/\/swarm/);
    expect(h.out.join('\n')).toMatch(/worker-1-6: 1\/1 running/);
    const server = h.fake.services.get('func/server')!;
    expect(server.image).toBe('func:test');
    expect(server.env).toMatchObject({ FUNC_SECRET: ENV.FUNC_SECRET, FUNC_LOG_LEVEL: 'warn' });
    expect(server.env.FUNC_HOME).toBeUndefined();
    expect(server.env.FUNC_DOCKER_HOST).toBeUndefined();
    expect(JSON.parse(server.env.FUNC_TOPOLOGY!)).toMatchObject({ name: 'legacy', units: [{ name: 'worker-0', processes: 1 }, {}, {}, {}] });
    expect(h.fake.services.get('func/worker-1-6')!.args).toEqual(['worker', '--queues', '1,2,3,4,5,6', '--concurrency', '1', '--name', 'worker-1-6']);

    h.out.length = 0;
    expect(await h.run('status')).toBe(0);
    expect(h.out.join('\n')).toMatch(/worker-1-6 +worker +#1,#2,#3,#4,#5,#6 +1 +1\/1/);

    expect(await h.run('scale', 'beat=2')).toBe(1);
    expect(h.err.join('\n')).toMatch(/change refused:\n {2}- beat must run exactly 1 replica/);

    expect(await h.run('scale', 'worker-7=3', 'worker-0=2')).toBe(0);
    expect(h.fake.services.get('func/worker-7')!.replicas).toBe(3);
    expect(h.fake.services.get('func/worker-0')!.replicas).toBe(2);

    expect(await h.run('limit', 'worker-7', '--memory', '512M', '--cpus', '0.5')).toBe(0);
    expect(h.fake.services.get('func/worker-7')!.limits).toEqual({ cpus: 0.5, memoryMb: 512 });
    expect(await h.run('limit', 'worker-7', '--cpus', 'none')).toBe(0);
    expect(h.fake.services.get('func/worker-7')!.limits).toEqual({ memoryMb: 512 });

    h.out.length = 0;
    const before = h.fake.calls.length;
    expect(await h.run('split', 'worker-1-6', '--queues', '6', '--dry-run')).toBe(0);
    expect(h.out.join('\n')).toMatch(/Split #6 out of worker-1-6 into worker-6; the rest becomes worker-1-5\n {2}1\. Create worker-1-5/);
    expect(h.fake.calls.length).toBe(before);
    expect(await h.run('split', 'worker-1-6', '--queues', '6')).toBe(0);
    expect([...h.fake.services.keys()]).toEqual(expect.arrayContaining(['func/worker-1-5', 'func/worker-6']) as unknown);
    expect(h.fake.services.has('func/worker-1-6')).toBe(false);
    expect(await h.run('move', '#5', '--from', 'worker-1-5', '--to', 'worker-6')).toBe(0);
    expect(h.fake.services.get('func/worker-1-4')!.labels['func.queues']).toBe('1,2,3,4');
    expect(await h.run('merge', 'worker-1-4', 'worker-6', '--name', 'worker-1-6')).toBe(0);
    expect(h.fake.services.get('func/worker-1-6')!.labels['func.queues']).toBe('1,2,3,4,5,6');

    h.out.length = 0;
    expect(await h.run('rm')).toBe(0);
    expect(h.fake.services.size).toBe(0);
    expect(h.out.join('\n')).toMatch(/Removed 6 service\(s\)/);
  });

  it('reports a swarm that does not converge, and a stack that is not deployed', async () => {
    const h = harness();
    expect(await h.run('scale', 'worker-0=2')).toBe(1);
    expect(h.err.join('\n')).toMatch(/no stack "func" is deployed on fake:\/\/swarm/);
    await h.run('deploy', '--stack', 'other');
    h.fake.failing.set('worker-2', 'worker-2 does not start: no such image');
    h.err.length = 0;
    expect(await h.run('scale', 'worker-2=2', '--stack', 'other')).toBe(1);
    expect(h.err.join('\n')).toMatch(/func: worker-2 does not start: no such image/);
  });

  it('writes the committed stack/docker-stack.yaml with its defaults', async () => {
    const h = harness({});
    expect(await h.run('compose', '--out', 'x.yaml')).toBe(0);
    expect(h.files.get('x.yaml')).toBe(readFileSync(new URL('../../../stack/docker-stack.yaml', import.meta.url), 'utf8'));
  });
});
