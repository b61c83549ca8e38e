import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStartFailure } from './cli/start-failure.js';
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
    // Out of range: the flag is named, not FUNC_PORT (which it overrides).
    for (const command of ['up', 'server']) {
      expect(await main([command, '--port', '99999'])).toBe(2);
      expect(err.join('\n')).toMatch(/^func: --port: "99999" is not a port number \(0-65535\)/);
      err.length = 0;
    }
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

  it('a failure after the settings were accepted is its causes in a line each, with the setting to check, and no stack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'func-cli-'));
    try {
      const file = join(dir, 'a-file');
      writeFileSync(file, 'not a folder');
      vi.stubEnv('FUNC_HOME', file);
      vi.stubEnv('FUNC_DB_URL', '');
      expect(await main(['migrate'])).toBe(1);
      const text = err.join('\n');
      expect(text).toMatch(/^func: .*a-file.*\(check FUNC_HOME \(--home\)/);
      expect(text).not.toMatch(/\n\s+at /);
    } finally {
      vi.unstubAllEnvs();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('describes a failure by its chain of causes, each once, with a hint for listen and spawn errors', () => {
    const listen = Object.assign(new Error('listen EADDRNOTAVAIL: address not available 203.0.113.5:18408'), { code: 'EADDRNOTAVAIL', syscall: 'listen' });
    expect(describeStartFailure(listen, false)).toBe('listen EADDRNOTAVAIL: address not available 203.0.113.5:18408 (check FUNC_HOST / FUNC_PORT (--host / --port))');
    const spawn = Object.assign(new Error('spawn /nope/python ENOENT'), { code: 'ENOENT', syscall: 'spawn /nope/python' });
    expect(describeStartFailure(spawn, false)).toMatch(/\(check FUNC_PYTHON/);
    const refused = new AggregateError([new Error('connect ECONNREFUSED 127.0.0.1:1'), new Error('connect ECONNREFUSED ::1:1')], '');
    const wrapped = new Error('cannot connect to MySQL at root@127.0.0.1:1/x', { cause: refused });
    expect(describeStartFailure(wrapped, false)).toBe(
      'cannot connect to MySQL at root@127.0.0.1:1/x\n  because: connect ECONNREFUSED 127.0.0.1:1\n  because: connect ECONNREFUSED ::1:1',
    );
    expect(describeStartFailure(wrapped, true)).toMatch(/\n\s+at /);
  });
});
