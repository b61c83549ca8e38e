/**
 * `func stack …` run as a process: each subcommand's --help (its usage and its own options), an
 * unknown option named with the subcommand's options, and the dry runs of deploy and rm against
 * the real swarm of this machine: they print the plan and change nothing (one service of a test
 * stack, created here with no replica, stands for a deployed stack).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL } from '../src/domain/stack/stack-spec.js';
import { roleCommand } from '../src/testing/processes.js';
import { requireSwarm, swarmDocker, TEST_IMAGE } from '../src/testing/swarm-harness.js';

const STACK = `functestdry${randomBytes(3).toString('hex')}`;
const ENV = {
  FUNC_REDIS_URL: 'redis://127.0.0.1:6379/0',
  FUNC_DB_URL: 'mysql://root@127.0.0.1:3306/func_dry_run',
  FUNC_SECRET: 'a-secret-of-sixteen-chars',
  FUNC_LOG_LEVEL: 'warn',
};

/** `func stack …` in its own process: exit code, stdout, stderr. */
function stack(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const [cmd, argv] = roleCommand(['stack', ...args]);
  return new Promise((resolve) => {
    execFile(cmd, argv, { env: { ...process.env, ...ENV }, timeout: 60_000 }, (error, out, err) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out, err });
    });
  });
}

const docker = swarmDocker();
const servicesOf = async (): Promise<{ name: string; version: number }[]> =>
  (await docker.listServices({ filters: { label: [`${LABEL.stack}=${STACK}`] } })).map((s) => ({ name: s.Spec?.Name ?? s.ID, version: s.Version?.Index ?? 0 }));

describe('func stack SUBCOMMAND --help', () => {
  it("prints the subcommand's usage and each of its own options", async () => {
    const cases: [string, RegExp[]][] = [
      [
        'limit',
        [/^func stack limit UNIT /, /^ {2}--reserve-cpus N\|none +CPU cores the swarm reserves/m, /^ {2}--memory SIZE\|none +memory each replica may use/m, /^ {2}--dry-run +/m],
      ],
      ['autoscale', [/^func stack autoscale /, /^ {2}--target-load FRACTION +keep the load under/m, /^ {2}--cooldown DURATION /m, /^ {2}--json +/m]],
      ['compose', [/^func stack compose /, /^ {2}--out FILE +write the file there/m]],
      [
        'deploy',
        [
          /^func stack deploy .*\[--dry-run\]$/m,
          /^ {2}--dry-run +print what would be created, updated and removed/m,
          /^ {2}--preset NAME +a preset topology: standalone, attached, legacy/m,
        ],
      ],
      ['rm', [/^func stack rm \[--dry-run\]$/m, /^ {2}--dry-run +print the services that would be removed/m, /^ {2}--timeout S /m]],
      ['status', [/^func stack status \[--json\]$/m, /^ {2}--json +print the status as JSON/m]],
    ];
    const runs = await Promise.all(cases.map(([sub]) => stack(sub, '--help')));
    for (const [i, [sub, patterns]] of cases.entries()) {
      const r = runs[i]!;
      expect(r.code, r.err).toBe(0);
      for (const p of patterns) expect(r.out, sub).toMatch(p);
      // Not the generic help with every subcommand.
      expect(r.out, sub).not.toMatch(/Subcommands:/);
    }
    // status takes no --dry-run and has nothing to wait for: neither is listed.
    expect(runs[cases.findIndex(([sub]) => sub === 'status')]!.out).not.toMatch(/--dry-run|--timeout/);
  }, 120_000);

  it('says which subcommands take --dry-run and --timeout', async () => {
    const r = await stack('--help');
    expect(r.out).toMatch(
      /^Options of every subcommand:\n {2}--stack NAME .*\nOptions of deploy, scale, limit, split, merge, move, rm:\n {2}--timeout S .*\n {2}--dry-run +print the plan/m,
    );
  });

  it("names an unknown option with the subcommand's options, as the top level does", async () => {
    const r = await stack('deploy', '--nope');
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'func: Unknown option \'--nope\' (the options of func stack deploy: --stack, --timeout, --dry-run, --preset, --topology, --image, --processes, --help)\nRun "func --help" for usage.\n',
    );
    const s = await stack('status', '--dry-run');
    expect(s.code).toBe(2);
    expect(s.err).toMatch(/^func: Unknown option '--dry-run' \(the options of func stack status: --stack, --timeout, --json, --help\)\n/);
    expect(s.err).not.toMatch(/positional/);
  }, 60_000);
});

describe('func stack deploy --dry-run and rm --dry-run on the swarm', () => {
  beforeAll(async () => {
    await requireSwarm(docker);
  }, 30_000);
  afterAll(async () => {
    for (const s of await servicesOf()) await docker.getService(s.name).remove();
  });

  it('deploy --dry-run prints the services it would create and creates none', async () => {
    const r = await stack('deploy', '--dry-run', '--preset', 'legacy', '--stack', STACK);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(new RegExp(`^Deploy legacy as stack ${STACK} on unix://`));
    expect(r.out).toMatch(/^ {2}1\. Create server$/m);
    expect(r.out).toMatch(/^ {2}\d+\. Create worker-1-6: 1 × 5 processes on #1, #2, #3, #4, #5, #6$/m);
    expect(r.out).toMatch(/^ {2}\d+\. Create beat$/m);
    expect(r.out).toMatch(/Dry run: nothing was changed\.\n$/);
    expect(await servicesOf()).toEqual([]);
  }, 60_000);

  it('deploy --dry-run and rm --dry-run against a deployed service change nothing', async () => {
    // A server service of the stack with no replica (nothing runs): what a deployed stack shows the CLI.
    await docker.createService({
      Name: `${STACK}_server`,
      Labels: { [LABEL.stack]: STACK, [LABEL.role]: 'server' },
      TaskTemplate: { ContainerSpec: { Image: TEST_IMAGE, Args: ['server', '--port', '1'] } },
      Mode: { Replicated: { Replicas: 0 } },
    });
    const before = await servicesOf();
    expect(before.map((s) => s.name)).toEqual([`${STACK}_server`]);

    const deploy = await stack('deploy', '--dry-run', '--preset', 'legacy', '--image', TEST_IMAGE, '--stack', STACK);
    expect(deploy.code, deploy.err).toBe(0);
    expect(deploy.out).toMatch(/^ {2}\d+\. Update server: command server --port 1 → server/m);
    expect(deploy.out).not.toMatch(/Create server/);

    const rm = await stack('rm', '--dry-run', '--stack', STACK);
    expect(rm.code, rm.err).toBe(0);
    expect(rm.out).toBe(`Remove stack ${STACK} on unix:///var/run/docker.sock: 1 service(s)\n  1. Remove server\nDry run: nothing was changed.\n`);
    // The same service, never updated.
    expect(await servicesOf()).toEqual(before);
  }, 60_000);
});
