/** How the configuration starts Python runner processes: interpreter, memory limit, user, environment. */
import type { Config, RunnerUserConfig } from '../config/config.js';
import { ensureResourceDirs } from './resources.js';

export function runnerPoolOptions(config: Config): {
  python: string;
  memoryLimitMb: number;
  user?: RunnerUserConfig;
  passEnv: readonly string[];
  resourcesDir: string;
  pythonPackagesDir: string;
  forkServer: boolean;
} {
  ensureResourceDirs(config);
  return {
    resourcesDir: config.resourcesDir,
    pythonPackagesDir: config.pythonPackagesDir,
    python: config.python,
    memoryLimitMb: config.memoryLimitMb,
    ...(config.runnerUser ? { user: config.runnerUser } : {}),
    passEnv: config.runnerEnv,
    forkServer: config.runnerForkServer,
  };
}
