/**
 * Whether an interpreter can run Func's Python runners, found out in a few milliseconds before a
 * role opens its store: a bare command name is looked up on this process's PATH (runners are
 * started by the absolute path found), then the interpreter is run once, as the runners' user and
 * with their environment, to print its version. A path that does not exist, cannot be run, is no Python or
 * an older one than Func's runtime needs is told here, at once, instead of after the store was
 * migrated and the first runner failed to come up.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { runnerEnv, type RunnerUser } from './runner-env.js';

/** The oldest Python the runtime (backend/python/) runs on. */
export const MIN_PYTHON: readonly [number, number] = [3, 9];
const ANSWER_TIMEOUT_MS = 5000;
/** Prints `major.minor`; valid Python 2 too, so an old interpreter is named as such. */
const VERSION_PROGRAM = "import sys; sys.stdout.write('%d.%d' % tuple(sys.version_info[:2]))";

export type InterpreterCheck = { ok: true; path: string; version: string } | { ok: false; problem: string };

/** The first executable regular file named `name` in the folders of `path`. */
function onPath(name: string, path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not there, or not executable: the next folder
    }
  }
  return undefined;
}

function lastLines(text: string): string {
  const lines = text.trim().split('\n');
  return lines.slice(-3).join(' / ').slice(0, 300);
}

/** Runs `python` once as `user` (when given) with the runners' environment and says what it is. */
export function checkInterpreter(python: string, options: { user?: RunnerUser | undefined; passEnv?: readonly string[] | undefined } = {}): Promise<InterpreterCheck> {
  const env = runnerEnv(process.env, { user: options.user, extra: options.passEnv });
  let path = python;
  if (!isAbsolute(python)) {
    const found = onPath(python, process.env.PATH ?? '');
    if (found === undefined) return Promise.resolve({ ok: false, problem: 'is no command found on PATH' });
    path = found;
  }
  const as = options.user ? { uid: options.user.uid, gid: options.user.gid } : {};
  const asText = options.user ? ` as user ${options.user.name}` : '';
  return new Promise((resolve) => {
    let out = '';
    let err = '';
    const child = spawn(path, ['-I', '-c', VERSION_PROGRAM], { cwd: '/', env, stdio: ['ignore', 'pipe', 'pipe'], ...as });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ ok: false, problem: `did not answer within ${ANSWER_TIMEOUT_MS / 1000} s when run${asText} to print its version` });
    }, ANSWER_TIMEOUT_MS);
    child.stdout.on('data', (d: Buffer) => (out = (out + d.toString()).slice(0, 200)));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    child.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const why = e.code === 'ENOENT' ? 'does not exist' : e.code === 'EACCES' ? `cannot be run${asText} (permission denied)` : `cannot be run${asText} (${e.message})`;
      resolve({ ok: false, problem: path === python ? why : `(${path} on PATH) ${why}` });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const named = path === python ? '' : ` (${path} on PATH)`;
      const version = /^(\d+)\.(\d+)$/.exec(out.trim());
      if (code !== 0 || !version) {
        const how = signal ? `was killed by ${signal}` : code !== 0 ? `exited with code ${code}` : `printed ${JSON.stringify(out.trim().slice(0, 60))}`;
        const said = err.trim() ? `: ${lastLines(err)}` : '';
        return resolve({ ok: false, problem: `${named} is not a Python interpreter: asked its version${asText}, it ${how}${said}`.trimStart() });
      }
      const [major, minor] = [Number(version[1]), Number(version[2])];
      if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1]))
        return resolve({ ok: false, problem: `${named} is Python ${major}.${minor}, older than ${MIN_PYTHON.join('.')}`.trimStart() });
      resolve({ ok: true, path, version: `${major}.${minor}` });
    });
  });
}
