import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { misspeltVariables, parseConfig, type ConfigSystem } from './config.js';

describe('parseConfig', () => {
  it('has the documented defaults', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8088, topology: 'standalone', dbUrl: undefined, redisUrl: undefined, replyHost: '127.0.0.1' });
    expect(parseConfig({ FUNC_REPLY_HOST: 'off' }).replyHost).toBeUndefined();
    expect(parseConfig({ FUNC_REPLY_HOST: '::1' }).replyHost).toBe('::1');
    expect(parseConfig({}).syncHandOff).toBe(true);
    expect(parseConfig({ FUNC_SYNC_HANDOFF: 'off' }).syncHandOff).toBe(false);
    expect(c.runnerForkServer).toBe(true);
    expect(parseConfig({ FUNC_RUNNER_FORK_SERVER: 'false' }).runnerForkServer).toBe(false);
    expect(parseConfig({ FUNC_RUNNER_FORK_SERVER: '0' }).runnerForkServer).toBe(false);
    expect(c.home.endsWith('/data')).toBe(true);
    expect(c.requestTimeoutMs).toBe(300_000);
    expect(parseConfig({ FUNC_REQUEST_TIMEOUT_S: '30' }).requestTimeoutMs).toBe(30_000);
    expect(() => parseConfig({ FUNC_REQUEST_TIMEOUT_S: '0' })).toThrow(/FUNC_REQUEST_TIMEOUT_S/);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('FUNC_METRICS_TOKEN: none by default, 16-256 printable characters; FUNC_OPENAPI_PUBLIC: false by default', () => {
    expect(parseConfig({})).toMatchObject({ metricsToken: undefined, openApiPublic: false });
    expect(parseConfig({ FUNC_METRICS_TOKEN: 'abcdefghijklmnop' }).metricsToken).toBe('abcdefghijklmnop');
    expect(() => parseConfig({ FUNC_METRICS_TOKEN: 'short' })).toThrow(/FUNC_METRICS_TOKEN must be 16-256 printable characters/);
    expect(() => parseConfig({ FUNC_METRICS_TOKEN: 'has a space in it here' })).toThrow(/FUNC_METRICS_TOKEN/);
    expect(parseConfig({ FUNC_OPENAPI_PUBLIC: 'true' }).openApiPublic).toBe(true);
    expect(parseConfig({ FUNC_OPENAPI_PUBLIC: '0' }).openApiPublic).toBe(false);
    expect(() => parseConfig({ FUNC_OPENAPI_PUBLIC: 'yes' })).toThrow(/FUNC_OPENAPI_PUBLIC/);
  });

  it('FUNC_METRICS_PORT: no listener by default, 0 for any free port; FUNC_METRICS_HOST: loopback by default', () => {
    expect(parseConfig({})).toMatchObject({ metricsPort: undefined, metricsHost: '127.0.0.1' });
    expect(parseConfig({ FUNC_METRICS_PORT: '0' }).metricsPort).toBe(0);
    expect(parseConfig({ FUNC_METRICS_PORT: '9464', FUNC_METRICS_HOST: '0.0.0.0' })).toMatchObject({ metricsPort: 9464, metricsHost: '0.0.0.0' });
    expect(() => parseConfig({ FUNC_METRICS_PORT: '70000' })).toThrow(/FUNC_METRICS_PORT/);
    expect(() => parseConfig({ FUNC_METRICS_PORT: 'http' })).toThrow(/FUNC_METRICS_PORT/);
  });

  it('stops on a bad value, naming the variable', () => {
    expect(() => parseConfig({ FUNC_PORT: 'eighty' })).toThrow(/FUNC_PORT/);
    expect(() => parseConfig({ FUNC_DB_URL: 'postgres://x' })).toThrow(/FUNC_DB_URL/);
    expect(() => parseConfig({ FUNC_ADMIN_PASSWORD: 'short' })).toThrow(/FUNC_ADMIN_PASSWORD/);
    expect(() => parseConfig({ FUNC_CORS_ORIGINS: 'console.example.com' })).toThrow(/FUNC_CORS_ORIGINS/);
    expect(() => parseConfig({ FUNC_REPLY_HOST: 'tcp://10.0.0.5:9' })).toThrow(/FUNC_REPLY_HOST/);
    expect(() => parseConfig({ FUNC_REPLY_HOST: '0.0.0.0' })).toThrow(/FUNC_REPLY_HOST must be a loopback address/);
    expect(() => parseConfig({ FUNC_SYNC_HANDOFF: 'yes' })).toThrow(/FUNC_SYNC_HANDOFF/);
    expect(() => parseConfig({ FUNC_RUNNER_FORK_SERVER: 'off' })).toThrow(/FUNC_RUNNER_FORK_SERVER/);
    expect(() => parseConfig({ FUNC_CORS_ORIGINS: 'https://a.example.com/path' })).toThrow(/FUNC_CORS_ORIGINS/);
  });

  it('says what a bad number or URL was, and refuses values that would only fail later', () => {
    for (const [name, value] of [
      ['FUNC_PORT', 'abc'],
      ['FUNC_MEMORY_LIMIT_MB', '512M'],
      ['FUNC_STOP_GRACE_S', '10s'],
      ['FUNC_WORKER_PROCESSES', 'Infinity'],
      // Forms Number() would take: hexadecimal, an exponent, padding, a sign Func does not write.
      ['FUNC_PORT', '0x10'],
      ['FUNC_WORKER_PROCESSES', '1e1'],
      ['FUNC_MEMORY_LIMIT_MB', ' 512'],
      ['FUNC_VISIBILITY_TIMEOUT_S', '30 '],
      ['FUNC_STOP_GRACE_S', '+2'],
      ['FUNC_BODY_LIMIT_MB', '.5'],
      ['FUNC_UPLOAD_LIMIT_MB', '0b11'],
    ]) {
      const escaped = JSON.stringify(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      expect(() => parseConfig({ [name!]: value }), `${name}=${value}`).toThrow(new RegExp(`^Invalid configuration: ${name} must be .* in decimal digits, got ${escaped}$`));
    }
    // Decimal digits, with a fraction where the setting has one, still parse; a negative number says what the range is.
    expect(parseConfig({ FUNC_PORT: '8090', FUNC_STOP_GRACE_S: '2.5', FUNC_BODY_LIMIT_MB: '0.5', FUNC_WORKER_PROCESSES: '16' })).toMatchObject({
      port: 8090,
      stopGraceMs: 2500,
      bodyLimitBytes: 524288,
      workerProcesses: 16,
    });
    expect(() => parseConfig({ FUNC_WORKER_PROCESSES: '2.5' })).toThrow(/FUNC_WORKER_PROCESSES/);
    expect(() => parseConfig({ FUNC_STOP_GRACE_S: '-1' })).toThrow('FUNC_STOP_GRACE_S must be a number of seconds from 0 to 3600, got "-1"');
    // Accepted by the scheme check, then a stack trace from the MySQL or Redis client, or from Fastify.
    expect(() => parseConfig({ FUNC_DB_URL: 'mysql://' })).toThrow(/FUNC_DB_URL .*naming one database/);
    expect(() => parseConfig({ FUNC_DB_URL: 'mysql://root@127.0.0.1:3306/' })).toThrow(/FUNC_DB_URL .*naming one database/);
    expect(() => parseConfig({ FUNC_DB_URL: 'mysql://root@127.0.0.1:99999/db' })).toThrow(/FUNC_DB_URL .*port from 0 to 65535/);
    expect(() => parseConfig({ FUNC_REDIS_URL: 'redis://127.0.0.1:99999/0' })).toThrow(/FUNC_REDIS_URL .*port from 0 to 65535/);
    expect(() => parseConfig({ FUNC_BODY_LIMIT_MB: '0.000000001' })).toThrow(/FUNC_BODY_LIMIT_MB .*at least 1 KB/);
    expect(() => parseConfig({ FUNC_UPLOAD_LIMIT_MB: '0.0000001' })).toThrow(/FUNC_UPLOAD_LIMIT_MB .*at least 1 KB/);
    expect(parseConfig({ FUNC_DB_URL: 'mysql://root:pw@127.0.0.1:3306/func', FUNC_REDIS_URL: 'redis://127.0.0.1:6379', FUNC_BODY_LIMIT_MB: '0.5' })).toMatchObject({
      dbUrl: 'mysql://root:pw@127.0.0.1:3306/func',
      bodyLimitBytes: 524288,
    });
  });

  it('FUNC_PYTHON: a relative path is taken from where Func starts (runners start elsewhere), a bare name stays a PATH lookup', () => {
    expect(parseConfig({ FUNC_PYTHON: 'venv/bin/python3' }).python).toBe(resolve('venv/bin/python3'));
    expect(parseConfig({ FUNC_PYTHON: '/opt/py/bin/python3' }).python).toBe('/opt/py/bin/python3');
    expect(parseConfig({ FUNC_PYTHON: 'python3.11' }).python).toBe('python3.11');
  });

  it('FUNC_REDIS_URL names its database by number, if at all', () => {
    expect(parseConfig({ FUNC_REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl).toBe('redis://127.0.0.1:6379');
    expect(parseConfig({ FUNC_REDIS_URL: 'redis://127.0.0.1:6379/12' }).redisUrl).toBe('redis://127.0.0.1:6379/12');
    for (const url of ['redis://127.0.0.1:6379/zero', 'redis://127.0.0.1:6379/1/2']) {
      expect(() => parseConfig({ FUNC_REDIS_URL: url })).toThrow(/FUNC_REDIS_URL must name its database by number/);
    }
  });

  it("names a set FUNC_ variable that is a letter or two from a setting, and leaves other tools' variables alone", () => {
    const env = {
      FUNC_PORT: '1',
      FUNC_HOEM: '/x',
      FUNC_REDIS_ULR: 'redis://h',
      FUNC_WORKER_PROCESS: '2',
      FUNC_TEST_ROLES: 'dist',
      FUNC_BENCH_REDIS_URL: 'redis://h',
      FUNC_IMAGE: 'x',
      OTHER: '1',
    };
    expect(misspeltVariables(env)).toEqual([
      { variable: 'FUNC_HOEM', meant: 'FUNC_HOME' },
      { variable: 'FUNC_REDIS_ULR', meant: 'FUNC_REDIS_URL' },
      { variable: 'FUNC_WORKER_PROCESS', meant: 'FUNC_WORKER_PROCESSES' },
    ]);
  });

  it('reads FUNC_CORS_ORIGINS: empty by default, * or a comma list', () => {
    expect(parseConfig({}).corsOrigins).toEqual([]);
    expect(parseConfig({ FUNC_CORS_ORIGINS: '*' }).corsOrigins).toBe('*');
    expect(parseConfig({ FUNC_CORS_ORIGINS: 'https://A.example.com, http://127.0.0.1:5173' }).corsOrigins).toEqual(['https://a.example.com', 'http://127.0.0.1:5173']);
  });
  describe('FUNC_RUNNER_USER and FUNC_RUNNER_ENV', () => {
    const passwd =
      'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\nfunc-runner:x:10002:10002::/var/lib/func-runner:/usr/sbin/nologin\n';
    /** /proc/self/status with this CapEff (hex, as the kernel writes it). */
    const status = (capEff: string) => () =>
      `Name:\tnode\nUid:\t1000\t1000\t1000\t1000\nCapInh:\t0000000000000000\nCapPrm:\t${capEff}\nCapEff:\t${capEff}\nCapBnd:\t00000000a80425fb\n`;
    const root: ConfigSystem = { uid: 0, passwd: () => passwd, status: status('000001ffffffffff') };
    const user: ConfigSystem = { uid: 1000, passwd: () => passwd, status: status('0000000000000000') };

    it("runs the runners as nobody by default when Func runs as root, as Func's own user otherwise", () => {
      expect(parseConfig({}, root).runnerUser).toEqual({ name: 'nobody', uid: 65534, gid: 65534, home: '/nonexistent' });
      expect(parseConfig({}, user).runnerUser).toBeUndefined();
      expect(parseConfig({}, { ...root, passwd: () => 'root:x:0:0:root:/root:/bin/bash\n' }).runnerUser).toMatchObject({ uid: 65534, gid: 65534 });
      expect(parseConfig({ FUNC_RUNNER_USER: 'off' }, root).runnerUser).toBeUndefined();
      expect(parseConfig({ FUNC_RUNNER_USER: 'off' }, user).runnerUser).toBeUndefined();
    });

    it('resolves a name, a uid or uid:gid once, from /etc/passwd', () => {
      expect(parseConfig({ FUNC_RUNNER_USER: 'func-runner' }, root).runnerUser).toEqual({ name: 'func-runner', uid: 10002, gid: 10002, home: '/var/lib/func-runner' });
      expect(parseConfig({ FUNC_RUNNER_USER: '10002' }, root).runnerUser).toEqual({ name: 'func-runner', uid: 10002, gid: 10002, home: '/var/lib/func-runner' });
      expect(parseConfig({ FUNC_RUNNER_USER: '4242:4343' }, root).runnerUser).toEqual({ name: '4242', uid: 4242, gid: 4343, home: '/nonexistent' });
    });

    it('refuses an unknown user, root, or a switch Func cannot make', () => {
      expect(() => parseConfig({ FUNC_RUNNER_USER: 'nosuchuser' }, root)).toThrow(
        'FUNC_RUNNER_USER must be a user of /etc/passwd, a uid, uid:gid or off, got "nosuchuser" (names no user of /etc/passwd)',
      );
      expect(() => parseConfig({ FUNC_RUNNER_USER: 'root' }, root)).toThrow('FUNC_RUNNER_USER must be an unprivileged user (not uid or gid 0), or off, got "root"');
      expect(() => parseConfig({ FUNC_RUNNER_USER: 'root' }, root)).toThrow(/FUNC_RUNNER_USER must be an unprivileged user/);
      expect(() => parseConfig({ FUNC_RUNNER_USER: '0' }, root)).toThrow(/FUNC_RUNNER_USER must be an unprivileged user/);
      expect(() => parseConfig({ FUNC_RUNNER_USER: '10002:0' }, root)).toThrow(/FUNC_RUNNER_USER must be an unprivileged user/);
      expect(() => parseConfig({ FUNC_RUNNER_USER: 'nobody' }, user)).toThrow(/FUNC_RUNNER_USER needs Func to run as root/);
      expect(() => parseConfig({ FUNC_RUNNER_USER: 'a b' }, root)).toThrow(/FUNC_RUNNER_USER must be a user name/);
    });

    it("lets a non-root Func holding CAP_SETUID, CAP_SETGID and CAP_KILL (the image's node) switch, and names what a Func without them lacks", () => {
      // setuid + setgid + kill (bits 7, 6, 5), and Docker's default set as the image's node holds it
      for (const caps of ['00000000000000e0', '00000000a80425fb']) {
        const capable: ConfigSystem = { ...user, uid: 10001, status: status(caps) };
        expect(parseConfig({ FUNC_RUNNER_USER: 'func-runner' }, capable).runnerUser).toEqual({ name: 'func-runner', uid: 10002, gid: 10002, home: '/var/lib/func-runner' });
        expect(parseConfig({ FUNC_RUNNER_USER: '4242:4343' }, capable).runnerUser).toMatchObject({ uid: 4242, gid: 4343 });
        // capabilities alone choose no user: unset stays Func's own user
        expect(parseConfig({}, capable).runnerUser).toBeUndefined();
        expect(() => parseConfig({ FUNC_RUNNER_USER: 'root' }, capable)).toThrow(/FUNC_RUNNER_USER must be an unprivileged user/);
      }
      const lacking = (caps: string): ConfigSystem => ({ ...user, status: status(caps) });
      expect(() => parseConfig({ FUNC_RUNNER_USER: 'func-runner' }, lacking('00000000000000c0'))).toThrow(
        /^Invalid configuration: FUNC_RUNNER_USER needs Func to run as root, or to hold CAP_SETUID, CAP_SETGID and CAP_KILL in its effective set \(it lacks CAP_KILL\).*unset it or set it to off$/,
      );
      expect(() => parseConfig({ FUNC_RUNNER_USER: 'func-runner' }, lacking('0000000000000020'))).toThrow(/\(it lacks CAP_SETUID, CAP_SETGID\)/);
      expect(() => parseConfig({ FUNC_RUNNER_USER: 'func-runner' }, lacking('0000000000000000'))).toThrow(/\(it lacks CAP_SETUID, CAP_SETGID, CAP_KILL\)/);
      // permitted but not effective does not count
      expect(() => parseConfig({ FUNC_RUNNER_USER: 'func-runner' }, { ...user, status: () => 'CapPrm:\t00000000000000e0\nCapEff:\t0000000000000000\n' })).toThrow(
        /it lacks CAP_SETUID, CAP_SETGID, CAP_KILL/,
      );
      // no /proc to read: nothing held
      expect(() =>
        parseConfig(
          { FUNC_RUNNER_USER: 'func-runner' },
          {
            ...user,
            status: () => {
              throw new Error('ENOENT');
            },
          },
        ),
      ).toThrow(/it lacks CAP_SETUID, CAP_SETGID, CAP_KILL/);
    });

    it("FUNC_RUNNER_ENV: a comma list of names, none of Func's own", () => {
      expect(parseConfig({}, user).runnerEnv).toEqual([]);
      expect(parseConfig({ FUNC_RUNNER_ENV: 'TEST_UNIT, MY_API_BASE' }, user).runnerEnv).toEqual(['TEST_UNIT', 'MY_API_BASE']);
      expect(() => parseConfig({ FUNC_RUNNER_ENV: 'OK,FUNC_SECRET' }, user)).toThrow(/FUNC_RUNNER_ENV must be a comma list of variable names, none starting with FUNC_/);
      expect(() => parseConfig({ FUNC_RUNNER_ENV: 'A=B' }, user)).toThrow(/FUNC_RUNNER_ENV/);
    });
  });
});

describe('a refused value: the variable, what it must be, what it was given', () => {
  const refusal = (env: Record<string, string>): string => {
    try {
      parseConfig(env);
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error(`accepted: ${JSON.stringify(env)}`);
  };

  it('says a range in plain words with the value given', () => {
    expect(refusal({ FUNC_PORT: '70000' })).toBe('Invalid configuration: FUNC_PORT must be a whole number from 0 to 65535, got "70000"');
    expect(refusal({ FUNC_WORKER_PROCESSES: '-1' })).toBe('Invalid configuration: FUNC_WORKER_PROCESSES must be a whole number from 1 to 64, got "-1"');
    expect(refusal({ FUNC_WORKER_PROCESSES: '65' })).toBe('Invalid configuration: FUNC_WORKER_PROCESSES must be a whole number from 1 to 64, got "65"');
    expect(refusal({ FUNC_METRICS_PORT: '65536' })).toBe('Invalid configuration: FUNC_METRICS_PORT must be a whole number from 0 to 65535, got "65536"');
    expect(refusal({ FUNC_MEMORY_LIMIT_MB: '-5' })).toBe('Invalid configuration: FUNC_MEMORY_LIMIT_MB must be a whole number of at least 0, got "-5"');
    expect(refusal({ FUNC_BODY_LIMIT_MB: '2048' })).toBe('Invalid configuration: FUNC_BODY_LIMIT_MB must be a number of MB, at least 1 KB (0.001) and at most 1024, got "2048"');
    expect(refusal({ FUNC_PORT: '0x10' })).toBe('Invalid configuration: FUNC_PORT must be a whole number from 0 to 65535 in decimal digits, got "0x10"');
    expect(refusal({ FUNC_LOG_LEVEL: 'loud' })).toBe('Invalid configuration: FUNC_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"');
    expect(refusal({ FUNC_SYNC_HANDOFF: 'yes' })).toBe('Invalid configuration: FUNC_SYNC_HANDOFF must be one of on, off, got "yes"');
    expect(refusal({ FUNC_CAPTCHA: 'maybe' })).toBe('Invalid configuration: FUNC_CAPTCHA must be true, false, 1 or 0, got "maybe"');
    expect(refusal({ FUNC_REPLY_HOST: '0.0.0.0' })).toBe('Invalid configuration: FUNC_REPLY_HOST must be a loopback address (127.0.0.1, ::1, localhost) or off, got "0.0.0.0"');
    // A long value is cut.
    expect(refusal({ FUNC_STACK: 'x'.repeat(500) })).toBe(`Invalid configuration: FUNC_STACK must be 1-31 lowercase letters, digits, _ and -, got "${'x'.repeat(200)}…"`);
  });

  it('never shows a secret, nor the password of a URL', () => {
    const secret = 'hunter2-but-short';
    for (const [variable, value] of [
      ['FUNC_SECRET', 'short-secret'],
      ['FUNC_ADMIN_PASSWORD', 'hunter2'],
      ['FUNC_METRICS_TOKEN', 'a token with spaces in it'],
    ] as const) {
      const message = refusal({ [variable]: value });
      expect(message).toMatch(new RegExp(`^Invalid configuration: ${variable} must be .*, got ${value.length} characters \\(not shown: a secret\\)$`));
      expect(message).not.toContain(value);
    }
    for (const url of [
      `mysql://root:${secret}@127.0.0.1:99999/db`,
      `mysql://root:${secret}@127.0.0.1:3306/`,
      `mysql://root:${secret.replace('-', '@')}@127.0.0.1:3306/a/b`,
      `mysql://root:${secret.replace('-', '/')}@127.0.0.1:3306/a/b`,
      `mysql:/root:${secret}@127.0.0.1:3306/db`,
      `postgres://u:${secret}@h/db`,
    ]) {
      const message = refusal({ FUNC_DB_URL: url });
      expect(message, url).toMatch(/^Invalid configuration: FUNC_DB_URL must be a mysql:\/\/user@host:3306\/db URL.*, got ".*\*\*\*@127\.0\.0\.1.*"$|, got ".*\*\*\*@h\/db"$/);
      expect(message, url).not.toContain(secret.slice(0, 7));
    }
    expect(refusal({ FUNC_DB_URL: `mysql://root:${secret}@127.0.0.1:99999/db` })).toBe(
      'Invalid configuration: FUNC_DB_URL must be a mysql://user@host:3306/db URL naming one database (a port from 0 to 65535), got "mysql://root:***@127.0.0.1:99999/db"',
    );
    expect(refusal({ FUNC_REDIS_URL: `redis://:${secret}@127.0.0.1:6379/x` })).toBe(
      'Invalid configuration: FUNC_REDIS_URL must name its database by number, if at all (redis://host:6379/0), got "redis://:***@127.0.0.1:6379/x"',
    );
    expect(refusal({ FUNC_PIP_INDEX_URL: `ftp://me:${secret}@pypi.example/simple/` })).not.toContain(secret);
  });
});
