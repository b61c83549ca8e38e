/**
 * The resources folder and the extra Python packages folder: created at start (before the
 * runners, which put them on sys.path) and, when the runners run as another user, given to that
 * user so that functions can write there (best effort: only root may give files away).
 */
import { chownSync, mkdirSync } from 'node:fs';
import type { Config } from '../config/config.js';
import { PipPackages } from '../adapters/python/pip-packages.js';
import type { PythonPackages } from '../domain/ports/python-packages.js';
import { ResourceFolder } from '../domain/resources/resource-folder.js';

export function ensureResourceDirs(config: Config): void {
  for (const dir of [config.resourcesDir, config.pythonPackagesDir]) {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
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
