/**
 * Func as a user gets it without the repository: `npm pack` (prepack builds dist/ and the
 * console when stale), the tarball installed into an empty folder with the runtime dependencies
 * only, then the installed `func up`: the console and a sync call answer, the installed tree holds
 * no TypeScript tooling, the role is one node process (Python runners beside it), and SIGTERM to
 * that process stops everything.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, httpClients, publishScript } from '../src/testing/test-client.js';
import { freePort, ROOT } from '../src/testing/processes.js';
import { eventually } from '../src/testing/test-stack.js';

const PASSWORD = 'packaged-install-password';
const CODE = `@DFF.API('Packaged')
def hello(name='world'):
    return {'hello': name}
`;

let tmp = '';
let app = '';
let child: ChildProcess | undefined;
let exited: Promise<number | null> | undefined;
let output = '';
let base = '';
let token = '';
const { client, api } = httpClients(
  () => base,
  () => token,
);
/** Every process of the running stack seen by the tests, to make sure none outlives them. */
const seen = new Set<number>();

const NPM_TIMEOUT_MS = 420_000;

/** npm with this machine's node first on PATH and none of the calling npm's own settings. */
function npm(args: string[], cwd: string): string {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.toLowerCase().startsWith('npm_')) env[k] = v;
  env.PATH = `${dirname(process.execPath)}:${env.PATH ?? ''}`;
  // The install builds better-sqlite3 from source (its prebuilt binary cannot be downloaded here):
  // ~2 minutes on 2 busy cores. npm killed at the timeout exits 1 silently, so the timeout is named.
  const r = spawnSync('npm', args, { cwd, env, encoding: 'utf8', timeout: NPM_TIMEOUT_MS });
  const timedOut = r.error !== undefined && 'code' in r.error && r.error.code === 'ETIMEDOUT' ? ` after its ${NPM_TIMEOUT_MS / 1000} s timeout` : '';
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${String(r.status ?? r.signal)})${timedOut}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** `pid` and its descendants, each with its executable's name and command line, from /proc. */
function processTree(pid: number): { pid: number; ppid: number; exe: string; cmdline: string[] }[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(`/proc/${name}/stat`);
    if (!stat) continue;
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parentOf.set(Number(name), ppid);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [p, pp] of parentOf) if (pp === tree[i]) tree.push(p);
  return tree.flatMap((p) => {
    const cmdline = read(`/proc/${p}/cmdline`);
    if (cmdline === undefined) return [];
    let exe = '';
    try {
      exe = basename(readlinkSync(`/proc/${p}/exe`));
    } catch {
      return [];
    }
    return [{ pid: p, ppid: parentOf.get(p) ?? 0, exe, cmdline: cmdline.split('\0').filter(Boolean) }];
  });
}

