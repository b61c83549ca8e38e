/**
 * The Python-packages port on pip: `python -m pip install --target <dir>` with the runners'
 * interpreter, as the runners' user and with their environment (pip may run a package's build
 * code: it runs with no more rights than the functions). The install status lives in this process.
 */
import { spawn } from 'node:child_process';
import { chown, mkdir } from 'node:fs/promises';
import type { InstalledPackage, PackageInstallRequest, PackageInstallStatus, PythonPackages } from '../../domain/ports/python-packages.js';
import { InstallRunningError, PipMissingError } from '../../domain/ports/python-packages.js';
import { runnerEnv, type RunnerUser } from './runner-env.js';

export interface PipPackagesOptions {
  /** Absolute path of the runners' interpreter. */
  python: string;
  /** Where packages go (on the runners' sys.path). */
  dir: string;
  /** The runners' user (pip runs as it), when Func runs them as another user. */
  user?: RunnerUser | undefined;
  passEnv?: readonly string[] | undefined;
  /** Defaults of an install that names none (FUNC_PIP_INDEX_URL, FUNC_PIP_FIND_LINKS). */
  indexUrl?: string | undefined;
  findLinks?: string | undefined;
  /** Time limit of one pip run (default 10 minutes). */
  timeoutMs?: number;
}

const OUTPUT_TAIL = 4000;

interface RunResult {
  code: number | null;
  output: string;
}

/** Lists distributions (name → version) on the default path and in the extra folder. */
const LIST_SCRIPT = `
import importlib.metadata as m, json, os, sys
extra = os.path.realpath(sys.argv[1])
sys.path[:] = [p for p in sys.path if p and os.path.realpath(p) != extra]
def names(paths=None):
    out = {}
    for d in (m.distributions(path=paths) if paths else m.distributions()):
        n = d.metadata['Name']
        if n and n not in out:
            out[n] = d.version
    return out
print(json.dumps({'builtin': names(), 'user': names([sys.argv[1]])}))
`;

export class PipPackages implements PythonPackages {
  readonly dir: string;
  private statuses: PackageInstallStatus[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly opts: PipPackagesOptions) {
    this.dir = opts.dir;
  }

  private run(args: readonly string[], timeoutMs: number): Promise<RunResult> {
    const env = runnerEnv(process.env, { user: this.opts.user, extra: this.opts.passEnv });
    env.PIP_NO_CACHE_DIR = '1';
    env.PIP_DISABLE_PIP_VERSION_CHECK = '1';
    env.PYTHONIOENCODING = 'utf-8';
    const ids = this.opts.user ? { uid: this.opts.user.uid, gid: this.opts.user.gid } : {};
    return new Promise((resolve) => {
      let output = '';
      const child = spawn(this.opts.python, args, { cwd: this.dir, env, stdio: ['ignore', 'pipe', 'pipe'], ...ids });
      const keep = (chunk: Buffer): void => {
        output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL * 4);
      };
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      const timer = setTimeout(() => {
        output += `\n(stopped after ${Math.round(timeoutMs / 1000)} s)`;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.once('error', (err) => {
        clearTimeout(timer);
        resolve({ code: null, output: `${output}\n${err.message}` });
      });
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve({ code, output });
      });
    });
  }

  private async ensureDir(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o755 });
    if (this.opts.user) await chown(this.dir, this.opts.user.uid, this.opts.user.gid).catch(() => undefined);
  }

  async listInstalled(): Promise<InstalledPackage[]> {
    await this.ensureDir();
    const r = await this.run(['-B', '-c', LIST_SCRIPT, this.dir], 60_000);
    if (r.code !== 0) throw new Error(`listing the Python packages failed: ${r.output.slice(-OUTPUT_TAIL)}`);
    const line = r.output.trim().split('\n').pop() ?? '{}';
    const found = JSON.parse(line) as { builtin: Record<string, string>; user: Record<string, string> };
    const byName = new Map<string, InstalledPackage>();
    for (const [name, version] of Object.entries(found.builtin)) byName.set(name, { name, builtinVersion: version });
    for (const [name, version] of Object.entries(found.user)) byName.set(name, { ...(byName.get(name) ?? { name }), userInstalledVersion: version });
    return [...byName.values()].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
  }

  status(now: number): PackageInstallStatus[] {
    return this.statuses.map((s) => ({ ...s, nowMs: now }));
  }

  clearStatus(): boolean {
    if (this.running) return false;
    this.statuses = [];
    return true;
  }

  async install(request: PackageInstallRequest): Promise<void> {
    if (this.running) throw new InstallRunningError('Previous Python package installing is not finished');
    await this.ensureDir();
    const check = await this.run(['-m', 'pip', '--version'], 60_000);
    if (check.code !== 0) throw new PipMissingError(`pip is not available to ${this.opts.python}: ${check.output.trim().slice(-500) || `exit code ${String(check.code)}`}`);
    if (this.running) throw new InstallRunningError('Previous Python package installing is not finished');
    this.statuses = request.packages.map((pkg, order) => ({ order, package: pkg, status: 'waiting', startTimeMs: null, endTimeMs: null, error: null }));
    const statuses = this.statuses;
    this.running = (async () => {
      for (const s of statuses) await this.installOne(s, request);
    })().finally(() => {
      this.running = undefined;
    });
  }

  private async installOne(s: PackageInstallStatus, request: PackageInstallRequest): Promise<void> {
    s.status = 'installing';
    s.startTimeMs = Date.now();
    const indexUrl = request.indexUrl ?? this.opts.indexUrl;
    const findLinks = request.findLinks ?? this.opts.findLinks;
    const args = ['-m', 'pip', 'install', '--no-cache-dir', '--disable-pip-version-check', '--no-input', '--progress-bar', 'off', '--default-timeout', '60', '--target', this.dir];
    if (indexUrl !== undefined) args.push('--index-url', indexUrl);
    if (findLinks !== undefined) {
      args.push('--find-links', findLinks);
      // Wheels from a folder and no index named: offline, no default index tried.
      if (indexUrl === undefined) args.push('--no-index');
    }
    if (request.upgrade) args.push('--upgrade');
    // A separator: nothing after it is read as an option.
    args.push(
      '--',
      ...s.package
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== ''),
    );
    const r = await this.run(args, this.opts.timeoutMs ?? 600_000);
    s.endTimeMs = Date.now();
    if (r.code === 0) s.status = 'success';
    else {
      s.status = 'failure';
      s.error = r.output.trim().slice(-OUTPUT_TAIL) || `pip ended with exit code ${String(r.code)}`;
    }
  }

  async idle(): Promise<void> {
    await this.running;
  }
}
