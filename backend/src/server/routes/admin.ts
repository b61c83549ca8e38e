/**
 * Administration routes (DataFlux Func's): operation records, script recover points and clone,
 * own password and profile, captcha, system settings, temporary flags, system and image info,
 * monitoring, task record counts. The rules are the domain's (domain/admin, domain/scripts).
 */
import { arch, platform } from 'node:os';
import { ApiError } from '../../../../contract/errors.js';
import { SystemSettings } from '../../domain/admin/system-settings.js';
import { TEMPORARY_FLAGS, TemporaryFlags } from '../../domain/admin/temporary-flags.js';
import { Captchas } from '../../domain/auth/captcha.js';
import { hashPassword } from '../../domain/auth/password.js';
import { checkPassword } from '../../domain/auth/sign-in-guard.js';
import { addRecoverPoint, cloneScriptSet, recoverTo } from '../../domain/scripts/recover-points.js';
import { TIMEOUT_MAX_S, TIMEOUT_MIN_S } from '../../../../contract/operations/calls.js';
import { TASK_RECORD_LIMIT_MAX, TASK_RECORD_LIMIT_MIN } from '../../../../contract/operations/entities.js';
import { HEARTBEAT_EVERY_MS } from '../../domain/ports/presence.js';
import { ARGUMENT_PLACEHOLDERS, DEFAULT_TIMEOUT_S } from '../../domain/tasks/build-task.js';
import { DEFAULT_RECORD_LIMITS } from '../../domain/tasks/retention.js';
import { forgetCachedUser } from '../auth.js';
import { entityPage } from './entities.js';
import { recordSearch } from './fuzzy-search.js';
import type { Handlers } from '../handler.js';
import { requestRecords } from '../request-records.js';
import type { AppContext } from '../app-context.js';
import type { UserRow } from '../../domain/ports/store.js';

type AdminOps =
  | 'listOperationRecords'
  | 'listScriptRecoverPoints'
  | 'addScriptRecoverPoint'
  | 'recoverScriptRecoverPoint'
  | 'cloneScriptSet'
  | 'changePassword'
  | 'modifyProfile'
  | 'getCaptcha'
  | 'getSystemSettings'
  | 'setSystemSetting'
  | 'deleteSystemSetting'
  | 'getTemporaryFlags'
  | 'setTemporaryFlag'
  | 'clearTemporaryFlag'
  | 'imageInfo'
  | 'systemInfo'
  | 'getSystemMetrics'
  | 'listAbnormalRequests'
  | 'getTaskRecordCount'
  | 'listScriptMarkets'
  | 'checkScriptMarketUpdate';

export const captchas = (ctx: AppContext): Captchas => new Captchas(ctx.store.expiring, ctx.now);
const settings = (ctx: AppContext): SystemSettings => new SystemSettings(ctx.store.settings, ctx.now);

