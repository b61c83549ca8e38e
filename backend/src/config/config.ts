/**
 * Configuration: parsed once at start-up from the environment against a schema, then frozen.
 * A bad value stops the process with a message naming the variable.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { maskUrlCredentials } from '../../../contract/redact.js';
import { BROKER_DEFAULTS } from '../domain/ports/broker.js';

/**
 * A number written in decimal digits (`-`, digits, and with `fraction` a decimal part) from `min`
 * to `max`: `0x10`, `1e1`, ` 16` and `16 ` are refused, where `Number()` would take them (they
 * become NaN). Every refusal says what it must be (`what`: "a whole number from 0 to 65535");
 * `parseConfig` adds what was given.
 */
const decimal = (fraction: boolean, min: number, max: number, what: string) => {
  const must = `must be ${what}`;
  const inner = z
    .number({ error: `${must} in decimal digits` })
    .min(min, must)
    .max(max, must);
  return z.preprocess((v) => (typeof v !== 'string' ? v : (fraction ? /^-?\d+(\.\d+)?$/ : /^-?\d+$/).test(v) ? Number(v) : Number.NaN), fraction ? inner : inner.int(must));
};
const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  decimal(false, min, max, max === Number.MAX_SAFE_INTEGER ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`);
const port = wholeNumber(0, 65535);
/** A size in MB, a fraction allowed: at least 1 KB, at most `max`. */
const megabytes = (max: number) => decimal(true, 1 / 1024, max, `a number of MB, at least 1 KB (0.001) and at most ${max}`);
/** One of `values`, saying which when it is not. */
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `must be one of ${values.join(', ')}` });

/** A yes/no setting: `true`/`1` or `false`/`0`, anything else refused naming the variable. */
const flag = (byDefault: 'true' | 'false') =>
  z
    .enum(['true', 'false', '1', '0'], { error: 'must be true, false, 1 or 0' })
    .default(byDefault)
    .transform((v) => v === 'true' || v === '1');

/** A URL of the scheme that parses (a port 0-65535), naming what a service's URL must hold. */
const serviceUrl = (scheme: RegExp, example: string, needsPath: boolean) =>
  z
    .string()
    .regex(scheme, `must be a ${example} URL`)
    .refine(
      (v) => {
        try {
          const path = new URL(v).pathname.slice(1);
          return !needsPath || (path !== '' && !path.includes('/'));
        } catch {
          return false;
        }
      },
      `must be a ${example} URL${needsPath ? ' naming one database' : ''} (a port from 0 to 65535)`,
    );

const envSchema = z.object({
  FUNC_HOME: z.string().min(1).default('./data'),
  // The example without a password: a message with `user:pass@` in it would be masked in the logs.
  FUNC_DB_URL: serviceUrl(/^mysql:\/\//, 'mysql://user@host:3306/db', true).optional(),
  FUNC_REDIS_URL: serviceUrl(/^rediss?:\/\//, 'redis://host:6379/0', false)
    .refine((v) => !URL.canParse(v) || /^\/?(\d{1,5})?$/.test(new URL(v).pathname), 'must name its database by number, if at all (redis://host:6379/0)')
    .optional(),
  FUNC_REDIS_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,64}$/, 'must be 1-64 letters, digits, : . _ -')
    .default('func:'),
  FUNC_VISIBILITY_TIMEOUT_S: wholeNumber(1, 86400).default(BROKER_DEFAULTS.visibilityTimeoutMs / 1000),
  FUNC_HOST: z.string().min(1).default('127.0.0.1'),
  FUNC_PORT: port.default(8088),
  FUNC_PYTHON: z.string().min(1).optional(),
  FUNC_TOPOLOGY: z.string().min(1).default('standalone'),
  FUNC_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  FUNC_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  FUNC_WORKER_PROCESSES: wholeNumber(1, 64).optional(),
  FUNC_RUNNER_IDLE_STOP_S: wholeNumber(0, 86400).default(60),
  FUNC_RUNNER_FORK_SERVER: flag('true'),
  FUNC_SUBSCRIPTION_MAX_BACKLOG: wholeNumber(1, 10_000_000).default(5000),
  FUNC_MEMORY_LIMIT_MB: wholeNumber(0).default(1024),
  FUNC_BODY_LIMIT_MB: megabytes(1024).default(5),
  FUNC_REQUEST_TIMEOUT_S: wholeNumber(1, 86400).default(300),
  FUNC_LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  FUNC_SEED_EXAMPLES: flag('true'),
  FUNC_METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{16,256}$/, 'must be 16-256 printable characters without spaces')
    .optional(),
  FUNC_METRICS_PORT: port.optional(),
  FUNC_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  FUNC_OPENAPI_PUBLIC: flag('false'),
  FUNC_CAPTCHA: flag('false'),
  FUNC_CORS_ORIGINS: z
    .string()
    .refine(
      (v) => v.trim() === '*' || v.split(',').every((o) => ORIGIN.test(o.trim())),
      'must be * or a comma list of origins like https://console.example.com,http://127.0.0.1:5173 (scheme://host[:port], no path)',
    )
    .default(''),
  FUNC_DOCKER_HOST: z
    .string()
    .regex(/^(unix:\/\/\/.+|ssh:\/\/[^\s]+|tcp:\/\/[^\s]+)$/, 'must be unix:///var/run/docker.sock, ssh://user@host or tcp://host:2375')
    .optional(),
  FUNC_READY_FILE: z
    .string()
    .regex(/^\/\S+$/, 'must be an absolute path')
    .optional(),
  FUNC_STOP_GRACE_S: decimal(true, 0, 3600, 'a number of seconds from 0 to 3600').default(8),
  FUNC_REPLY_HOST: z
    .string()
    .regex(/^(off|localhost|::1|127(\.\d{1,3}){3})$/, 'must be a loopback address (127.0.0.1, ::1, localhost) or off')
    .default('127.0.0.1'),
  FUNC_SYNC_HANDOFF: oneOf(['on', 'off']).default('on'),
  FUNC_STACK: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,30}$/, 'must be 1-31 lowercase letters, digits, _ and -')
    .default('func'),
  FUNC_RUNNER_USER: z
    .string()
    .regex(/^(off|[a-z_][a-z0-9_.-]{0,31}\$?|\d{1,10}(:\d{1,10})?)$/, 'must be a user name, uid, uid:gid or off')
    .optional(),
  FUNC_RESOURCES_DIR: z.string().min(1).optional(),
  FUNC_UPLOAD_LIMIT_MB: megabytes(10240).default(100),
  FUNC_PIP_INDEX_URL: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'must be an http(s) URL like http://127.0.0.1:3141/simple/')
    .optional(),
  FUNC_PIP_FIND_LINKS: z.string().min(1).optional(),
  FUNC_RUNNER_ENV: z
    .string()
    .refine(
      (v) => v.split(',').every((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n.trim()) && !n.trim().startsWith('FUNC_')),
      'must be a comma list of variable names, none starting with FUNC_',
    )
    .default(''),
});

const ORIGIN = /^https?:\/\/[^/\s,?#]+$/;

/** Settings whose value is never shown in a message (a refusal says how long it was). */
const SECRET_VARIABLES = new Set(['FUNC_SECRET', 'FUNC_ADMIN_PASSWORD', 'FUNC_METRICS_TOKEN']);
/** Settings that are URLs (or lists of them): shown with any password masked. */
const URL_VARIABLES = new Set(['FUNC_DB_URL', 'FUNC_REDIS_URL', 'FUNC_PIP_INDEX_URL', 'FUNC_PIP_FIND_LINKS', 'FUNC_DOCKER_HOST', 'FUNC_CORS_ORIGINS']);
const SHOWN_CHARS = 200;

/**
 * `user:***@`: masks what stands between a scheme's `//` (or the start) and the last `@` unless it
 * is a bare user name: a password with an `@`, `/` or `#` in it, or a URL missing its `//`, would
 * get past maskUrlCredentials' pattern.
 */
function maskedUrl(value: string): string {
  const masked = maskUrlCredentials(value);
  const at = masked.lastIndexOf('@');
  if (at < 0) return masked;
  const slashes = masked.indexOf('//');
  const start = slashes >= 0 && slashes < at ? slashes + 2 : (/^[a-z][a-z0-9+.-]*:\/?/i.exec(masked)?.[0].length ?? 0);
  return /^[^:@/]*(:\*\*\*)?$/.test(masked.slice(start, at)) ? masked : `${masked.slice(0, start)}***${masked.slice(at)}`;
}

/** What a variable was given, for a refusal: quoted (cut at 200 characters), a URL's password masked, a secret only by its length. */
export function shownValue(variable: string, value: string | undefined): string {
  if (value === undefined) return 'nothing';
  if (SECRET_VARIABLES.has(variable)) return `${value.length} character${value.length === 1 ? '' : 's'} (not shown: a secret)`;
  const text = URL_VARIABLES.has(variable) ? maskedUrl(value) : value;
  return JSON.stringify(text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text);
}

/** `*`, or the exact origins allowed by CORS (empty: same origin only). */
function corsOrigins(value: string): '*' | readonly string[] {
  if (value.trim() === '*') return '*';
  return Object.freeze(
    value
      .split(',')
      .map((o) => o.trim().toLowerCase())
      .filter((o) => o !== ''),
  );
}

/** A user the Python runners are started as (see FUNC_RUNNER_USER). */
export interface RunnerUserConfig {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

/** What the configuration reads of the system besides the environment (tests pass their own). */
export interface ConfigSystem {
  /** The uid Func runs as. */
  readonly uid: number;
  /** The text of /etc/passwd. */
  readonly passwd: () => string;
  /** The text of /proc/self/status (its CapEff line: the capabilities Func holds), read only when needed. */
  readonly status: () => string;
}

const realSystem: ConfigSystem = {
  uid: process.getuid?.() ?? -1,
  passwd: () => readFileSync('/etc/passwd', 'utf8'),
  status: () => readFileSync('/proc/self/status', 'utf8'),
};

/**
 * What Func needs, when not root, to run its runners as another user: switching user and group
 * in the spawned child (setgroups, setgid, setuid) and signalling the runners afterwards (time
 * limits, the memory watchdog, stopping). The image gives node these as file capabilities.
 */
const SWITCH_CAPABILITIES = [
  ['CAP_SETUID', 7],
  ['CAP_SETGID', 6],
  ['CAP_KILL', 5],
] as const;

function missingCapabilities(system: ConfigSystem): string[] {
  let effective = 0n;
  try {
    const hex = /^CapEff:\s*([0-9a-fA-F]{1,16})\s*$/m.exec(system.status())?.[1];
    if (hex !== undefined) effective = BigInt(`0x${hex}`);
  } catch {
    // no /proc: no capabilities known
  }
  return SWITCH_CAPABILITIES.filter(([, bit]) => ((effective >> BigInt(bit)) & 1n) === 0n).map(([name]) => name);
}

/** The conventional unprivileged user, used when Func runs as root and names no runner user. */
const NOBODY = { name: 'nobody', uid: 65534, gid: 65534, home: '/nonexistent' };

function runnerUser(value: string | undefined, system: ConfigSystem): RunnerUserConfig | undefined {
  if (value === 'off') return undefined;
  if (value === undefined && system.uid !== 0) return undefined;
  if (system.uid !== 0) {
    const missing = missingCapabilities(system);
    if (missing.length > 0) {
      throw new ConfigError(
        'FUNC_RUNNER_USER',
        `needs Func to run as root, or to hold CAP_SETUID, CAP_SETGID and CAP_KILL in its effective set (it lacks ${missing.join(', ')}), to start the runners as another user (got ${shownValue('FUNC_RUNNER_USER', value)}): unset it or set it to off`,
      );
    }
  }
  const wanted = value ?? 'nobody';
  let entries: string[][] = [];
  try {
    entries = system
      .passwd()
      .split('\n')
      .map((l) => l.split(':'))
      .filter((f) => f.length >= 7);
  } catch {
    // no /etc/passwd: numeric ids (and the default) still work
  }
  let user: RunnerUserConfig | undefined;
  const ids = /^(\d+)(?::(\d+))?$/.exec(wanted);
  if (ids) {
    const uid = Number(ids[1]);
    const entry = entries.find((f) => Number(f[2]) === uid);
    user = { name: entry?.[0] ?? String(uid), uid, gid: ids[2] !== undefined ? Number(ids[2]) : entry ? Number(entry[3]) : uid, home: entry?.[5] || '/nonexistent' };
  } else {
    const entry = entries.find((f) => f[0] === wanted);
    if (entry) user = { name: wanted, uid: Number(entry[2]), gid: Number(entry[3]), home: entry[5] || '/nonexistent' };
    else if (value === undefined) user = NOBODY;
    else
      throw new ConfigError(
        'FUNC_RUNNER_USER',
        `must be a user of /etc/passwd, a uid, uid:gid or off, got ${shownValue('FUNC_RUNNER_USER', wanted)} (names no user of /etc/passwd)`,
      );
  }
  if (user.uid === 0 || user.gid === 0)
    throw new ConfigError('FUNC_RUNNER_USER', `must be an unprivileged user (not uid or gid 0), or off, got ${shownValue('FUNC_RUNNER_USER', value ?? wanted)}`);
  return Object.freeze(user);
}

export interface Config {
  readonly home: string;
  readonly dbUrl: string | undefined;
  readonly redisUrl: string | undefined;
  /** Prefix of every Redis key (several stacks may share one Redis). */
  readonly redisPrefix: string;
  /** A reserved task not acked or extended for this long is delivered again (ms). */
  readonly visibilityTimeoutMs: number;
  readonly host: string;
  readonly port: number;
  readonly python: string;
  readonly topology: string;
  /** Undefined: read or generate `$FUNC_HOME/secret`. */
  readonly secret: string | undefined;
  readonly adminPassword: string | undefined;
  /** Overrides the processes per worker unit of the topology. */
  readonly workerProcesses: number | undefined;
  /** `func up`: a Python process idle this long stops (they start on demand); 0 = all kept running from the start (ms). */
  readonly runnerIdleStopMs: number;
  readonly memoryLimitMb: number;
  /** Docker engine holding the stack (swarm manager); undefined: no stack operations. */
  readonly dockerHost: string | undefined;
  /** A stopping worker lets running tasks finish for this long before it stops Python (ms). */
  readonly stopGraceMs: number;
  /** Ready tasks on the subscription queue (#6) above which the subscription maintainer stops acking and consuming (FUNC_SUBSCRIPTION_MAX_BACKLOG). */
  readonly subscriptionMaxBacklog: number;
  /**
   * Loopback address where a server listens for sync results sent straight by workers on its
   * host (port picked by the system); undefined (`off`): results come through Redis only.
   */
  readonly replyHost: string | undefined;
  /**
   * Servers hand sync calls straight to an idle worker unit on their host that offered itself,
   * instead of enqueueing them (needs `replyHost`; FUNC_SYNC_HANDOFF, on by default).
   */
  readonly syncHandOff: boolean;
  /** Name of the stack on that engine (services are `<stack>_<service>`). */
  readonly stack: string;
  /** Written once a role is up (and removed when it stops): the swarm's health check reads it. */
  readonly readyFile: string | undefined;
  readonly bodyLimitBytes: number;
  /**
   * How long a client may take to send a whole request, headers and body (a stalled body would
   * hold its connection for ever); the handler's own time, a sync call's wait, is not counted.
   */
  readonly requestTimeoutMs: number;
  readonly logLevel: string;
  readonly seedExamples: boolean;
  /** Python runners are forked from a fork server (true) rather than each started as a new interpreter. */
  readonly runnerForkServer: boolean;
  /** Origins allowed to call `/api/*` and `/healthz` from a browser; `[]` = same origin only. */
  readonly corsOrigins: '*' | readonly string[];
  /** Set: `/metrics` answers only `Authorization: Bearer <token>`; undefined: anyone. */
  readonly metricsToken: string | undefined;
  /**
   * `func worker` and `func beat` serve their own `/metrics` on metricsHost:metricsPort (0: a
   * port the system picks, shown in their heartbeat); undefined: no listener. The server and
   * `func up` serve `/metrics` on their HTTP port.
   */
  readonly metricsPort: number | undefined;
  readonly metricsHost: string;
  /** `/api/v1/openapi.json` for anyone; false: for signed-in users with general_r. */
  readonly openApiPublic: boolean;
  /** Sign-in and change-password require DataFlux Func's captcha (captchaToken + captcha from `captcha/do/get`). */
  readonly captcha: boolean;
  /**
   * The user the Python runners run as: `nobody` by default when Func runs as root, undefined
   * (Func's own user) otherwise or with `off`.
   */
  readonly runnerUser: RunnerUserConfig | undefined;
  /** Names of further variables of Func's environment that the runners get (never FUNC_*). */
  readonly runnerEnv: readonly string[];
  /** The resources folder (`FUNC_RESOURCES_DIR`, default `$FUNC_HOME/resources`): the resource routes, file services and scripts (`DFF.RSRC`) share it. */
  readonly resourcesDir: string;
  /** Where `python-packages/do/install` installs (`<resourcesDir>/extra-python-packages`, as DataFlux Func); on the runners' `sys.path`. */
  readonly pythonPackagesDir: string;
  /** Largest upload to the resources folder (multipart body). */
  readonly uploadLimitBytes: number;
  /** pip's index (`-i`) unless the install names its own; undefined: pip's default. */
  readonly pipIndexUrl: string | undefined;
  /** A folder (or URL) of wheels pip looks in (`--find-links`); without an index URL, pip then uses no index (offline). */
  readonly pipFindLinks: string | undefined;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

function defaultPython(): string {
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

export function parseConfig(env: Record<string, string | undefined> = process.env, system: ConfigSystem = realSystem): Config {
  const picked = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('FUNC_') && v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(picked);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    // What it must be (each schema above words it), then what it was given.
    throw new ConfigError(name, `${issue.message}, got ${shownValue(name, picked[name])}`);
  }
  const e = parsed.data;
  const resourcesDir = resolve(e.FUNC_RESOURCES_DIR ?? join(e.FUNC_HOME, 'resources'));
  return Object.freeze({
    home: resolve(e.FUNC_HOME),
    dbUrl: e.FUNC_DB_URL,
    redisUrl: e.FUNC_REDIS_URL,
    redisPrefix: e.FUNC_REDIS_PREFIX,
    visibilityTimeoutMs: e.FUNC_VISIBILITY_TIMEOUT_S * 1000,
    host: e.FUNC_HOST,
    port: e.FUNC_PORT,
    // A path with a folder in it is taken from where Func starts (runners start in a folder of their own); a bare name is looked up on PATH.
    python: e.FUNC_PYTHON === undefined ? defaultPython() : e.FUNC_PYTHON.includes('/') ? resolve(e.FUNC_PYTHON) : e.FUNC_PYTHON,
    topology: e.FUNC_TOPOLOGY,
    secret: e.FUNC_SECRET,
    adminPassword: e.FUNC_ADMIN_PASSWORD,
    workerProcesses: e.FUNC_WORKER_PROCESSES,
    runnerIdleStopMs: e.FUNC_RUNNER_IDLE_STOP_S * 1000,
    runnerForkServer: e.FUNC_RUNNER_FORK_SERVER,
    memoryLimitMb: e.FUNC_MEMORY_LIMIT_MB,
    dockerHost: e.FUNC_DOCKER_HOST,
    stopGraceMs: Math.round(e.FUNC_STOP_GRACE_S * 1000),
    subscriptionMaxBacklog: e.FUNC_SUBSCRIPTION_MAX_BACKLOG,
    replyHost: e.FUNC_REPLY_HOST === 'off' ? undefined : e.FUNC_REPLY_HOST,
    syncHandOff: e.FUNC_SYNC_HANDOFF === 'on',
    stack: e.FUNC_STACK,
    readyFile: e.FUNC_READY_FILE,
    bodyLimitBytes: Math.round(e.FUNC_BODY_LIMIT_MB * 1024 * 1024),
    requestTimeoutMs: e.FUNC_REQUEST_TIMEOUT_S * 1000,
    logLevel: e.FUNC_LOG_LEVEL,
    seedExamples: e.FUNC_SEED_EXAMPLES,
    corsOrigins: corsOrigins(e.FUNC_CORS_ORIGINS),
    metricsToken: e.FUNC_METRICS_TOKEN,
    metricsPort: e.FUNC_METRICS_PORT,
    metricsHost: e.FUNC_METRICS_HOST,
    openApiPublic: e.FUNC_OPENAPI_PUBLIC,
    captcha: e.FUNC_CAPTCHA,
    runnerUser: runnerUser(e.FUNC_RUNNER_USER, system),
    runnerEnv: Object.freeze(
      e.FUNC_RUNNER_ENV.split(',')
        .map((n) => n.trim())
        .filter((n) => n !== ''),
    ),
    resourcesDir,
    pythonPackagesDir: join(resourcesDir, 'extra-python-packages'),
    uploadLimitBytes: Math.round(e.FUNC_UPLOAD_LIMIT_MB * 1024 * 1024),
    pipIndexUrl: e.FUNC_PIP_INDEX_URL,
    pipFindLinks: e.FUNC_PIP_FIND_LINKS,
  });
}

/** Edits (insert, delete, replace, swap two neighbours) between two names. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * Set `FUNC_*` variables that no setting reads but that are a letter or two away from one that
 * does, each with the one it probably means: a misspelt setting is otherwise ignored without a
 * word. Variables far from every setting (other tools', the tests') are left alone.
 */
export function misspeltVariables(env: Record<string, string | undefined> = process.env): { variable: string; meant: string }[] {
  const known = Object.keys(envSchema.shape);
  return Object.keys(env)
    .filter((name) => name.startsWith('FUNC_') && !known.includes(name))
    .flatMap((variable) => {
      const limit = variable.length - 'FUNC_'.length >= 6 ? 2 : 1;
      const meant = known.find((k) => editDistance(variable, k) <= limit);
      return meant === undefined ? [] : [{ variable, meant }];
    });
}
