/**
 * What a Python process asks of Node: script code, DFF.STORE, DFF.CACHE, DFF.ENV, DFF.FUNC,
 * DFF.SIGN, DFF.CONFIG, DFF.CONN (connectors: pooled Node clients) and the entity helpers
 * (DFF.SYNC_API / ASYNC_API / CRON_JOB).
 * The Python side holds no database or Redis client of its own.
 */
import { createHash } from 'node:crypto';
import { ApiError, badField, parseInput } from '../../../contract/errors.js';
import { callOptions, type CallOptions } from '../../../contract/operations/calls.js';
import { checkCronExpr } from '../domain/cron/cron-expr.js';
import { CronOverrideStore } from '../domain/cron/cron-overrides.js';
import { effectiveCronExpr } from '../domain/cron/cron-schedule.js';
import { funcCacheKey } from '../domain/func-data/func-cache-keys.js';
import type { SecretBox } from '../domain/auth/secret-box.js';
import { castEnvValue } from '../domain/env/cast-env-value.js';
import type { FuncCache } from '../domain/ports/broker.js';
import { connectorSpec } from '../domain/connectors/connector-config.js';
import type { ConnectorClients } from '../domain/ports/connectors.js';
import type { RunnerHost } from '../domain/ports/runner.js';
import type { ConnectorRow, Store } from '../domain/ports/store.js';
import type { FuncCatalog } from '../domain/scripts/func-catalog.js';
import { buildTask, checkKwargs } from '../domain/tasks/build-task.js';
import type { TaskDispatcher } from '../domain/tasks/dispatcher.js';
import type { TaskMessage } from '../domain/tasks/task.js';
import type { Topology } from '../domain/topology/topology.js';

/** DFF.FUNC's and the entity helpers' call options, bounded as the HTTP API bounds them (queue 1-15: #0 is the system's). */
const HOST_CALL_OPTIONS = callOptions.pick({ queue: true, timeout: true, expires: true }).strict();

function hostCallOptions(options: unknown): CallOptions {
  return parseInput(HOST_CALL_OPTIONS, options ?? {}, 'options');
}

function hostCallKwargs(kwargs: unknown): Record<string, unknown> {
  if (kwargs === null || kwargs === undefined) return {};
  if (typeof kwargs !== 'object' || Array.isArray(kwargs)) throw badField('kwargs', 'must be an object of keyword arguments');
  return kwargs as Record<string, unknown>;
}

export interface RunnerHostDeps {
  store: Store;
  cache: FuncCache;
  catalog: FuncCatalog;
  dispatcher: TaskDispatcher;
  topology: Topology;
  secrets: SecretBox;
  now?: () => number;
  /** DFF.CONN's pooled clients (absent: DFF.CONN answers that connectors are not available in this process). */
  connectors?: ConnectorClients;
  /** DFF.CONFIG: the installation's custom settings (`FUNC_CUSTOM_<NAME>` → `CUSTOM_<NAME>`); default: those of this process's environment. */
  customConfig?: Readonly<Record<string, string>>;
}

/** `FUNC_CUSTOM_<NAME>` variables of an environment as DFF.CONFIG shows them: `CUSTOM_<NAME>`. */
export function customConfigFrom(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (k.startsWith('FUNC_CUSTOM_') && k.length > 12 && v !== undefined) out[k.slice(5)] = v;
  return out;
}

/** Blocking pops poll the cache (a shared connection must never block); at most this long a wait. */
const BLOCK_POLL_MS = 50;
const ENTITY_TABLES = { syncAPI: 'syncApis', asyncAPI: 'asyncApis', cronJob: 'cronJobs' } as const;
type EntityKind = keyof typeof ENTITY_TABLES;
const CONNECTOR_ROW_TTL_MS = 1000;
const PLACEHOLDERS = new Set(['INPUT_BY_CALLER', 'FROM_PARAMETER']);

