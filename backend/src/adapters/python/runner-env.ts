/**
 * What a Python runner process is started with: an environment built from an allow-list (never
 * Func's own FUNC_* settings, which carry the secret, the admin password and database URLs), and
 * optionally another user (Func started as root runs its runners unprivileged).
 */

/** The user the runners run as (switched to by the spawn: setgid, setuid, no supplementary groups). */
export interface RunnerUser {
  name: string;
  uid: number;
  gid: number;
  /** Its home directory (the runners' HOME). */
  home: string;
}

/** Variables the runners get from Func's environment, by exact name. */
const PASSED = new Set([
  'PATH',
  'LANG',
  'LANGUAGE',
  'TZ',
  'LD_LIBRARY_PATH',
  'VIRTUAL_ENV',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
]);
/** Only when the runners run as Func's own user (another user has its own home and temp dir). */
const PASSED_SAME_USER = new Set(['HOME', 'USER', 'LOGNAME', 'TMPDIR', 'TMP', 'TEMP']);

function passed(name: string, sameUser: boolean): boolean {
  if (name.startsWith('FUNC_')) return false;
  return PASSED.has(name) || name.startsWith('LC_') || name.startsWith('PYTHON') || (sameUser && PASSED_SAME_USER.has(name));
}

/**
 * The environment of a runner process: the allowed variables of `from`, the `extra` names the
 * operator chose to pass (FUNC_RUNNER_ENV; never a FUNC_* one), and HOME/USER of `user` when
 * given.
 */
export function runnerEnv(from: NodeJS.ProcessEnv, options: { user?: RunnerUser | undefined; extra?: readonly string[] | undefined } = {}): NodeJS.ProcessEnv {
  const { user, extra = [] } = options;
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(from)) {
    if (v !== undefined && (passed(k, user === undefined) || (extra.includes(k) && !k.startsWith('FUNC_')))) env[k] = v;
  }
  if (user) {
    env.HOME = user.home;
    env.USER = user.name;
    env.LOGNAME = user.name;
  }
  return env;
}
