import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './cli.js';

const out: string[] = [];
const err: string[] = [];
vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
afterEach(() => {
  out.length = 0;
  err.length = 0;
});

describe('func CLI', () => {
  it('lists the commands and has --help for each', async () => {
    expect(await main(['--help'])).toBe(0);
    expect(out.join('\n')).toMatch(/up .*one process/);
    for (const c of ['up', 'server', 'worker', 'beat', 'migrate', 'stack', 'version']) {
      out.length = 0;
      expect(await main([c, '--help'])).toBe(0);
      expect(out.join('\n')).toMatch(new RegExp(`func ${c}`));
    }
  });

  it('names the bad flag, the bad variable or the unknown command', async () => {
    expect(await main(['up', '--port', 'eighty'])).toBe(2);
    expect(err.join('\n')).toMatch(/--port/);
    err.length = 0;
    expect(await main(['up', '--bogus'])).toBe(2);
    expect(err.join('\n')).toMatch(/--bogus/);
    err.length = 0;
    expect(await main(['frobnicate'])).toBe(2);
    expect(err.join('\n')).toMatch(/unknown command "frobnicate"/);
    err.length = 0;
    expect(await main(['worker'])).toBe(2);
    expect(err.join('\n')).toMatch(/--queues is required/);
    err.length = 0;
    expect(await main(['worker', '--queues', '1,99'])).toBe(2);
    expect(err.join('\n')).toMatch(/--queues: "99"/);
    err.length = 0;
    expect(await main(['worker', '--queues', '1', '--concurrency', '0'])).toBe(2);
    expect(err.join('\n')).toMatch(/--concurrency/);
    err.length = 0;
    vi.stubEnv('FUNC_REDIS_URL', '');
    expect(await main(['beat'])).toBe(2);
    expect(err.join('\n')).toMatch(/FUNC_REDIS_URL/);
    vi.unstubAllEnvs();
    err.length = 0;
    expect(await main(['stack', 'scale', 'worker-1'])).toBe(2);
    expect(err.join('\n')).toMatch(/UNIT=REPLICAS/);
    err.length = 0;
    expect(await main(['stack', 'limit', 'worker-1', '--memory', 'lots'])).toBe(2);
    expect(err.join('\n')).toMatch(/--memory: "lots"/);
    err.length = 0;
    vi.stubEnv('FUNC_PORT', 'nope');
    expect(await main(['migrate'])).toBe(2);
    expect(err.join('\n')).toMatch(/FUNC_PORT/);
    vi.unstubAllEnvs();
  });
});
