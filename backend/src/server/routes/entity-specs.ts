/** Per-entity rules for the generic admin CRUD: building rows, checks, and the API view. */
import { randomBytes } from 'node:crypto';
import { ApiError, badField } from '../../../../contract/errors.js';
import type { EntityAddData, EntityAdded, EntityModifyData, EntityView } from '../../../../contract/operations/entities.js';
import { checkApiAuthConfig, decryptApiAuthConfig, encryptApiAuthConfig, maskApiAuthConfig } from '../../domain/auth/api-auth-config.js';
import { hasPermission } from '../../../../contract/permissions.js';
import { hashPassword } from '../../domain/auth/password.js';
import { keepOneAdmin } from '../../domain/auth/last-admin.js';
import { checkCronExpr, isValidTimezone } from '../../domain/cron/cron-expr.js';
import { newId } from '../../domain/ids.js';
import { castEnvValue } from '../../domain/env/cast-env-value.js';
import type { EntityName, EntityRows, FuncRow } from '../../domain/ports/store.js';
import { cronNextRunTime } from '../../domain/cron/cron-schedule.js';
import type { AppContext } from '../app-context.js';
import { forgetCachedUser, type Caller } from '../auth.js';
import { requireFunc } from './lookups.js';

/** The types of one entity's operations, from the contract. */
export interface EntityTypes {
  /** `data` of add and modify, as the contract validated it. */
  add: unknown;
  modify: unknown;
  /** One row as list and get answer it. */
  view: unknown;
  /** What add answers beside the id. */
  added: object;
}
export interface EntityTypesOf<N extends EntityName> {
  add: EntityAddData<N>;
  modify: EntityModifyData<N>;
  view: EntityView<N>;
  added: EntityAdded<N>;
}

export interface EntitySpec<N extends EntityName, T extends EntityTypes = EntityTypesOf<N>> {
  name: N;
  fromAdd(data: T['add'], ctx: AppContext, caller: Caller): Promise<EntityRows[N]>;
  fromModify(data: T['modify'], existing: EntityRows[N], ctx: AppContext): Promise<Partial<EntityRows[N]>>;
  /** What add answers beside the id (an access key's secret: the one time it is shown). */
  addedView(row: EntityRows[N], ctx: AppContext): T['added'];
  /** The row as `caller` may see it. */
  toApi(row: EntityRows[N], ctx: AppContext, caller: Caller): T['view'];
}

/** The given fields of `data` (those not undefined). */
function pick<D extends object, K extends keyof D>(data: D, keys: readonly K[]): Partial<Pick<D, K>> {
  const out: Partial<Pick<D, K>> = {};
  for (const k of keys) if (data[k] !== undefined) out[k] = data[k];
  return out;
}
const toMs = (v: string | number | null | undefined): number | null => (v === null || v === undefined ? null : typeof v === 'number' ? v : Date.parse(v));
/** Add answers nothing beside the id. */
const nothingAdded = (): { [field: string]: never } => ({});
const stamp = (ctx: AppContext): { createTime: number; updateTime: number } => ({ createTime: ctx.now(), updateTime: ctx.now() });

/** A function id given (an API auth's config holds it as unknown JSON) names a published function. */
async function checkFuncField(ctx: AppContext, funcId: unknown): Promise<void> {
  if (typeof funcId !== 'string') return;
  try {
    await requireFunc(ctx, funcId);
  } catch {
    throw badField('funcId', `no published function ${funcId}`);
  }
}

const API_FIELDS = ['funcId', 'funcCallKwargsJSON', 'tagsJSON', 'apiAuthId', 'throttlingJSON', 'showInDoc', 'taskRecordLimit', 'isDisabled', 'note'] as const;

/** An API names an API auth that exists (a call of an API whose API auth is gone is refused). */
async function checkApiAuthField(ctx: AppContext, apiAuthId: string | null | undefined): Promise<void> {
  if (typeof apiAuthId !== 'string') return;
  if (!(await ctx.store.entity('apiAuth').get(apiAuthId))) throw badField('apiAuthId', `no API auth ${apiAuthId}`);
}

/** Sync and async APIs have the same fields and rules (their rows and contract types are the same). */
function apiRules(prefix: string): Omit<EntitySpec<'syncApis'>, 'name'> {
  return {
    fromAdd: async (d, ctx) => {
      await checkFuncField(ctx, d.funcId);
      await checkApiAuthField(ctx, d.apiAuthId);
      return {
        id: d.id ?? newId(prefix),
        funcId: d.funcId,
        funcCallKwargsJSON: d.funcCallKwargsJSON,
        tagsJSON: d.tagsJSON ?? null,
        apiAuthId: d.apiAuthId ?? null,
        expireTime: toMs(d.expireTime),
        throttlingJSON: d.throttlingJSON ?? null,
        showInDoc: d.showInDoc === true,
        taskRecordLimit: d.taskRecordLimit ?? null,
        isDisabled: d.isDisabled === true,
        note: d.note ?? null,
        ...stamp(ctx),
      };
    },
    fromModify: async (d, _e, ctx) => {
      await checkFuncField(ctx, d.funcId);
      await checkApiAuthField(ctx, d.apiAuthId);
      return { ...pick(d, API_FIELDS), ...(d.expireTime !== undefined ? { expireTime: toMs(d.expireTime) } : {}), updateTime: ctx.now() };
    },
    addedView: nothingAdded,
    toApi: (row) => ({ ...row }),
  };
}

