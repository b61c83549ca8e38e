import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStartFailure } from './cli/start-failure.js';
import { main } from './cli.js';
import { requireRedis, TEST_REDIS_URL } from './adapters/broker/testing/redis-test-env.js';

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
    // Each role lists the variables it reads: worker, beat and migrate listen on no FUNC_HOST/FUNC_PORT.
    const helpOf = async (command: string): Promise<string> => {
      out.length = 0;
      expect(await main([command, '--help'])).toBe(0);
      return out.join('\n');
    };
    for (const command of ['worker', 'beat', 'migrate']) expect(await helpOf(command), command).not.toMatch(/FUNC_HOST|FUNC_PORT\b|FUNC_ADMIN_PASSWORD|FUNC_WORKER_PROCESSES/);
    expect(await helpOf('migrate')).not.toMatch(/FUNC_TOPOLOGY|FUNC_PYTHON|FUNC_REDIS_URL/);
    expect(await helpOf('beat')).not.toMatch(/FUNC_PYTHON|FUNC_MEMORY_LIMIT_MB/);
    expect(await helpOf('worker')).toMatch(/FUNC_REDIS_URL[\s\S]*FUNC_PYTHON[\s\S]*FUNC_METRICS_PORT/);
    for (const command of ['up', 'server']) expect(await helpOf(command), command).toMatch(/FUNC_HOST, FUNC_PORT/);
    // func up runs on SQLite or on the MySQL/MariaDB of FUNC_DB_URL.
    out.length = 0;
    expect(await main(['up', '--help'])).toBe(0);
    expect(out.join('\n')).not.toMatch(/on SQLite/);
    expect(out.join('\n')).toMatch(/migrates the store \(SQLite in FUNC_HOME, or the MySQL\/MariaDB\s+database of FUNC_DB_URL\)/);
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
    // An empty item is a queue left out, not nothing: refused with the list (it was skipped).
    for (const queues of ['1,,2', ',1']) {
      expect(await main(['worker', '--queues', queues])).toBe(2);
      expect(err.join('\n')).toMatch(new RegExp(`^func: --queues: "${queues}" has an empty item between its commas`));
      err.length = 0;
    }
    expect(await main(['stack', 'split', 'worker-1-6', '--queues', '5,,6', '--dry-run'])).toBe(2);
    expect(err.join('\n')).toMatch(/^func: --queues: "5,,6" has an empty item/);
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

  it('says the version, refuses help on what is not a command, and takes decimal numbers only', async () => {
    for (const flag of ['--version', '-v']) {
      expect(await main([flag])).toBe(0);
      expect(out.join('\n')).toMatch(/^\d+\.\d+\.\d+/);
      out.length = 0;
    }
    expect(await main(['help', 'frobnicate'])).toBe(2);
    expect(err.join('\n')).toMatch(/^func: no help on "frobnicate": it is not a command \(commands: up, server/);
    err.length = 0;
    // A negative number after the flag is its value (parseArgs called it ambiguous), refused by the flag's own check.
    for (const args of [['--concurrency', '-1'], ['--concurrency=-1']]) {
      expect(await main(['worker', '--queues', '1', ...args])).toBe(2);
      expect(err.join('\n')).toMatch(/^func: --concurrency: "-1" must be a whole number from 1 to 64/);
      err.length = 0;
    }
    expect(await main(['up', '--port', '-80'])).toBe(2);
    expect(err.join('\n')).toMatch(/^func: --port: "-80" is not a port number \(0-65535\)/);
    err.length = 0;
    for (const n of ['0x10', '1e1', ' 5']) {
      expect(await main(['worker', '--queues', '1', '--concurrency', n])).toBe(2);
      expect(err.join('\n')).toMatch(/--concurrency: ".*" must be a whole number from 1 to 64/);
      err.length = 0;
    }
  });

  it('refuses a flag given twice and an empty --home or --host, which would otherwise keep the last or mean the default', async () => {
    expect(await main(['up', '--port', '8088', '--port=9000'])).toBe(2);
    expect(err.join('\n')).toMatch(/^func: --port is given 2 times \(--port 8088, --port 9000\): give it once/);
    err.length = 0;
    expect(await main(['worker', '--queues', '1', '--queues', '2'])).toBe(2);
    expect(err.join('\n')).toMatch(/^func: --queues is given 2 times/);
    err.length = 0;
    expect(await main(['stack', 'scale', 'worker-1=2', '--dry-run', '--dry-run'])).toBe(2);
    expect(err.join('\n')).toMatch(/--dry-run is given 2 times/);
    err.length = 0;
    for (const [command, flag, what] of [
      ['up', '--home', "a folder for Func's data"],
      ['up', '--host', 'an address to listen on'],
      ['server', '--host', 'an address to listen on'],
    ] as const) {
      expect(await main([command, flag, ''])).toBe(2);
      expect(err.join('\n')).toContain(`func: ${flag}: the value is empty; give ${what}`);
      err.length = 0;
    }
    // Nothing started, and nothing was made under ./data (the default an empty --home used to mean).
    expect(out).toEqual([]);
  });

  it('warns of a FUNC_ variable that looks like a misspelt setting, and checks the Redis URL before starting', async () => {
    vi.stubEnv('FUNC_REDIS_URL', '');
    vi.stubEnv('FUNC_REDIS_ULR', 'redis://127.0.0.1:6379/0');
    vi.stubEnv('FUNC_TEST_SOMETHING_ELSE', 'x');
    expect(await main(['beat'])).toBe(2);
    expect(err[0]).toBe('func: FUNC_REDIS_ULR is not a setting and is ignored (did you mean FUNC_REDIS_URL?)');
    expect(err.join('\n')).toMatch(/FUNC_REDIS_URL is required/);
    expect(err.join('\n')).not.toMatch(/FUNC_TEST_SOMETHING_ELSE/);
    vi.unstubAllEnvs();
    err.length = 0;
    vi.stubEnv('FUNC_REDIS_URL', 'redis://127.0.0.1:6379/zero');
    expect(await main(['beat'])).toBe(2);
    expect(err.join('\n')).toMatch(/FUNC_REDIS_URL must name its database by number/);
    vi.unstubAllEnvs();
    err.length = 0;
    // Redis answers, but has no such database: refused before anything starts (ioredis went on in database 0).
    await requireRedis();
    vi.stubEnv('FUNC_REDIS_URL', `${TEST_REDIS_URL.replace(/\/\d*$/, '')}/99`);
    expect(await main(['beat'])).toBe(2);
    expect(err.join('\n')).toMatch(/^func: Invalid configuration: FUNC_REDIS_URL — Redis at .+ has no database 99 \(ERR DB index is out of range\)$/);
    vi.unstubAllEnvs();
  });

  it("a home under /proc fails at once instead of hanging (Node 20's recursive mkdir loops there)", async () => {
    vi.stubEnv('FUNC_DB_URL', '');
    vi.stubEnv('FUNC_HOME', '/proc/func-nope/home');
    expect(await main(['migrate'])).toBe(1);
    expect(err.join('\n')).toMatch(/^func: ENOENT: .*mkdir '\/proc\/func-nope' \(check FUNC_HOME \(--home\)/);
    vi.unstubAllEnvs();
  }, 10_000);

  it('stack compose refuses an empty image or file name and a bad FUNC_STACK', async () => {
    expect(await main(['stack', 'compose', '--image', ''])).toBe(2);
    expect(err.join('\n')).toMatch(/--image: "" is not an image name/);
    err.length = 0;
    expect(await main(['stack', 'compose', '--image', 'has space'])).toBe(2);
    err.length = 0;
    expect(await main(['stack', 'compose', '--out', ''])).toBe(2);
    expect(err.join('\n')).toMatch(/--out: give a file name/);
    err.length = 0;
    vi.stubEnv('FUNC_STACK', 'BAD NAME');
    expect(await main(['stack', 'compose'])).toBe(2);
    expect(err.join('\n')).toMatch(/FUNC_STACK must be 1-31 lowercase letters/);
    vi.unstubAllEnvs();
    err.length = 0;
    expect(await main(['stack', 'compose', '--image', 'registry.local:5000/func:1.0'])).toBe(0);
    expect(out.join('\n')).toMatch(/image: registry\.local:5000\/func:1\.0/);
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
    // A wrapper that repeats its cause's text: the cause's hint goes on the line that shows it.
    const notStarted = new Error('the Python runner process could not be started before it was ready:\nspawn /nope/python ENOENT', { cause: spawn });
    expect(describeStartFailure(notStarted, false)).toBe(
      'the Python runner process could not be started before it was ready:\nspawn /nope/python ENOENT (check FUNC_PYTHON (an absolute path to python3))',
    );
    const refused = new AggregateError([new Error('connect ECONNREFUSED 127.0.0.1:1'), new Error('connect ECONNREFUSED ::1:1')], '');
    const wrapped = new Error('cannot connect to MySQL at root@127.0.0.1:1/x', { cause: refused });
    expect(describeStartFailure(wrapped, false)).toBe(
      'cannot connect to MySQL at root@127.0.0.1:1/x\n  because: connect ECONNREFUSED 127.0.0.1:1\n  because: connect ECONNREFUSED ::1:1',
    );
    expect(describeStartFailure(wrapped, true)).toMatch(/\n\s+at /);
  });
});
