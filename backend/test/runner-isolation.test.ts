/**
 * What function code can see (issue 14, finding 8): the Python runners get an environment built
 * from an allow-list (no FUNC_* variable of Func's environment, no other variable not on the list
 * unless FUNC_RUNNER_ENV names it), and when Func runs as root they run as an unprivileged user
 * (nobody by default) that can read neither FUNC_HOME's secret nor its database, nor the
 * environment of the Node process that started them.
 */
import { chmodSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestStack } from '../src/testing/test-stack.js';

const CODE = `import os

@DFF.API('Env')
def env():
    return dict(os.environ)

@DFF.API('Probe')
def probe(home):
    out = {'uid': os.getuid(), 'gid': os.getgid(), 'groups': os.getgroups()}
    paths = {name: os.path.join(home, name) for name in ('secret', 'func.sqlite', 'func.sqlite-wal', 'func.sqlite-shm')}
    paths['parentEnviron'] = '/proc/%d/environ' % os.getppid()
    for name, path in paths.items():
        try:
            with open(path, 'rb') as f:
                f.read()
            out[name] = 'read'
        except Exception as e:
            out[name] = type(e).__name__
    try:
        os.kill(os.getppid(), 0)
        out['signalParent'] = 'allowed'
    except Exception as e:
        out['signalParent'] = type(e).__name__
    return out
`;

/** Set in the environment of the Node process running the stack; none may reach function code. */
const PARENT_SECRETS = {
  FUNC_SECRET: 'parent-secret-value-0123456789',
  FUNC_ADMIN_PASSWORD: 'parent-admin-password',
  FUNC_DB_URL: 'mysql://func:db-password-in-url@127.0.0.1:3306/func',
  FUNC_REDIS_URL: 'redis://:redis-password@127.0.0.1:6379/0',
  SOME_CLOUD_TOKEN: 'not-on-the-allow-list',
};
const saved: Record<string, string | undefined> = {};
const isRoot = process.getuid?.() === 0;

// Registered before the stack's hooks: the variables are set before it starts, restored after it closed.
beforeAll(() => {
  for (const [k, v] of Object.entries({ ...PARENT_SECRETS, PASSED_ON_PURPOSE: 'visible' })) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
});

afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) Reflect.deleteProperty(process.env, k);
    else process.env[k] = v;
  }
});

const t = useTestStack({ iso__main: CODE }, { FUNC_RUNNER_ENV: 'PASSED_ON_PURPOSE' });

describe('the environment of function code', () => {
  it('holds none of the FUNC_* settings nor other variables off the allow-list, and what FUNC_RUNNER_ENV names', async () => {
    const r = await t.admin('POST', '/api/v1/func/iso__main.env', { kwargs: {} });
    expect(r.status, r.text).toBe(200);
    const env = (r.body.data as { result: Record<string, string> }).result;
    expect(Object.keys(env).filter((k) => k.startsWith('FUNC_'))).toEqual([]);
    expect(env.SOME_CLOUD_TOKEN).toBeUndefined();
    const text = JSON.stringify(env);
    for (const v of Object.values(PARENT_SECRETS)) expect(text).not.toContain(v);
    expect(env.PASSED_ON_PURPOSE).toBe('visible');
    expect(env.PATH).toBe(process.env.PATH);
    expect(env.PYTHONIOENCODING).toBe('utf-8');
  });
});

describe('the user function code runs as', () => {
  it(
    isRoot
      ? 'is unprivileged (Func runs as root): no secret, database or parent environment to read, no signal to its worker'
      : "is Func's own user (Func does not run as root: nothing to drop)",
    async () => {
      // Even in a FUNC_HOME others may enter, the files themselves are private (finding 9).
      chmodSync(t.home, 0o755);
      const r = await t.admin('POST', '/api/v1/func/iso__main.probe', { kwargs: { home: t.home } });
      expect(r.status, r.text).toBe(200);
      const probe = (r.body.data as { result: Record<string, unknown> }).result;
      if (!isRoot) {
        console.warn('runner-isolation: the tests do not run as root, so the runners keep this user; only the environment is checked');
        expect(probe.uid).toBe(process.getuid?.());
        return;
      }
      expect(probe).toMatchObject({ uid: 65534, gid: 65534, groups: [] });
      expect(probe).toMatchObject({
        secret: 'PermissionError',
        'func.sqlite': 'PermissionError',
        'func.sqlite-wal': 'PermissionError',
        'func.sqlite-shm': 'PermissionError',
        parentEnviron: 'PermissionError',
        signalParent: 'PermissionError',
      });
    },
  );
});