const syncApis: EntitySpec<'syncApis'> = { name: 'syncApis', ...apiRules('sapi') };
const asyncApis: EntitySpec<'asyncApis'> = { name: 'asyncApis', ...apiRules('aapi') };

async function cronNext(ctx: AppContext, funcId: string, cronExpr: string | null, timezone: string | null, isDisabled: boolean): Promise<number | null> {
  const func = await requireFunc(ctx, funcId).catch(() => undefined);
  return isDisabled ? null : cronNextRunTime({ cronExpr, timezone }, func, ctx.now());
}

/**
 * What a cron job must be, checked on add and on modify alike (there on the merged row): its
 * function is published, its time zone known, its expression valid, and it has one (its own, or
 * the function's fixed_cron_expr).
 */
async function checkCronJob(ctx: AppContext, job: Pick<EntityRows['cronJobs'], 'funcId' | 'cronExpr' | 'timezone'>): Promise<FuncRow> {
  await checkFuncField(ctx, job.funcId);
  const func = await requireFunc(ctx, job.funcId);
  if (job.timezone !== null && !isValidTimezone(job.timezone)) throw badField('timezone', `unknown time zone "${job.timezone}"`);
  if (job.cronExpr !== null) {
    const check = checkCronExpr(job.cronExpr, job.timezone);
    if (!check.ok) throw badField('cronExpr', `Invalid cron expression "${job.cronExpr}": ${check.message ?? ''}`);
  } else if (typeof func.extraConfigJSON.fixedCronExpr !== 'string') {
    throw badField('cronExpr', `is required: ${func.id} has no fixed_cron_expr`);
  }
  return func;
}

const cronJobs: EntitySpec<'cronJobs'> = {
  name: 'cronJobs',
  fromAdd: async (d, ctx) => {
    const func = await checkCronJob(ctx, { funcId: d.funcId, cronExpr: d.cronExpr ?? null, timezone: d.timezone ?? null });
    const row: EntityRows['cronJobs'] = {
      id: d.id ?? newId('cron'),
      funcId: func.id,
      funcCallKwargsJSON: d.funcCallKwargsJSON,
      cronExpr: d.cronExpr ?? null,
      timezone: d.timezone ?? null,
      tagsJSON: d.tagsJSON ?? null,
      expireTime: toMs(d.expireTime),
      taskRecordLimit: d.taskRecordLimit ?? null,
      isDisabled: d.isDisabled === true,
      note: d.note ?? null,
      nextRunTime: null,
      lastRunTime: null,
      ...stamp(ctx),
    };
    row.nextRunTime = await cronNext(ctx, row.funcId, row.cronExpr, row.timezone, row.isDisabled);
    return row;
  },
  fromModify: async (d, e, ctx) => {
    const merged = { ...e, ...pick(d, ['funcId', 'funcCallKwargsJSON', 'cronExpr', 'timezone', 'tagsJSON', 'taskRecordLimit', 'isDisabled', 'note']) };
    await checkCronJob(ctx, merged);
    if (d.expireTime !== undefined) merged.expireTime = toMs(d.expireTime);
    merged.nextRunTime = await cronNext(ctx, merged.funcId, merged.cronExpr, merged.timezone, merged.isDisabled);
    const { id: _id, ...patch } = merged;
    return { ...patch, updateTime: ctx.now() };
  },
  addedView: nothingAdded,
  toApi: (row) => ({ ...row }),
};

const envVariables: EntitySpec<'envVariables'> = {
  name: 'envVariables',
  fromAdd: (d, ctx) => {
    const type = d.autoTypeCasting;
    castEnvValue(type, d.valueTEXT, 'valueTEXT');
    const value = type === 'password' ? ctx.secrets.encrypt(d.valueTEXT) : d.valueTEXT;
    return Promise.resolve({ id: d.id, title: d.title ?? null, description: d.description ?? null, autoTypeCasting: type, valueTEXT: value, ...stamp(ctx) });
  },
  fromModify: (d, e, ctx) => {
    const type = d.autoTypeCasting ?? e.autoTypeCasting;
    const patch: Partial<EntityRows['envVariables']> = { ...pick(d, ['title', 'description']), autoTypeCasting: type, updateTime: ctx.now() };
    if (d.valueTEXT !== undefined) {
      castEnvValue(type, d.valueTEXT, 'valueTEXT');
      patch.valueTEXT = type === 'password' ? ctx.secrets.encrypt(d.valueTEXT) : d.valueTEXT;
    } else if (type !== e.autoTypeCasting && (type === 'password' || e.autoTypeCasting === 'password')) {
      throw badField('valueTEXT', 'is required when changing to or from the password type');
    }
    return Promise.resolve(patch);
  },
  addedView: nothingAdded,
  toApi: (row) => (row.autoTypeCasting === 'password' ? { ...row, valueTEXT: undefined } : { ...row }),
};

