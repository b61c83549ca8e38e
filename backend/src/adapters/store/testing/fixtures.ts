/** Sample rows for the store contract tests: every field set, JSON and booleans included. */
import type { EntityName, EntityRows, CronJobRow, FuncRow, TaskRecordRow } from '../../../domain/ports/store.js';
import type { TaskMessage } from '../../../domain/tasks/task.js';
import { queuedRecord } from '../../../domain/tasks/task-record.js';

export interface EntityCase<N extends EntityName> {
  readonly name: N;
  row(id: string, time: number): EntityRows[N];
  /** Changes a JSON field and a boolean where the entity has them. */
  readonly patch: Partial<Omit<EntityRows[N], 'id'>>;
}

const apiCommon = (id: string, time: number) => ({
  id,
  funcId: 'demo__main.hello',
  funcCallKwargsJSON: { name: 'Ünïcødé 🚀', nested: { list: [1, 2.5, null, true, 'x'] } },
  tagsJSON: ['a', 'b'],
  expireTime: 1_900_000_000_000,
  taskRecordLimit: 100,
  isDisabled: false,
  note: null,
  createTime: time,
  updateTime: time,
});

export function funcRow(id: string, scriptId: string, defOrder: number, time: number): FuncRow {
  return {
    id,
    scriptSetId: scriptId.split('__')[0] ?? 'demo',
    scriptId,
    name: id.split('.').pop() ?? id,
    title: `Title of ${id}`,
    description: null,
    definition: `def ${id.split('.').pop() ?? 'f'}(a, b=1, **kw)`,
    argsJSON: ['a', 'b'],
    kwargsJSON: { b: { default: 1 } },
    extraConfigJSON: { timeout: 30, cacheResult: false, queue: 1 },
    category: 'general',
    tagsJSON: [],
    defOrder,
    createTime: time,
    updateTime: time,
  };
}

export const ENTITY_CASES: { readonly [N in EntityName]: EntityCase<N> } = {
  scriptSets: {
    name: 'scriptSets',
    row: (id, time) => ({ id, title: 'Demo', description: 'A set', requirements: 'requests==2.31', createTime: time, updateTime: time }),
    patch: { title: 'Renamed', requirements: null },
  },
  scripts: {
    name: 'scripts',
    row: (id, time) => ({
      id,
      scriptSetId: 'demo',
      title: null,
      description: null,
      code: null,
      codeMD5: null,
      codeDraft: 'def hello():\n    return "héllo 🌍"\n',
      codeDraftMD5: 'md5-0',
      publishVersion: 0,
      createTime: time,
      updateTime: time,
    }),
    patch: { title: 'Main', publishVersion: 3 },
  },
  funcs: {
    name: 'funcs',
    row: (id, time) => funcRow(id, 'demo__main', 1, time),
    patch: { argsJSON: ['x'], extraConfigJSON: { isHidden: true } },
  },
  syncApis: {
    name: 'syncApis',
    row: (id, time) => ({ ...apiCommon(id, time), apiAuthId: null, throttlingJSON: { bySecond: 10 }, showInDoc: true }),
    patch: { isDisabled: true, throttlingJSON: null, tagsJSON: null },
  },
  asyncApis: {
    name: 'asyncApis',
    row: (id, time) => ({ ...apiCommon(id, time), apiAuthId: 'auth-1', throttlingJSON: null, showInDoc: false }),
    patch: { showInDoc: true, funcCallKwargsJSON: { x: 1 } },
  },
  cronJobs: {
    name: 'cronJobs',
    row: (id, time) => ({ ...apiCommon(id, time), cronExpr: '*/5 * * * *', timezone: 'Asia/Shanghai', nextRunTime: null, lastRunTime: null }),
    patch: { isDisabled: true, nextRunTime: 1_800_000_000_000, tagsJSON: ['c'] },
  },
  envVariables: {
    name: 'envVariables',
    row: (id, time) => ({ id, title: 'Env', description: null, autoTypeCasting: 'json', valueTEXT: '{"k": [1, 2]}', createTime: time, updateTime: time }),
    patch: { valueTEXT: 'plain' },
  },
  users: {
    name: 'users',
    row: (id, time) => ({
      id,
      username: `user-${id}`,
      name: 'Ada',
      email: 'ada@example.com',
      mobile: null,
      passwordHash: 'scrypt$abc',
      roles: ['admin'],
      isDisabled: false,
      tokensValidAfter: null,
      createTime: time,
      updateTime: time,
    }),
    patch: { roles: [], isDisabled: true, tokensValidAfter: 1_700_000_000_456, mobile: '+1 555 0100' },
  },
  accessKeys: {
    name: 'accessKeys',
    row: (id, time) => ({ id, userId: 'u-1', name: null, secretCipher: 'cipher', isDisabled: true, createTime: time, updateTime: time }),
    patch: { isDisabled: false, name: 'ci' },
  },
  apiAuth: {
    name: 'apiAuth',
    row: (id, time) => ({ id, title: 'Basic', type: 'httpBasic', configJSON: { users: [{ username: 'u', password: 'cipher' }] }, note: null, createTime: time, updateTime: time }),
    patch: { title: 'Renamed', configJSON: { users: [] } },
  },
  fileServices: {
    name: 'fileServices',
    row: (id, time) => ({ id, root: '/public/site', isDisabled: false, note: null, createTime: time, updateTime: time }),
    patch: { root: '/other', isDisabled: true },
  },
  connectors: {
    name: 'connectors',
    row: (id, time) => ({
      id,
      title: 'DB',
      description: null,
      type: 'mysql',
      configJSON: { host: '127.0.0.1', password: 'cipher' },
      isBuiltin: false,
      pinTime: null,
      createTime: time,
      updateTime: time,
    }),
    patch: { title: 'Renamed', configJSON: { host: 'db' }, pinTime: 1_700_000_000_789 },
  },
  blueprints: {
    name: 'blueprints',
    row: (id, time) => ({
      id,
      title: 'Flow',
      description: null,
      canvasJSON: { nodes: [{ id: 'entry', type: 'EntryNode', properties: {} }], edges: [] },
      viewJSON: {},
      isDeployed: false,
      createTime: time,
      updateTime: time,
    }),
    patch: { title: 'Renamed', canvasJSON: { nodes: [], edges: [] }, isDeployed: true },
  },
};

export const ENTITY_NAMES = Object.keys(ENTITY_CASES) as EntityName[];

/** A queued record as the dispatcher stores it (`queuedRecord`), with `overrides`. */
/** An enabled cron job of `funcId` called with `kwargs`, no tags, expiry or record limit, next due at `nextRunTime` (bulk tests and the cron bench). */
export function cronJobRow(id: string, funcId: string, kwargs: Record<string, unknown>, cronExpr: string, nextRunTime: number, time: number): CronJobRow {
  return {
    ...apiCommon(id, time),
    funcId,
    funcCallKwargsJSON: kwargs,
    tagsJSON: null,
    expireTime: null,
    taskRecordLimit: null,
    cronExpr,
    timezone: null,
    nextRunTime,
    lastRunTime: null,
  };
}

export function taskRecord(id: string, overrides: Partial<TaskRecordRow> = {}): TaskRecordRow {
  const task: TaskMessage = {
    id,
    funcId: 'demo__main.hello',
    scriptId: 'demo__main',
    funcName: 'hello',
    kwargs: { a: 1, s: 'ß' },
    origin: 'syncAPI',
    originId: 'api-1',
    queue: 1,
    timeoutMs: 30_000,
    expiresAt: 0,
    triggerTime: 1_700_000_000_000,
  };
  return { ...queuedRecord(task), ...overrides };
}