/** DataFlux's entity query filters: `{field: {op: value}}`. */
function matches(row: Record<string, unknown>, filters: Record<string, unknown> | null): boolean {
  if (!filters) return true;
  for (const [field, conds] of Object.entries(filters)) {
    const v = row[field];
    const ops = conds !== null && typeof conds === 'object' && !Array.isArray(conds) ? (conds as Record<string, unknown>) : { '=': conds };
    for (const [op, want] of Object.entries(ops)) {
      const ok = (() => {
        switch (op.toLowerCase()) {
          case '=':
          case 'eq':
            return v === want;
          case '!=':
          case 'ne':
            return v !== want;
          case '>':
            return Number(v) > Number(want);
          case '>=':
            return Number(v) >= Number(want);
          case '<':
            return Number(v) < Number(want);
          case '<=':
            return Number(v) <= Number(want);
          case 'in':
            return Array.isArray(want) && want.includes(v);
          case 'notin':
            return Array.isArray(want) && !want.includes(v);
          case 'like':
            return typeof v === 'string' && v.toLowerCase().includes(String(want).replace(/%/g, '').toLowerCase());
          case 'isnull':
            return v === null || v === undefined;
          case 'isnotnull':
            return v !== null && v !== undefined;
          default:
            throw new Error(`unknown filter operator ${op} on ${field} (=, !=, >, >=, <, <=, in, notin, like, isnull, isnotnull)`);
        }
      })();
      if (!ok) return false;
    }
  }
  return true;
}

/** A JSON value's type by its Python name, as the script sent it (messages read by script authors). */
const pyTypeOf = (v: unknown): string => {
  if (v === null || v === undefined) return 'NoneType';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'dict';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  return 'str';
};
/** A str argument (`name` says whose: `DFF.CACHE.keys: pattern`); anything else is refused, never widened. */
const str = (v: unknown, name: string): string => {
  if (typeof v !== 'string') throw new Error(`${name} must be a str, got ${pyTypeOf(v)}`);
  return v;
};
/** A name or key: a non-empty str of at most 256 characters. */
const s = (v: unknown, name: string): string => {
  if (str(v, name) === '') throw new Error(`${name} must be a non-empty string`);
  if ((v as string).length > 256) throw new Error(`${name} must be at most 256 characters`);
  return v as string;
};
/**
 * DFF.STORE's and DFF.CACHE's `expire`: seconds, at most about 100 years either way (1e20 made
 * MySQL answer "Out of range value for column 'expireAt'" and Redis "value is not an integer or
 * out of range"); a numeric string is taken too.
 */
export const STORE_EXPIRE_MAX_S = 3_153_600_000;
const expireSecondsOf = (v: unknown, where: string): number | null => {
  if (v === null || v === undefined) return null;
  const seconds = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  if (!Number.isFinite(seconds) || Math.abs(seconds) > STORE_EXPIRE_MAX_S)
    throw new Error(`${where}: expire must be a number of seconds, at most ${STORE_EXPIRE_MAX_S} (100 years); got ${JSON.stringify(v)}`);
  return seconds;
};
/** DFF.CACHE's TTLs: Redis takes only a positive one (DataFlux Func's CACHE raises Redis's "invalid expire time" on 0 or less). */
const cacheTtlOf = (v: unknown, required: boolean, where: string): number | null => {
  const seconds = expireSecondsOf(v, where);
  if (seconds === null && !required) return null;
  if (seconds === null || seconds <= 0) throw new Error(`${where}: expires must be a number of seconds above 0 (a key's TTL); got ${JSON.stringify(v ?? null)}`);
  return seconds;
};
/** A blocking pop's timeout: seconds, 0 for as long as the task runs (Redis refuses a negative one or a non-number). */
const blockTimeoutOf = (v: unknown, where: string): number => {
  const seconds = v === null || v === undefined ? 0 : v;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0)
    throw new Error(`${where}: timeout must be a number of seconds, 0 or more (0: until the task's own timeout); got ${JSON.stringify(v)}`);
  return seconds;
};
const expireAtOf = (v: unknown, now: number, where: string): number | null => {
  const seconds = expireSecondsOf(v, where);
  return seconds === null ? null : now + Math.round(seconds * 1000);
};
/** `scope=`: none (the calling script's) or a str; `where` names the member (`DFF.STORE.set`). */
const scopeOf = (v: unknown, task: TaskMessage, where: string): string => (v === null || v === undefined ? task.scriptId : s(v, `${where}: scope`));
const cacheScopeOf = (v: unknown, task: TaskMessage, where: string): string => {
  const sc = scopeOf(v, task, where);
  if (sc.includes(':')) throw new Error(`${where}: scope must not contain ':' (got ${sc})`);
  return sc;
};
/** CACHE host methods whose key argument is a list of keys (one str taken too); every other one takes one str. */
const CACHE_KEY_LISTS = new Set(['delete', 'mget']);
/** CACHE host methods whose argument after the key is one hash field or set member, or a list of them (one str taken too). */
const CACHE_FIELD: Record<string, string> = { hget: 'field', hset: 'field', hincrby: 'field', sismember: 'member' };
const CACHE_FIELD_LISTS: Record<string, string> = { hmget: 'field', hdel: 'field', sadd: 'member', srem: 'member', zrem: 'member' };
/**
 * A hash or set call's fields and members checked (DFF.CACHE's members send each as a str): a None
 * one would be stored as the text "null", a list as its JSON; hmset's field_values must be a dict.
 */