const users: EntitySpec<'users'> = {
  name: 'users',
  fromAdd: async (d, ctx) => {
    if ((await ctx.store.entity('users').list({ username: d.username }, { limit: 1 })).length > 0) {
      throw new ApiError('EClientDuplicated', `username ${d.username} is taken`, { field: 'username' });
    }
    return {
      id: newId('u'),
      username: d.username,
      name: d.name,
      passwordHash: await hashPassword(d.password),
      roles: d.roles ?? ['user'],
      isDisabled: d.isDisabled === true,
      ...stamp(ctx),
    };
  },
  fromModify: async (d, e, ctx) => {
    await keepOneAdmin(ctx.store.entity('users'), e, { roles: d.roles ?? e.roles, isDisabled: d.isDisabled ?? e.isDisabled });
    // A new password, other roles or disabling end every token the user has (server/auth.ts).
    const roles = d.roles;
    const revoke = d.password !== undefined || (roles !== undefined && [...roles].sort().join('\n') !== [...e.roles].sort().join('\n')) || (d.isDisabled === true && !e.isDisabled);
    if (revoke) forgetCachedUser(ctx, e.id);
    return {
      ...pick(d, ['name', 'roles', 'isDisabled']),
      ...(d.password !== undefined ? { passwordHash: await hashPassword(d.password) } : {}),
      ...(revoke ? { tokensValidAfter: ctx.now() } : {}),
      updateTime: ctx.now(),
    };
  },
  addedView: nothingAdded,
  toApi: ({ passwordHash: _h, tokensValidAfter: _t, ...rest }) => rest,
};

const accessKeys: EntitySpec<'accessKeys'> = {
  name: 'accessKeys',
  fromAdd: (d, ctx, caller) => {
    const secret = randomBytes(24).toString('base64url').slice(0, 32);
    return Promise.resolve({
      id: newId('ak'),
      userId: caller.user.id,
      name: d.title ?? d.name ?? null,
      secretCipher: ctx.secrets.encrypt(secret),
      isDisabled: d.isDisabled === true,
      ...stamp(ctx),
    });
  },
  fromModify: (d, _e, ctx) => Promise.resolve({ ...(d.title !== undefined ? { name: d.title } : {}), ...pick(d, ['isDisabled']), updateTime: ctx.now() }),
  // The secret is answered once, by add; never again, to anyone.
  addedView: (row, ctx) => ({ secret: ctx.secrets.decrypt(row.secretCipher) }),
  toApi: ({ secretCipher: _s, ...rest }) => ({ ...rest, title: rest.name }),
};

const scriptSets: EntitySpec<'scriptSets'> = {
  name: 'scriptSets',
  fromAdd: (d, ctx) => Promise.resolve({ id: d.id, title: d.title ?? null, description: d.description ?? null, requirements: d.requirements ?? null, ...stamp(ctx) }),
  fromModify: (d, _e, ctx) => Promise.resolve({ ...pick(d, ['title', 'description', 'requirements']), updateTime: ctx.now() }),
  addedView: nothingAdded,
  toApi: (row) => ({ ...row }),
};

const funcs: EntitySpec<'funcs'> = {
  name: 'funcs',
  fromAdd: () => Promise.reject(new ApiError('EClientBadRequest', 'Functions are created by publishing their script')),
  fromModify: () => Promise.reject(new ApiError('EClientBadRequest', 'Functions are changed by publishing their script')),
  addedView: nothingAdded,
  toApi: (row) => ({ ...row, isHidden: row.extraConfigJSON.isHidden === true }),
};

const apiAuth: EntitySpec<'apiAuth'> = {
  name: 'apiAuth',
  fromAdd: async (d, ctx) => {
    const type = d.type;
    const config = checkApiAuthConfig(type, d.configJSON);
    if (type === 'func') await checkFuncField(ctx, config.funcId);
    return { id: d.id ?? newId('apia'), title: d.title ?? null, type, configJSON: encryptApiAuthConfig(type, config, ctx.secrets), note: d.note ?? null, ...stamp(ctx) };
  },
  fromModify: async (d, e, ctx) => {
    const patch: Partial<EntityRows['apiAuth']> = { ...pick(d, ['title', 'note']), updateTime: ctx.now() };
    if (d.configJSON !== undefined) {
      const config = checkApiAuthConfig(e.type, d.configJSON);
      if (e.type === 'func') await checkFuncField(ctx, config.funcId);
      patch.configJSON = encryptApiAuthConfig(e.type, config, ctx.secrets);
    }
    return patch;
  },
  addedView: nothingAdded,
  toApi: (row, ctx, caller) => ({
    ...row,
    configJSON: hasPermission(caller.user, 'general_w') ? decryptApiAuthConfig(row.type, row.configJSON, ctx.secrets) : maskApiAuthConfig(row.type, row.configJSON),
  }),
};

export const ENTITY_SPECS = {
  scriptSets,
  funcs,
  syncApis,
  asyncApis,
  cronJobs,
  envVariables,
  users,
  accessKeys,
  apiAuth,
} as const;
