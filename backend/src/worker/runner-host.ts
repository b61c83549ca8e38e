/**
 * What a Python process asks of Node: script code, DFF.STORE, DFF.CACHE, DFF.ENV, DFF.FUNC.
 * The Python side holds no database or Redis client of its own.
 */
import { ApiError } from '../../../contract/errors.js';
import type { SecretBox } from '../domain/auth/secret-box.js';
import { castEnvValue } from '../domain/env/cast-env-value.js';
import type { FuncCache } from '../domain/ports/broker.js';
import type { RunnerHost } from '../domain/ports/runner.js';
import type { Store } from '../domain/ports/store.js';
import type { FuncCatalog } from '../domain/scripts/func-catalog.js';
import { buildTask } from '../domain/tasks/build-task.js';
import type { TaskDispatcher } from '../domain/tasks/dispatcher.js';
import type { TaskMessage } from '../domain/tasks/task.js';
import type { Topology } from '../domain/topology/topology.js';

export interface RunnerHostDeps {
  store: Store;
  cache: FuncCache;
  catalog: FuncCatalog;
  dispatcher: TaskDispatcher;
  topology: Topology;
  secrets: SecretBox;
  now?: () => number;
}

const s = (v: unknown, name: string): string => {
  if (typeof v !== 'string' || v === '') throw new Error(`${name} must be a non-empty string`);
  if (v.length > 256) throw new Error(`${name} must be at most 256 characters`);
  return v;
};
const scopeOf = (v: unknown, task: TaskMessage): string => (v === null || v === undefined ? task.scriptId : s(v, 'scope'));

export function createRunnerHost(deps: RunnerHostDeps): RunnerHost {
  const now = deps.now ?? Date.now;

  async function store(method: string, a: unknown[], task: TaskMessage): Promise<unknown> {
    const fs = deps.store.funcStore;
    const [scope, key, ...rest] = a;
    const sc = scopeOf(scope, task);
    switch (method) {
      case 'set': {
        const [value, expires, notExists] = rest;
        const expireAt = expires === null || expires === undefined ? null : now() + Number(expires) * 1000;
        return fs.set(sc, s(key, 'key'), value ?? null, expireAt, notExists === true, now());
      }
      case 'get':
        return fs.get(sc, s(key, 'key'), now());
      case 'delete':
        return fs.delete(sc, s(key, 'key'));
      case 'keys':
        return fs.keys(sc, typeof key === 'string' && key !== '*' ? key : null, now());
      default:
        throw new Error(`DFF.STORE.${method} is not supported`);
    }
  }

  async function cache(method: string, a: unknown[], task: TaskMessage): Promise<unknown> {
    const [scope, key, ...rest] = a;
    const prefix = `func:cache:${scopeOf(scope, task)}:`;
    const full = (k: unknown): string => `${prefix}${s(k, 'key')}`;
    const keyArg = Array.isArray(key) ? key.map(full) : method === 'keys' ? `${prefix}${typeof key === 'string' ? key : '*'}` : full(key);
    const out = await deps.cache.command(method, [keyArg, ...rest]);
    return method === 'keys' && Array.isArray(out) ? out.map((k) => String(k).slice(prefix.length)) : out;
  }

  async function env(method: string, a: unknown[]): Promise<unknown> {
    if (method === 'keys') return (await deps.store.entity('envVariables').list()).map((e) => e.id);
    const row = await deps.store.entity('envVariables').get(s(a[0], 'name'));
    if (!row) return null;
    const text = row.autoTypeCasting === 'password' ? deps.secrets.decrypt(row.valueTEXT) : row.valueTEXT;
    return castEnvValue(row.autoTypeCasting, text);
  }

  async function func(a: unknown[], parent: TaskMessage): Promise<unknown> {
    const [funcId, kwargs, options] = a as [string, Record<string, unknown> | null, Record<string, number | undefined> | null];
    const f = await deps.catalog.func(s(funcId, 'func_id'));
    if (!f) throw new ApiError('EClientNotFound', `No such Func: ${funcId}`);
    const task = buildTask({ func: f, kwargs: kwargs ?? {}, origin: 'func', originId: parent.funcId, options: options ?? {}, topology: deps.topology, now: now(), parent });
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
        default:
          return Promise.reject(new Error(`DFF.${member} is not available`));
      }
    },
  };
}
