/** Per-entity rules for the generic admin CRUD: building rows, checks, and the API view. */
import { randomBytes } from 'node:crypto';
import { ApiError, badField } from '../../../../contract/errors.js';
import { checkApiAuthConfig, decryptApiAuthConfig, encryptApiAuthConfig, maskApiAuthConfig } from '../../domain/auth/api-auth-config.js';
import { hasPermission } from '../../../../contract/permissions.js';
import { hashPassword } from '../../domain/auth/password.js';
import { keepOneAdmin } from '../../domain/auth/last-admin.js';
import { checkCronExpr, isValidTimezone } from '../../domain/cron/cron-expr.js';
import { newId } from '../../domain/ids.js';
import { castEnvValue } from '../../domain/env/cast-env-value.js';
import type { ApiAuthType, EntityName, EntityRows, FuncRow } from '../../domain/ports/store.js';
import { cronNextRunTime } from '../../domain/cron/cron-schedule.js';
import type { AppContext } from '../app-context.js';
import { forgetCachedUser, type Caller } from '../auth.js';
import { requireFunc } from './lookups.js';

type Data = Record<string, unknown>;

export interface EntitySpec<N extends EntityName> {
  name: N;
  fromAdd(data: Data, ctx: AppContext, caller: Caller): Promise<EntityRows[N]>;
  fromModify(data: Data, existing: EntityRows[N], ctx: AppContext): Promise<Partial<EntityRows[N]>>;
  /** What add answers beside the id (an access key's secret: the one time it is shown). */
  addedView?(row: EntityRows[N], ctx: AppContext): Record<string, unknown>;
  /** The row as `caller` may see it. */
  toApi(row: EntityRows[N], ctx: AppContext, caller: Caller): Record<string, unknown>;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const pick = <T extends object>(data: Data, keys: readonly (keyof T & string)[]): Partial<T> =>
  Object.fromEntries(keys.filter((k) => data[k] !== undefined).map((k) => [k, data[k]])) as Partial<T>;
const toMs = (v: unknown): number | null => (v === null || v === undefined ? null : typeof v === 'number' ? v : Date.parse(typeof v === 'string' ? v : ''));
const stamp = (ctx: AppContext): { createTime: number; updateTime: number } => ({ createTime: ctx.now(), updateTime: ctx.now() });

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
async function checkApiAuthField(ctx: AppContext, apiAuthId: unknown): Promise<void> {
  if (typeof apiAuthId !== 'string') return;
  if (!(await ctx.store.entity('apiAuth').get(apiAuthId))) throw badField('apiAuthId', `no API auth ${apiAuthId}`);
}

function apiSpec<N extends 'syncApis' | 'asyncApis'>(name: N, prefix: string): EntitySpec<N> {
  return {
    name,
    fromAdd: async (d, ctx) => {
      await checkFuncField(ctx, d.funcId);
      await checkApiAuthField(ctx, d.apiAuthId);
      return {
        id: str(d.id) ?? newId(prefix), funcId: String(d.funcId), funcCallKwargsJSON: (d.funcCallKwargsJSON as Data | undefined) ?? {},
        tagsJSON: (d.tagsJSON as string[] | null | undefined) ?? null, apiAuthId: str(d.apiAuthId), expireTime: toMs(d.expireTime),
        throttlingJSON: (d.throttlingJSON as Data | null | undefined) ?? null, showInDoc: d.showInDoc === true,
        taskRecordLimit: (d.taskRecordLimit as number | null | undefined) ?? null, isDisabled: d.isDisabled === true, note: str(d.note), ...stamp(ctx),
      } as EntityRows[N];
    },
    fromModify: async (d, _e, ctx) => {
      await checkFuncField(ctx, d.funcId);
      await checkApiAuthField(ctx, d.apiAuthId);
      const patch = pick<EntityRows[N]>(d, API_FIELDS);
      if (d.expireTime !== undefined) (patch as Data).expireTime = toMs(d.expireTime);
      return { ...patch, updateTime: ctx.now() };
    },
    toApi: (row) => ({ ...row }),
  };
}

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
    const func = await checkCronJob(ctx, { funcId: String(d.funcId), cronExpr: str(d.cronExpr), timezone: str(d.timezone) });
    const row: EntityRows['cronJobs'] = {
      id: str(d.id) ?? newId('cron'), funcId: func.id, funcCallKwargsJSON: (d.funcCallKwargsJSON as Data | undefined) ?? {}, cronExpr: str(d.cronExpr),
      timezone: str(d.timezone), tagsJSON: (d.tagsJSON as string[] | null | undefined) ?? null, expireTime: toMs(d.expireTime),
      taskRecordLimit: (d.taskRecordLimit as number | null | undefined) ?? null, isDisabled: d.isDisabled === true, note: str(d.note),
      nextRunTime: null, lastRunTime: null, ...stamp(ctx),
    };
    row.nextRunTime = await cronNext(ctx, row.funcId, row.cronExpr, row.timezone, row.isDisabled);
    return row;
  },
  fromModify: async (d, e, ctx) => {
    const merged = { ...e, ...pick<EntityRows['cronJobs']>(d, ['funcId', 'funcCallKwargsJSON', 'cronExpr', 'timezone', 'tagsJSON', 'taskRecordLimit', 'isDisabled', 'note']) };
    await checkCronJob(ctx, merged);
    if (d.expireTime !== undefined) merged.expireTime = toMs(d.expireTime);
    merged.nextRunTime = await cronNext(ctx, merged.funcId, merged.cronExpr, merged.timezone, merged.isDisabled);
    const { id: _id, ...patch } = merged;
    return { ...patch, updateTime: ctx.now() };
  },
  toApi: (row) => ({ ...row }),
};

