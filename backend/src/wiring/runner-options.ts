/** How the configuration starts Python runner processes: interpreter, memory limit, user, environment. */
import type { Config, RunnerUserConfig } from '../config/config.js';

export function runnerPoolOptions(config: Config): { python: string; memoryLimitMb: number; user?: RunnerUserConfig; passEnv: readonly string[] } {
  return {
    python: config.python,
    memoryLimitMb: config.memoryLimitMb,
    ...(config.runnerUser ? { user: config.runnerUser } : {}),
    passEnv: config.runnerEnv,
  };
}