/** Every folder name under a node_modules tree (scoped packages as @scope/name), at any depth. */
function packageNames(dir: string, out = new Set<string>()): Set<string> {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    if (name.startsWith('@')) {
      for (const sub of readdirSync(join(dir, name))) {
        out.add(`${name}/${sub}`);
        packageNames(join(dir, name, sub, 'node_modules'), out);
      }
    } else {
      out.add(name);
      packageNames(join(dir, name, 'node_modules'), out);
    }
  }
  return out;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'func-packaged-'));
  // Readable like a real install (npm -g: /usr/local/lib/node_modules): as root, the Python
  // runners run as `nobody` (FUNC_RUNNER_USER) and must reach the installed runtime.
  chmodSync(tmp, 0o755);
  app = join(tmp, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{ "private": true }\n');
  const packed = npm(['pack', '--pack-destination', tmp, '--silent'], ROOT).trim().split('\n').pop()!;
  // --prefer-offline: packages from npm's cache when `npm ci` put them there, the registry otherwise.
  npm(['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', join(tmp, packed)], app);

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const home = join(tmp, 'home');
  child = spawn(join(app, 'node_modules/.bin/func'), ['up', '--port', String(port)], {
    cwd: app,
    env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, FUNC_HOME: home, FUNC_ADMIN_PASSWORD: PASSWORD, FUNC_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const c = child;
  exited = new Promise((resolve) => c.once('exit', (code) => resolve(code)));
  await eventually(
    async () => {
      if (c.exitCode !== null) throw new Error(`the installed func up exited with ${c.exitCode}:\n${output}`);
      return (await fetch(`${base}/healthz`).catch(() => undefined))?.ok ? true : undefined;
    },
    30_000,
    'the installed func up to answer /healthz',
  ).catch((err: unknown) => {
    throw new Error(`${String(err)}\n${output}`);
  });
  for (const p of processTree(child.pid!)) seen.add(p.pid);
}, NPM_TIMEOUT_MS + 120_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
  for (const pid of seen) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the packed tarball installed into an empty folder', () => {
  it('holds the built CLI and no TypeScript tooling among its installed dependencies', () => {
    const installed = join(app, 'node_modules/func');
    expect(existsSync(join(installed, 'dist/backend/src/cli.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist/backend/python/func_runner.py'))).toBe(true);
    expect(existsSync(join(installed, 'dist/renderer/dist/index.html'))).toBe(true);
    expect(existsSync(join(installed, 'backend/src'))).toBe(false);
    const names = packageNames(join(app, 'node_modules'));
    expect(names.has('fastify') && names.has('better-sqlite3')).toBe(true);
    for (const tool of ['tsx', 'typescript', 'esbuild', 'vite', 'vitest', 'react', 'monaco-editor']) expect(names.has(tool), tool).toBe(false);
  });

  it("ships the Python runtime's bytecode, which the runners (started with -B) load instead of compiling the sources", () => {
    const runtime = join(app, 'node_modules/func/dist/backend/python');
    const r = spawnSync('/usr/bin/python3', ['-B', '-v', '-c', 'import dff, func_runner_core'], { cwd: runtime, encoding: 'utf8' });
    expect(r.status, r.stderr.slice(-2000)).toBe(0);
    for (const mod of ['dff', 'dff_members', 'protocol', 'func_runner_core'])
      expect(r.stderr).toMatch(new RegExp(`code object from '?[^\\n]*__pycache__/${mod}\\.cpython-\\d+\\.pyc`));
  });

  it('serves the console and answers a sync call', async () => {
    expect((await fetch(`${base}/`)).status).toBe(200);
    token = (await client.signIn({ body: { signIn: { username: 'admin', password: PASSWORD } } })).xAuthToken;
    await publishScript(client, 'packaged__hello', CODE);
    const added = await client.addSyncApi({ body: { data: { funcId: 'packaged__hello.hello', funcCallKwargsJSON: { name: 'INPUT_BY_CALLER' } } } });
    const r = await api('GET', `/api/v1/sync/${added.id}/simplified?name=tarball`, undefined, ANONYMOUS);
    expect(r.status, r.text).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ hello: 'tarball' });
  });

  it('runs as one node process (the one started), with only Python runners below it', () => {
    const tree = processTree(child!.pid!);
    for (const p of tree) seen.add(p.pid);
    const nodes = tree.filter((p) => p.exe.startsWith('node'));
    expect(nodes.map((p) => p.pid)).toEqual([child!.pid]);
    expect(nodes[0]!.cmdline.slice(1)).toEqual([join(app, 'node_modules/.bin/func'), 'up', '--port', base.split(':').pop()]);
    const others = tree.filter((p) => p.pid !== child!.pid);
    expect(others.length).toBeGreaterThan(0);
    const installed = readFileSync(join(app, 'node_modules/func/dist/backend/python/func_runner.py'), 'utf8');
    for (const p of others) {
      expect(p.exe, p.cmdline.join(' ')).toMatch(/^python/);
      // The installed runtime, or (runners as another user, Func started as root) its readable copy.
      const script = p.cmdline.find((a) => a.endsWith('func_runner.py'));
      expect(script, p.cmdline.join(' ')).toBeDefined();
      expect(readFileSync(script!, 'utf8')).toBe(installed);
    }
    // One fork server below it, and the runners that ran the calls forked from it.
    const servers = others.filter((p) => p.cmdline.includes('--fork-server') && p.ppid === child!.pid);
    expect(servers).toHaveLength(1);
    const runners = others.filter((p) => p !== servers[0]);
    expect(runners.length).toBeGreaterThan(0);
    for (const r of runners) expect(r.ppid).toBe(servers[0]!.pid);
  });

  it('stops on SIGTERM to that process, its Python runners with it', async () => {
    child!.kill('SIGTERM');
    const code = await Promise.race([exited!, new Promise<string>((r) => setTimeout(() => r('still running'), 20_000))]);
    expect(code, output).toBe(0);
    await eventually(() => ([...seen].every((pid) => !existsSync(`/proc/${pid}`)) ? true : undefined), 10_000, 'the Python runners to exit');
  });
});