const checkCacheFields = (method: string, rest: unknown[], where: string): void => {
  const one = CACHE_FIELD[method];
  const many = CACHE_FIELD_LISTS[method];
  if (one !== undefined) str(rest[0], `${where}: ${one}`);
  else if (many !== undefined) for (const f of Array.isArray(rest[0]) ? rest[0] : [rest[0]]) str(f, `${where}: ${many}`);
  else if (method === 'hmset' && pyTypeOf(rest[0]) !== 'dict') throw new Error(`${where}: field_values must be a dict, got ${pyTypeOf(rest[0])}`);
};
/**
 * CACHE host methods' integer arguments (position after the key, name), as DFF.CACHE's members
 * send them: INCRBY's step, LTRIM's and LRANGE's bounds. A fraction, a bool, null or text is
 * refused (null was taken as 0 by ltrim, a fraction counted by INCRBYFLOAT).
 */
const CACHE_INTS: Record<string, [number, string][]> = {
  incr: [[0, 'step']],
  incrby: [[0, 'step']],
  hincrby: [[1, 'step']],
  ltrim: [
    [0, 'start'],
    [1, 'stop'],
  ],
  lrange: [
    [0, 'start'],
    [1, 'stop'],
  ],
  zrange: [
    [0, 'start'],
    [1, 'stop'],
  ],
};
const checkCacheInts = (method: string, rest: unknown[], where: string): void => {
  for (const [i, name] of CACHE_INTS[method] ?? []) {
    const v = rest[i];
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`${where}: ${name} must be an integer, got ${JSON.stringify(v ?? null)}`);
  }
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function createRunnerHost(deps: RunnerHostDeps): RunnerHost {
  const now = deps.now ?? Date.now;

  async function store(method: string, a: unknown[], task: TaskMessage): Promise<unknown> {
    const fs = deps.store.funcStore;
    const [scope, key, ...rest] = a;
    const where = `DFF.STORE.${method}`;
    const sc = scopeOf(scope, task, where);
    switch (method) {
      case 'set': {
        const [value, expires, notExists] = rest;
        const k = s(key, `${where}: key`);
        return fs.set(sc, k, value ?? null, expireAtOf(expires, now(), where), notExists === true, now());
      }
      case 'get':
        return fs.get(sc, s(key, `${where}: key`), now());
      case 'delete':
        return fs.delete(sc, s(key, `${where}: key`));
      case 'keys':
        return fs.keys(sc, str(key, `${where}: pattern`), now());
      default:
        throw new Error(`DFF.STORE.${method} is not supported`);
    }
  }

  async function cache(method: string, a: unknown[], task: TaskMessage): Promise<unknown> {
    const [scope, key, ...rest] = a;
    const where = `DFF.CACHE.${method}`;
    const sc = cacheScopeOf(scope, task, where);
    const prefix = funcCacheKey(sc, '');
    const full = (k: unknown, name = method === 'publish' ? 'topic' : 'key'): string => funcCacheKey(sc, s(k, `${where}: ${name}`));
    switch (method) {
      case 'keys': {
        const out = await deps.cache.command('keys', [`${prefix}${str(key, `${where}: pattern`)}`]);
        return Array.isArray(out) ? out.map((k) => String(k).slice(prefix.length)) : out;
      }
      case 'blpop':
      case 'brpop': {
        // [key, timeout s (0: until the task's own timeout ends it)] -> [key, value] or null
        const pop = method === 'blpop' ? 'lpop' : 'rpop';
        const timeout = blockTimeoutOf(rest[0], where);
        const until = timeout > 0 ? now() + timeout * 1000 : Infinity;
        for (;;) {
          const v = await deps.cache.command(pop, [full(key)]);
          if (v !== null && v !== undefined) return [key, v];
          if (now() >= until) return null;
          await sleep(BLOCK_POLL_MS);
        }
      }
      case 'rpoplpush':
      case 'brpoplpush': {
        // [key, destKey, destScope, timeout?]
        const [destKey, destScope] = rest;
        const dest = funcCacheKey(cacheScopeOf(destScope, task, where), s(destKey, `${where}: dest_key`));
        const timeout = method === 'brpoplpush' ? blockTimeoutOf(rest[2], where) : 0;
        const until = method === 'brpoplpush' ? (timeout > 0 ? now() + timeout * 1000 : Infinity) : 0;
        for (;;) {
          const v = await deps.cache.command('rpoplpush', [full(key), dest]);
          if (v !== null && v !== undefined) return v;
          if (now() >= until) return null;
          await sleep(BLOCK_POLL_MS);
        }
      }
      case 'memoryusage':
        throw new Error('DFF.CACHE.memoryusage is not supported');
      case 'set': {
        // [key, value, expires, notExists, exists]
        const [value, expires, ...flags] = rest;
        return deps.cache.command('set', [full(key), value, cacheTtlOf(expires, false, where), ...flags]);
      }
      case 'expire':
        return deps.cache.command('expire', [full(key), cacheTtlOf(rest[0], true, where)]);
      default: {
        checkCacheFields(method, rest, where);
        checkCacheInts(method, rest, where);
        const keyArg = CACHE_KEY_LISTS.has(method) && Array.isArray(key) ? key.map((k) => full(k)) : full(key);
        return deps.cache.command(method, [keyArg, ...rest]);
      }
    }
  }

  const overrides = new CronOverrideStore(deps.cache, now);

  /**
   * DFF.CRON_JOB's dynamic expressions and pauses (domain/cron/cron-overrides.ts). A bad expression
   * or expiry is answered as `{error}` (the runtime raises ValueError with it), nothing stored.
   */
  async function cronOverride(method: string, a: unknown[]): Promise<unknown> {
    if (method === 'getAllCronExpr') return overrides.allDynamic();
    const id = s(a[1], 'entity_id');
    switch (method) {
      case 'getCronExpr':
        return (await overrides.getDynamic(id))?.expr ?? null;
      case 'clearCronExpr':
        await overrides.clearDynamic(id);
        return null;
      case 'setCronExpr':
      case 'pause': {
        const job = await deps.store.entity('cronJobs').get(id);
        if (!job) throw new ApiError('EClientNotFound', `No such cronJob: ${id}`);
        const expires = a[method === 'pause' ? 2 : 3] ?? null;
        // Up to ~100 years, as STORE's expiries (a pause always ends).
        const positive = typeof expires === 'number' && Number.isFinite(expires) && expires > 0 && expires <= STORE_EXPIRE_MAX_S;
        if (method === 'pause') {
          if (!positive)
            return {
              error: `DFF.CRON_JOB.pause: expires must be a positive number of seconds, at most ${STORE_EXPIRE_MAX_S} (100 years: a pause always ends), got ${JSON.stringify(expires)}`,
            };
          await overrides.pause(id, expires);
          return null; // as DataFlux Func, pause answers nothing
        }
        const expr = a[2];
        if (typeof expr !== 'string' || expr.trim() === '') return { error: `DFF.CRON_JOB.set_cron_expr: cron_expr must be a non-empty string, got ${JSON.stringify(expr)}` };
        // As DataFlux Func: no expires (None or 0) is until cleared.
        if (expires !== null && expires !== 0 && !positive)
          return { error: `DFF.CRON_JOB.set_cron_expr: expires must be a positive number of seconds (at most ${STORE_EXPIRE_MAX_S}) or None, got ${JSON.stringify(expires)}` };
        const check = checkCronExpr(expr, job.timezone);
        if (!check.ok) return { error: `Invalid cron expression "${expr}": ${check.message ?? ''}` };
        await overrides.setDynamic(id, expr.trim(), positive ? expires : null);
        return null; // as DataFlux Func, set_cron_expr answers nothing
      }
      default:
        throw new Error(`DFF.CRON_JOB has no ${method}`);
    }
  }

  async function entity(method: string, a: unknown[], parent: TaskMessage): Promise<unknown> {
    const kind = a[0] as EntityKind;
    if (!Object.hasOwn(ENTITY_TABLES, kind)) throw new Error(`unknown entity kind ${JSON.stringify(kind)}`);
    if (kind === 'cronJob' && !['get', 'query', 'call'].includes(method)) return cronOverride(method, a);
    const repo = deps.store.entity(ENTITY_TABLES[kind]);
    // A cron job's effective expression: the dynamic one a script set, else fixed_cron_expr, else its own.
    const cronExprOf = async (row: { id: string; cronExpr: string | null }, f: Parameters<typeof effectiveCronExpr>[1]): Promise<string | null> =>
      effectiveCronExpr(row, f, (await overrides.getDynamic(row.id))?.expr);
    const withCron = async <R extends { id: string; funcId: string }>(row: R): Promise<R & { effectiveCronExpr?: string | null }> => {
      if (kind !== 'cronJob') return row;
      return { ...row, effectiveCronExpr: await cronExprOf(row as unknown as { id: string; cronExpr: string | null }, await deps.catalog.func(row.funcId)) };
    };
    switch (method) {
      case 'get': {
        const row = await repo.get(s(a[1], 'entity_id'));
        return row ? withCron(row) : null;
      }
      case 'query': {
        const [, fields, filters] = a as [string, string[] | null, Record<string, unknown> | null];
        const rows = (await repo.list()).filter((r) => matches(r as unknown as Record<string, unknown>, filters));
        if (!fields) return rows;
        return rows.map((r) => Object.fromEntries(fields.map((f) => [f, (r as unknown as Record<string, unknown>)[f] ?? null])));
      }
      case 'call': {
        const [, id] = a as [string, unknown];
        const kwargs = hostCallKwargs(a[2]);
        const options = hostCallOptions(a[3]);
        const row = await repo.get(s(id, 'entity_id'));
        if (!row) throw new ApiError('EClientNotFound', `No such ${kind}: ${String(id)}`);
        const f = await deps.catalog.func(row.funcId);
        if (!f) throw new ApiError('EClientNotFound', `No such Func: ${row.funcId}`);
        const fixed = Object.fromEntries(Object.entries(row.funcCallKwargsJSON).filter(([, v]) => !(typeof v === 'string' && PLACEHOLDERS.has(v))));
        const cronExpr = kind === 'cronJob' ? ((await cronExprOf(row as unknown as { id: string; cronExpr: string | null }, f)) ?? undefined) : undefined;
        const merged = { ...fixed, ...kwargs };
        checkKwargs(f, merged);
        const task = buildTask({
          func: f,
          kwargs: merged,
          origin: kind,
          originId: row.id,
          options,
          topology: deps.topology,
          now: now(),
          parent,
          ...(cronExpr !== undefined ? { cronExpr, cronJobId: row.id, cronJobExecMode: 'manual' as const } : {}),
        });
        await deps.dispatcher.submit(task);
        return task.id;
      }
      default:
        throw new Error(`DFF entity helpers have no ${method}`);
    }
  }

  // DFF.CONN reads its connector at most once a second per id (a modify reaches scripts within a second).
  const connectorRows = new Map<string, { at: number; row: ConnectorRow | undefined }>();
  async function connectorRow(id: string): Promise<ConnectorRow> {
    const hit = connectorRows.get(id);
    let row = hit && now() - hit.at < CONNECTOR_ROW_TTL_MS ? hit.row : undefined;
    if (!row) {
      row = await deps.store.entity('connectors').get(id);
      if (connectorRows.size > 1000) connectorRows.clear();
      connectorRows.set(id, { at: now(), row });
    }
    if (!row) throw new ApiError('EClientNotFound', `No such Connector: ${id}`, { connectorId: id });
    return row;
  }

  async function conn(method: string, a: unknown[]): Promise<unknown> {
    const clients = deps.connectors;
    if (!clients) throw new Error('DFF.CONN is not available in this process');
    const row = await connectorRow(s(a[0], 'connector_id'));
    switch (method) {
      case 'type':
        return row.type;
      case 'run': {
        // [id, database | null, command, args, kwargs]
        const [, database, command, args, kwargs] = a as [string, string | number | null, unknown, unknown, unknown];
        const spec = connectorSpec(row, deps.secrets, database);
        return clients.run(spec, s(command, 'command'), Array.isArray(args) ? args : [], kwargs !== null && typeof kwargs === 'object' ? (kwargs as Record<string, unknown>) : {});
      }
      default:
        throw new Error(`DFF.CONN has no ${method}`);
    }
  }

  const customConfig = deps.customConfig ?? customConfigFrom(process.env);
  const signKey = deps.secrets.mac('DFF.SIGN key');
  const sign = (a: unknown[]): string =>
    createHash('md5')
      .update([signKey, ...a.map(String)].join('\n'))
      .digest('hex');

  async function env(method: string, a: unknown[]): Promise<unknown> {
    if (method === 'keys') return (await deps.store.entity('envVariables').list()).map((e) => e.id);
    const row = await deps.store.entity('envVariables').get(s(a[0], 'name'));
    if (!row) return null;
    const password = row.autoTypeCasting === 'password';
    const text = password ? deps.secrets.decrypt(row.valueTEXT) : row.valueTEXT;
    const value = castEnvValue(row.autoTypeCasting, text);
    // `read` (DFF.ENV's): the value and whether it is a password, which the runtime masks in the
    // task's log lines from then on, as DataFlux Func masks loaded passwords in its print logs.
    return method === 'read' ? { value, password } : value;
  }

  async function func(a: unknown[], parent: TaskMessage): Promise<unknown> {
    const funcId = s(a[0], 'func_id');
    const kwargs = hostCallKwargs(a[1]);
    const options = hostCallOptions(a[2]);
    const f = await deps.catalog.func(funcId);
    if (!f) throw new ApiError('EClientNotFound', `No such Func: ${funcId}`);
    checkKwargs(f, kwargs);
    const task = buildTask({ func: f, kwargs, origin: 'func', originId: parent.funcId, options, topology: deps.topology, now: now(), parent });
    await deps.dispatcher.submit(task);
    return task.id;
  }

  return {
    getScript: (scriptId, draft, version) => deps.catalog.script(scriptId, draft, version),
    call: (member, method, args, task) => {
      switch (member) {
        case 'STORE':
          return store(method, args, task);
        case 'CACHE':
          return cache(method, args, task);
        case 'ENV':
          return env(method, args);
        case 'FUNC':
          return func(args, task);
        case 'ENTITY':
          return entity(method, args, task);
        case 'CONN':
          return conn(method, args);
        case 'SIGN':
          return Promise.resolve(sign(args));
        case 'CONFIG':
          return Promise.resolve({ ...customConfig });
        default:
          return Promise.reject(new Error(`DFF.${member} is not available`));
      }
    },
  };
}
