/** `func stack autoscale`: policies written to a real SQLite store, the unit checked against the (in-memory) stack. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type OpenedStore } from '../adapters/store/open-store.js';
import { StackManager } from '../domain/stack/stack-manager.js';
import { PRESETS } from '../domain/topology/topology.js';
import { FakeOrchestrator } from '../testing/fake-orchestrator.js';
import { stackCommand } from './stack-command.js';
import { UsageError } from './usage.js';

const ENV = { FUNC_REDIS_URL: 'redis://127.0.0.1:6379/0', FUNC_SECRET: 'a-secret-of-sixteen-chars', FUNC_STACK: 'st' };
let dir = '';
let store: OpenedStore;
let fake: FakeOrchestrator;
let out: string[] = [];
let err: string[] = [];

function run(...args: string[]): Promise<number> {
  out = [];
  err = [];
  const cmd = stackCommand({
    env: () => ({ ...ENV, FUNC_HOME: dir }),
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    manager: (_config, o) => new StackManager({ stack: o.stack, orchestrator: fake }),
    // The same store the test reads; closing is the test's.
    policies: () => Promise.resolve({ ops: store.autoscale, close: () => Promise.resolve() }),
    now: () => 1_000,
  });
  return cmd.run(args);
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'func-cli-autoscale-'));
  store = await openStore({ sqlitePath: join(dir, 'func.sqlite') });
  await store.migrate();
  fake = new FakeOrchestrator();
  await new StackManager({ stack: 'st', orchestrator: fake }).deploy(PRESETS.legacy!, { stack: 'st', image: 'func:1', env: {}, dataServices: false }, () => undefined);
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('func stack autoscale', () => {
  it('sets a policy on a deployed unit, shows, pauses, resumes and deletes it', async () => {
    expect(await run('autoscale', 'worker-1-6', '--min', '1', '--max', '6', '--target-wait', '2s')).toBe(0);
    expect(out[0]).toBe('worker-1-6: 1–6 replicas, wait p95 ≤ 2.0 s, cool-down 1.0 min, hysteresis 30 % — active');
    const first = { minReplicas: 1, maxReplicas: 6, target: { kind: 'wait', waitMs: 2000 }, cooldownMs: 60_000, hysteresis: 0.3 };
    expect((await store.autoscale.get('st', 'worker-1-6'))?.spec).toEqual(first);
    // A later change keeps what it does not name.
    expect(await run('autoscale', 'worker-1-6', '--target-load', '80%', '--cooldown', '90s')).toBe(0);
    expect((await store.autoscale.get('st', 'worker-1-6'))?.spec).toEqual({ ...first, target: { kind: 'load', utilization: 0.8 }, cooldownMs: 90_000 });
    expect(await run('autoscale', 'worker-1-6', '--off')).toBe(0);
    expect(out[0]).toMatch(/— paused$/);
    expect(await run('autoscale')).toBe(0);
    expect(out).toEqual(['worker-1-6: 1–6 replicas, load ≤ 80 % of capacity, cool-down 1.5 min, hysteresis 30 % — paused']);
    expect(await run('autoscale', 'worker-1-6', '--on')).toBe(0);
    expect((await store.autoscale.get('st', 'worker-1-6'))?.paused).toBe(false);
    expect(await run('autoscale', 'worker-1-6', '--delete')).toBe(0);
    expect(await store.autoscale.get('st', 'worker-1-6')).toBeUndefined();
  });

  it('refuses a unit that is not deployed, and --off without a policy', async () => {
    expect(await run('autoscale', 'worker-99', '--max', '3', '--target-wait', '1s')).toBe(1);
    expect(err.join('\n')).toMatch(/no unit worker-99 is deployed in stack st/);
    expect(await run('autoscale', 'worker-7', '--off')).toBe(1);
    expect(err.join('\n')).toMatch(/worker-7 has no autoscaling policy/);
    expect(await store.autoscale.list('st')).toEqual([]);
  });

  it('names the bad flag', async () => {
    const cases: [string[], RegExp][] = [
      [['autoscale', 'worker-7', '--min', '1', '--target-wait', '2s'], /--max is required/],
      [['autoscale', 'worker-7', '--max', '6'], /give a target/],
      [['autoscale', 'worker-7', '--max', '6', '--target-wait', 'soon'], /--target-wait: "soon" must be a duration/],
      [['autoscale', 'worker-7', '--max', '6', '--target-wait', '10ms'], /--target-wait: "10ms" must be from 100 ms/],
      [['autoscale', 'worker-7', '--max', '6', '--target-load', '120%'], /--target-load: "120%"/],
      [['autoscale', 'worker-7', '--min', '4', '--max', '2', '--target-wait', '1s'], /--min: 4 is more than --max 2/],
      [['autoscale', 'worker-7', '--max', '101', '--target-wait', '1s'], /--max: "101"/],
      [['autoscale', 'worker-7', '--off', '--on'], /one of --off, --on, --delete/],
      [['autoscale', 'worker-7', '--off', '--max', '3'], /--max cannot go with --off/],
      [['autoscale', '--off'], /name the unit/],
    ];
    for (const [args, message] of cases) await expect(run(...args), args.join(' ')).rejects.toThrow(message);
    await expect(run('autoscale', 'worker-7', '--max', '6')).rejects.toBeInstanceOf(UsageError);
  });
});
