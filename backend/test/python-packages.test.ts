/**
 * Extra Python packages (DataFlux Func's python-packages routes): a wheel built here is installed
 * with pip from a folder of the resources folder (--find-links, no index: offline), its progress
 * read through the install status, and a published function imports it on the real runners.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testWheel } from '../src/testing/python-fixtures.js';
import { eventually, startTestStack, useTestStack, type ApiResponse } from '../src/testing/test-stack.js';

// Outside FUNC_HOME (0700): pip and the runners run as another user when the tests run as root.
const parent = mkdtempSync(join(tmpdir(), 'func-pypkg-'));
chmodSync(parent, 0o755);
const root = join(parent, 'resources');
afterAll(() => rmSync(parent, { recursive: true, force: true }));

const SCRIPT = `
@DFF.API('Use the installed package')
def use():
    import funcwheel_demo
    return funcwheel_demo.VALUE
`;

type Status = { package: string; status: string; error: string | null; startTimeMs: number | null; endTimeMs: number | null; nowMs: number };

describe('python-packages', () => {
  const t = useTestStack({ pypkg__main: SCRIPT }, { FUNC_RESOURCES_DIR: root });

  /** The install status once its `count` packages have ended. */
  const finished = (count: number): Promise<Status[]> =>
    eventually(
      async () => {
        const s = (await t.admin('GET', '/api/v1/python-packages/install-status/do/get')).data as Status[];
        return s.length === count && s.every((x) => x.status === 'success' || x.status === 'failure') ? s : undefined;
      },
      90_000,
      'the install to end',
    );

  it('installs a local wheel offline; the status shows its progress; a function imports it', async () => {
    const w = testWheel('funcwheel_demo', '1.2.3', 777);
    mkdirSync(join(root, 'wheels'), { recursive: true });
    writeFileSync(join(root, 'wheels', w.file), w.data);
    chmodSync(join(root, 'wheels'), 0o755);

    const before = await t.admin('POST', '/api/v1/func/pypkg__main.use', { kwargs: {} });
    expect(before.status).toBe(599);
    expect(before.text).toContain('funcwheel_demo');

    const r = await t.admin('POST', '/api/v1/python-packages/do/install', { packages: 'funcwheel_demo==1.2.3', findLinks: '/wheels' });
    expect(r.status, r.text).toBe(200);
    const first = await t.admin('GET', '/api/v1/python-packages/install-status/do/get');
    expect((first.data as Status[])[0]).toMatchObject({ package: 'funcwheel_demo==1.2.3', status: expect.stringMatching(/^(waiting|installing|success)$/) as string });
    const status = await finished(1);
    expect(status[0], status[0]!.error ?? '').toMatchObject({ status: 'success', error: null, startTimeMs: expect.any(Number) as number, endTimeMs: expect.any(Number) as number });

    const listed = await t.admin('GET', '/api/v1/python-packages/installed/do/list');
    expect(listed.data, JSON.stringify(listed.data)).toEqual(expect.arrayContaining([{ name: 'funcwheel_demo', userInstalledVersion: '1.2.3' }]));
    expect((listed.data as { name: string; builtinVersion?: string }[]).some((p) => p.builtinVersion !== undefined)).toBe(true);

    const call = await t.admin('POST', '/api/v1/func/pypkg__main.use', { kwargs: {} });
    expect(call.status, call.text).toBe(200);
    expect((call.data as { result: number }).result).toBe(777);

    expect((await t.admin('GET', '/api/v1/python-packages/install-status/do/clear')).status).toBe(200);
    expect((await t.admin('GET', '/api/v1/python-packages/install-status/do/get')).data).toEqual([]);
  }, 120_000);

  it('a package pip cannot find is recorded as a failure with pip’s message; a running install refuses another', async () => {
    const r = await t.admin('POST', '/api/v1/python-packages/do/install', { packages: 'no_such_pkg_func_test another_missing', findLinks: '/wheels' });
    expect(r.status, r.text).toBe(200);
    const again = await t.admin('POST', '/api/v1/python-packages/do/install', { packages: 'x', findLinks: '/wheels' });
    expect(again.status).toBe(409);
    expect((await t.admin('GET', '/api/v1/python-packages/install-status/do/clear')).status).toBe(409);
    const status = await finished(2);
    expect(status.map((x) => x.status)).toEqual(['failure', 'failure']);
    expect(status[0]!.error).toMatch(/no_such_pkg_func_test/i);
  }, 120_000);

  it('bad input answers 4xx naming the field; a .whl or wheels folder outside the resources folder is refused', async () => {
    const bad = async (body: Record<string, unknown>, status: number, field: string): Promise<void> => {
      const r: ApiResponse = await t.admin('POST', '/api/v1/python-packages/do/install', body);
      expect(r.status, r.text).toBe(status);
      expect(r.body.detail?.field).toBe(field);
    };
    await bad({}, 400, 'body.packages');
    await bad({ packages: '   ' }, 400, 'body.packages');
    await bad({ packages: '--index-url=http://evil/ x' }, 400, 'body.packages.0');
    await bad({ packages: 'ok -r/etc/shadow' }, 400, 'body.packages.1');
    await bad({ packages: 'ok', pipIndexURL: 'ftp://x' }, 400, 'body.pipIndexURL');
    await bad({ packages: 'ok', upgrade: 'yes' }, 400, 'body.upgrade');
    await bad({ packages: 'ok', findLinks: '../../etc' }, 400, 'body.findLinks');
    await bad({ packages: '../../x.whl' }, 400, 'body.packages.0');
    await bad({ packages: '/nothing/here.whl' }, 404, 'body.packages.0');
  });
});

describe('python-packages without pip', () => {
  it('an install is refused with a 4xx saying pip is missing', async () => {
    const venv = join(parent, 'nopip');
    execFileSync('/usr/bin/python3', ['-m', 'venv', '--without-pip', venv]);
    const t = await startTestStack({ FUNC_PYTHON: join(venv, 'bin', 'python3'), FUNC_RESOURCES_DIR: join(parent, 'nopip-resources'), FUNC_RUNNER_USER: 'off' });
    try {
      const r = await t.admin('POST', '/api/v1/python-packages/do/install', { packages: 'anything' });
      expect(r.status, r.text).toBe(403);
      expect(r.body.reason).toBe('EBizCondition');
      expect(r.body.message).toMatch(/pip is not available/);
      expect((await t.admin('GET', '/api/v1/python-packages/install-status/do/get')).data).toEqual([]);
    } finally {
      await t.close();
    }
  }, 60_000);
});
