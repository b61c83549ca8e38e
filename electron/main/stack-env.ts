/** The environment of the desktop's embedded stack: data in the OS app-data folder, loopback only. */
export interface StackEnvInput {
  /** `app.getPath('userData')`. */
  userData: string;
  port: number;
  adminPassword: string;
  secret: string;
  /** The parent environment (PATH, HOME…); FUNC_* from it are dropped except FUNC_PYTHON. */
  base: Record<string, string | undefined>;
}

export function stackEnv(input: StackEnvInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.base)) {
    if (v !== undefined && (!k.startsWith('FUNC_') || k === 'FUNC_PYTHON' || k === 'FUNC_WORKER_PROCESSES')) env[k] = v;
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
