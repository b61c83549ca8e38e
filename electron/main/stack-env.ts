/** The environment of the desktop's embedded stack: data in the OS app-data folder, loopback only. */
export interface StackEnvInput {
  /** `app.getPath('userData')`. */
  userData: string;
  port: number;
  adminPassword: string;
  secret: string;
  /** The parent environment (PATH, HOME…); FUNC_* from it are dropped except those of PASSED. */
  base: Record<string, string | undefined>;
}

/** The FUNC_* settings a user may give the desktop's stack through the environment. */
const PASSED: readonly string[] = ['FUNC_PYTHON', 'FUNC_WORKER_PROCESSES', 'FUNC_RUNNER_IDLE_STOP_S'];

export function stackEnv(input: StackEnvInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.base)) {
    if (v !== undefined && (!k.startsWith('FUNC_') || PASSED.includes(k))) env[k] = v;
  }
  return {
    ...env,
    FUNC_HOME: `${input.userData}/stack`,
    FUNC_HOST: '127.0.0.1',
    FUNC_PORT: String(input.port),
    FUNC_ADMIN_PASSWORD: input.adminPassword,
    FUNC_SECRET: input.secret,
  };
}