/** An operation's name for people, from its id: `addSyncApi` → "Add Sync API". */
function operationName(operationId: string): string {
  return operationId
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(' ')
    .map((w) => (/^(api|ak|sse|id|url)$/i.test(w) ? w.toUpperCase() : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(' ');
}

export function imageInfoOf(ctx: AppContext): Record<string, unknown> {
  return { VERSION: ctx.version, EDITION: 'func', ARCHITECTURE: arch(), PLATFORM: platform(), NODE_VERSION: process.version, MODE: ctx.mode };
}

export const adminHandlers: Pick<Handlers, AdminOps> = {
  listOperationRecords: async ({ query }, { ctx }) => {
    const { pageSize, pageNumber, ...filter } = query;
    const rows = await ctx.store.operationRecords.list(
      {
        id: filter.id,
        userId: filter.userId,
        username: filter.username,
        traceId: filter.traceId,
        reqMethod: filter.reqMethod?.map((m) => m.toUpperCase()),
        operationId: filter.operationId,
        reqRoute: filter.reqRoute,
        respStatusCode: filter.respStatusCode,
        since: filter.since,
        until: filter.until,
        anyContains: recordSearch('operationRecords', filter._fuzzySearch),
      },
      entityPage({ pageSize, pageNumber }, 100),
    );
    const users = new Map<string, UserRow | undefined>();
    for (const id of new Set(rows.flatMap((r) => (r.userId === null ? [] : [r.userId])))) users.set(id, await ctx.store.entity('users').get(id));
    return rows.map((r) => {
      const u = r.userId === null ? undefined : users.get(r.userId);
      return {
        ...r,
        ok: r.respStatusCode < 400,
        reqRouteNames: { default: operationName(r.operationId) },
        u_id: u?.id ?? null,
        u_username: u?.username ?? null,
        u_name: u?.name ?? null,
        u_mobile: u?.mobile ?? null,
      };
    });
  },

  listScriptRecoverPoints: ({ query }, { ctx }) => ctx.store.recoverPoints.list({ id: query.id, type: query.type, note: query.note ?? query._fuzzySearch }, entityPage(query, 100)),
  addScriptRecoverPoint: async ({ body }, { ctx }) => ({ id: await addRecoverPoint(ctx, 'manual', body.data.note) }),
  recoverScriptRecoverPoint: async ({ params }, { ctx }) => {
    await recoverTo(ctx, params.id);
    return null;
  },
  cloneScriptSet: ({ params, body }, { ctx }) => cloneScriptSet(ctx, params.id, body.newId),

  changePassword: async ({ body }, { ctx, caller }) => {
    if (ctx.config.captcha) await captchas(ctx).check('changePassword', body.captchaToken, body.captcha);
    const user = await ctx.store.entity('users').get(caller!.user.id);
    if (!user) throw new ApiError('EUserAuth', 'The user of this token does not exist any more');
    if (!(await checkPassword(body.changePassword.oldPassword, user))) {
      throw new ApiError('EUserPassword', 'changePassword.oldPassword: wrong password', { field: 'changePassword.oldPassword' });
    }
    // Every token of the user ends (as when an admin sets the password); the caller gets a new one.
    const now = ctx.now();
    await ctx.store.entity('users').update(user.id, { passwordHash: await hashPassword(body.changePassword.newPassword), tokensValidAfter: now, updateTime: now });
    forgetCachedUser(ctx, user.id);
    return { xAuthToken: ctx.tokens.issue(user.id) };
  },
  modifyProfile: async ({ body }, { ctx, caller }) => {
    const id = caller!.user.id;
    // As DataFlux Func's modifyProfile: name, email and mobile, what is given (users/do/modify keeps the same fields).
    const { name, email, mobile } = body.data;
    const patch: Partial<UserRow> = {
      ...(name !== undefined ? { name } : {}),
      ...(email !== undefined ? { email } : {}),
      ...(mobile !== undefined ? { mobile } : {}),
    };
    if (Object.keys(patch).length > 0) await ctx.store.entity('users').update(id, { ...patch, updateTime: ctx.now() });
    forgetCachedUser(ctx, id);
    return { id };
  },

  getCaptcha: async ({ query }, { ctx, reply }) => {
    const svg = await captchas(ctx).issue(query.captchaCategory, query.captchaToken, ctx.config.captcha);
    await reply.header('Cache-Control', 'no-store').type('image/svg+xml').send(svg);
    return svg;
  },

  getSystemSettings: ({ query }, { ctx }) => settings(ctx).get(query.id),
  setSystemSetting: ({ params, body }, { ctx }) => settings(ctx).set(params.id, body.data.value),
  deleteSystemSetting: async ({ params }, { ctx }) => {
    await settings(ctx).reset(params.id);
    return { id: params.id };
  },

  getTemporaryFlags: ({ query }, { ctx }) => new TemporaryFlags(ctx.store.expiring, ctx.now).get(query.id),
  setTemporaryFlag: async ({ params, body }, { ctx }) => {
    await new TemporaryFlags(ctx.store.expiring, ctx.now).set(params.id, body?.value, body?.expires ?? 0);
    return null;
  },
  clearTemporaryFlag: async ({ params }, { ctx }) => {
    await new TemporaryFlags(ctx.store.expiring, ctx.now).clear(params.id);
    return null;
  },

  imageInfo: (_input, { ctx }) => imageInfoOf(ctx),
  systemInfo: async (_input, { ctx }) => ({
    ...imageInfoOf(ctx),
    WEB_BASE_URL: null,
    _WEB_CLIENT_ID_HEADER: 'X-Dff-Client-Id',
    _WEB_AUTH_HEADER: 'X-Dff-Auth-Token',
    _WEB_AUTH_QUERY: 'xDFFAuthToken',
    _WEB_TRACE_ID_HEADER: 'X-Trace-Id',
    _CAPTCHA_ENABLED: ctx.config.captcha,
    _TEMPORARY_FLAGS: TEMPORARY_FLAGS,
    // What DataFlux Func's console reads besides (its values here are Func's own).
    WEB_INNER_BASE_URL: null,
    GUANCE_NODES: [],
    INTEGRATED_SIGN_IN_FUNC: [],
    _WEB_CLIENT_UILOCALE_HEADER: 'X-Client-Ui-Locale',
    _WEB_CLIENT_TIME_HEADER: 'X-Client-Time',
    _FUNC_ARGUMENT_PLACEHOLDER_LIST: ARGUMENT_PLACEHOLDERS,
    _FUNC_TASK_TIMEOUT_MIN: TIMEOUT_MIN_S,
    _FUNC_TASK_TIMEOUT_MAX: TIMEOUT_MAX_S,
    _FUNC_TASK_TIMEOUT_DEFAULT: DEFAULT_TIMEOUT_S.direct,
    _FUNC_TASK_TIMEOUT_DEBUGGER: DEFAULT_TIMEOUT_S.debugger,
    _FUNC_TASK_DEFAULT_API_TIMEOUT: DEFAULT_TIMEOUT_S.syncAPI,
    _FUNC_TASK_MIN_API_TIMEOUT: TIMEOUT_MIN_S,
    _FUNC_TASK_MAX_API_TIMEOUT: TIMEOUT_MAX_S,
    _FUNC_TASK_QUEUE_DEFAULT: ctx.topology.queueMap.direct,
    _FUNC_TASK_QUEUE_CRON_JOB: ctx.topology.queueMap.cronJob,
    _FUNC_TASK_QUEUE_ASYNC_API: ctx.topology.queueMap.asyncAPI,
    _TASK_RECORD_LIMIT_MIN: TASK_RECORD_LIMIT_MIN,
    _TASK_RECORD_LIMIT_MAX: TASK_RECORD_LIMIT_MAX,
    _TASK_RECORD_FUNC_LIMIT_SYNC_API: DEFAULT_RECORD_LIMITS.syncAPI,
    _TASK_RECORD_FUNC_LIMIT_ASYNC_API: DEFAULT_RECORD_LIMITS.asyncAPI,
    _TASK_RECORD_FUNC_LIMIT_CRON_JOB: DEFAULT_RECORD_LIMITS.cronJob,
    _HEARTBEAT_INTERVAL: HEARTBEAT_EVERY_MS / 1000,
    _RESOURCE_UPLOAD_FILE_SIZE_LIMIT: ctx.config.uploadLimitBytes,
    SYSTEM_SETTINGS: await settings(ctx).get(),
  }),

  getSystemMetrics: async (_input, { ctx }) => {
    const { metrics } = requestRecords(ctx);
    await metrics.sampleIfOlder(10_000);
    return metrics.snapshot();
  },
  listAbnormalRequests: ({ params, query }, { ctx }) => {
    const { limit, offset } = entityPage(query, 100);
    return requestRecords(ctx).abnormal.list(params.type, offset, limit).items;
  },

  // No script market is kept: none to list, no update from one (DataFlux Func's console asks on every load).
  listScriptMarkets: () => [],
  checkScriptMarketUpdate: () => [],

  getTaskRecordCount: async ({ query }, { ctx }) => {
    const counts = await ctx.store.taskRecords.countBy(query.groupField, query.groupIds);
    return Object.fromEntries(Object.entries(counts).map(([groupId, count]) => [groupId, { groupId, count }]));
  },
};