const envVariables: EntitySpec<'envVariables'> = {
  name: 'envVariables',
  fromAdd: (d, ctx) => {
    const type = String(d.autoTypeCasting);
    castEnvValue(type, String(d.valueTEXT), 'valueTEXT');
    const value = type === 'password' ? ctx.secrets.encrypt(String(d.valueTEXT)) : String(d.valueTEXT);
    return Promise.resolve({ id: String(d.id), title: str(d.title), description: str(d.description), autoTypeCasting: type, valueTEXT: value, ...stamp(ctx) });
  },
  fromModify: (d, e, ctx) => {
    const type = str(d.autoTypeCasting) ?? e.autoTypeCasting;
    const patch: Partial<EntityRows['envVariables']> = { ...pick<EntityRows['envVariables']>(d, ['title', 'description']), autoTypeCasting: type, updateTime: ctx.now() };
    if (typeof d.valueTEXT === 'string') {
      castEnvValue(type, d.valueTEXT, 'valueTEXT');
      patch.valueTEXT = type === 'password' ? ctx.secrets.encrypt(d.valueTEXT) : d.valueTEXT;
    } else if (type !== e.autoTypeCasting && (type === 'password' || e.autoTypeCasting === 'password')) {
      throw badField('valueTEXT', 'is required when changing to or from the password type');
    }
    return Promise.resolve(patch);
  },
  toApi: (row) => (row.autoTypeCasting === 'password' ? { ...row, valueTEXT: undefined } : { ...row }),
};

const users: EntitySpec<'users'> = {
  name: 'users',
  fromAdd: async (d, ctx) => {
    if ((await ctx.store.entity('users').list({ username: String(d.username) }, { limit: 1 })).length > 0) {
      throw new ApiError('EClientDuplicated', `username ${String(d.username)} is taken`, { field: 'username' });
    }
    return {
    id: newId('u'), username: String(d.username), name: str(d.name), passwordHash: await hashPassword(String(d.password)),
    roles: (d.roles as string[] | undefined) ?? ['user'], isDisabled: d.isDisabled === true, ...stamp(ctx),
    };
  },
  fromModify: async (d, e, ctx) => {
    await keepOneAdmin(ctx.store.entity('users'), e, { roles: (d.roles as string[] | undefined) ?? e.roles, isDisabled: typeof d.isDisabled === 'boolean' ? d.isDisabled : e.isDisabled });
    // A new password, other roles or disabling end every token the user has (server/auth.ts).
    const roles = d.roles as string[] | undefined;
    const revoke = typeof d.password === 'string'
      || (roles !== undefined && [...roles].sort().join('\n') !== [...e.roles].sort().join('\n'))
      || (d.isDisabled === true && !e.isDisabled);
    if (revoke) forgetCachedUser(ctx, e.id);
    return {
      ...pick<EntityRows['users']>(d, ['name', 'roles', 'isDisabled']),
      ...(typeof d.password === 'string' ? { passwordHash: await hashPassword(d.password) } : {}),
      ...(revoke ? { tokensValidAfter: ctx.now() } : {}),
      updateTime: ctx.now(),
    };
  },
  toApi: ({ passwordHash: _h, tokensValidAfter: _t, ...rest }) => rest,
};

