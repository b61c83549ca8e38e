/**
 * The resources folder and the extra Python packages folder: created at start (before the
 * runners, which put them on sys.path) and, when the runners run as another user, given to that
 * user so that functions can write there (best effort: only root may give files away).
 */
import { chmodSync, chownSync, statSync } from 'node:fs';
import { makeDirs } from './make-dirs.js';
import { relative, resolve, sep } from 'node:path';
import type { Config } from '../config/config.js';
import { PipPackages } from '../adapters/python/pip-packages.js';
import type { PythonPackages } from '../domain/ports/python-packages.js';
import { ResourceFolder } from '../domain/resources/resource-folder.js';

/**
 * A folder inside FUNC_HOME must be reachable by the runners' user: FUNC_HOME and the folders
 * between get the search bit for others (0700 → 0701: nothing listed, and Func's own files stay
 * 0600). Best effort, like the chown.
 */
function traversableFor(home: string, dir: string): void {
  const rel = relative(resolve(home), resolve(dir));
  if (rel === '' || rel.startsWith('..') || rel.startsWith(sep)) return;
  let path = resolve(home);
  for (const part of ['', ...rel.split(sep).slice(0, -1)]) {
    path = part === '' ? path : resolve(path, part);
    try {
      const mode = statSync(path).mode & 0o777;
      if ((mode & 0o001) === 0) chmodSync(path, mode | 0o001);
    } catch {
      // not ours to change: docs/resources.md
    }
  }
}

export function ensureResourceDirs(config: Config): void {
  for (const dir of [config.resourcesDir, config.pythonPackagesDir]) {
    makeDirs(dir, 0o755);
    if (config.runnerUser) traversableFor(config.home, dir);
    if (config.runnerUser) {
      try {
        chownSync(dir, config.runnerUser.uid, config.runnerUser.gid);
      } catch {
        // not root: the folder stays Func's (docs/resources.md)
      }
    }
  }
}

export function openResources(config: Config): { resources: ResourceFolder; pythonPackages: PythonPackages } {
  ensureResourceDirs(config);
  const owner = config.runnerUser ? { uid: config.runnerUser.uid, gid: config.runnerUser.gid } : undefined;
  return {
    resources: new ResourceFolder(config.resourcesDir, owner),
    pythonPackages: new PipPackages({
      python: config.python,
      dir: config.pythonPackagesDir,
      user: config.runnerUser,
      passEnv: config.runnerEnv,
      indexUrl: config.pipIndexUrl,
      findLinks: config.pipFindLinks,
    }),
  };
}