const accessKeys: EntitySpec<'accessKeys'> = {
  name: 'accessKeys',
  fromAdd: (d, ctx, caller) => {
    const secret = randomBytes(24).toString('base64url').slice(0, 32);
    return Promise.resolve({ id: newId('ak'), userId: caller.user.id, name: str(d.title) ?? str(d.name), secretCipher: ctx.secrets.encrypt(secret), isDisabled: d.isDisabled === true, ...stamp(ctx) });
  },
  fromModify: (d, _e, ctx) => Promise.resolve({ ...(str(d.title) !== null ? { name: str(d.title) } : {}), ...pick<EntityRows['accessKeys']>(d, ['isDisabled']), updateTime: ctx.now() }),
  // The secret is answered once, by add; never again, to anyone.
  addedView: (row, ctx) => ({ secret: ctx.secrets.decrypt(row.secretCipher) }),
  toApi: ({ secretCipher: _s, ...rest }) => ({ ...rest, title: rest.name }),
};

const scriptSets: EntitySpec<'scriptSets'> = {
  name: 'scriptSets',
  fromAdd: (d, ctx) => Promise.resolve({ id: String(d.id), title: str(d.title), description: str(d.description), requirements: str(d.requirements), ...stamp(ctx) }),
  fromModify: (d, _e, ctx) => Promise.resolve({ ...pick<EntityRows['scriptSets']>(d, ['title', 'description', 'requirements']), updateTime: ctx.now() }),
  toApi: (row) => ({ ...row }),
};

const funcs: EntitySpec<'funcs'> = {
  name: 'funcs',
  fromAdd: () => Promise.reject(new ApiError('EClientBadRequest', 'Functions are created by publishing their script')),
  fromModify: () => Promise.reject(new ApiError('EClientBadRequest', 'Functions are changed by publishing their script')),
  toApi: (row) => ({ ...row, isHidden: row.extraConfigJSON.isHidden === true }),
};

const apiAuth: EntitySpec<'apiAuth'> = {
  name: 'apiAuth',
  fromAdd: async (d, ctx) => {
    const type = d.type as ApiAuthType;
    const config = checkApiAuthConfig(type, d.configJSON);
    if (type === 'func') await checkFuncField(ctx, config.funcId);
    return { id: str(d.id) ?? newId('apia'), title: str(d.title), type, configJSON: encryptApiAuthConfig(type, config, ctx.secrets), note: str(d.note), ...stamp(ctx) };
  },
  fromModify: async (d, e, ctx) => {
    const patch: Partial<EntityRows['apiAuth']> = { ...pick<EntityRows['apiAuth']>(d, ['title', 'note']), updateTime: ctx.now() };
    if (d.configJSON !== undefined) {
      const config = checkApiAuthConfig(e.type, d.configJSON);
      if (e.type === 'func') await checkFuncField(ctx, config.funcId);
      patch.configJSON = encryptApiAuthConfig(e.type, config, ctx.secrets);
    }
    return patch;
  },
  toApi: (row, ctx, caller) => ({
    ...row,
    configJSON: hasPermission(caller.user, 'general_w') ? decryptApiAuthConfig(row.type, row.configJSON, ctx.secrets) : maskApiAuthConfig(row.type, row.configJSON),
  }),
};

export const ENTITY_SPECS = {
  scriptSets, funcs, syncApis: apiSpec('syncApis', 'sapi'), asyncApis: apiSpec('asyncApis', 'aapi'), cronJobs, envVariables, users, accessKeys, apiAuth,
} as const;
