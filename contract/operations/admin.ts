/**
 * Administration, as DataFlux Func has it: operation records (the audit log), script recover
 * points and script-set clone, own password and profile, system settings, temporary flags,
 * system and image info, monitoring (system metrics, abnormal requests), captcha, task record counts.
 */
import { z } from 'zod';
import { operation } from '../operation.js';
import { epochMsQuery, idParams, idResult, jsonObject, optionalText, queryIntBetween, scriptSetIdField } from '../common.js';
import { captchaFields } from './auth.js';
import { pagingQuery } from './crud.js';
import { USER_NAME_MAX, userContact } from './entities.js';

/**
 * `a,b,c` in a query: the list of its non-empty parts. The key repeated (`k=a&k=b`, as generated
 * clients send an array) is the same list.
 */
export const commaArray = z.union([z.string().max(10_000), z.array(z.string().max(10_000)).max(1000)]).transform((v) =>
  (typeof v === 'string' ? [v] : v)
    .flatMap((s) => s.split(','))
    .map((x) => x.trim())
    .filter((x) => x !== ''),
);

export const operationRecord = z.object({
  id: z.string(),
  userId: z.string().nullable(),
  username: z.string().nullable(),
  operationId: z.string(),
  traceId: z.string(),
  clientId: z.string().nullable(),
  clientIPsJSON: z.array(z.string()),
  reqMethod: z.string(),
  reqRoute: z.string(),
  reqURL: z.string(),
  reqParamsJSON: jsonObject.nullable(),
  reqQueryJSON: jsonObject.nullable(),
  reqBodyJSON: z.unknown(),
  respStatusCode: z.number(),
  respReason: z.string().nullable(),
  ok: z.boolean(),
  reqCost: z.number(),
  createTime: z.number(),
  /** The operation's name by UI locale, as DataFlux Func's console reads it (`default` only: Func's names are English). */
  reqRouteNames: z.object({ default: z.string() }),
  /** The user joined, as DataFlux Func lists them (null when the user is gone). */
  u_id: z.string().nullable(),
  u_username: z.string().nullable(),
  u_name: z.string().nullable(),
  u_mobile: z.string().nullable(),
});

export const listOperationRecords = operation('listOperationRecords', 'GET /api/v1/operation-records/do/list', 'general_r', {
  summary: 'The audit log: every signed-in write (who, what, when, from where, redacted body, outcome), newest first',
  fieldSelecting: true,
  query: z
    .object({
      id: commaArray.optional(),
      userId: commaArray.optional(),
      username: commaArray.optional(),
      traceId: commaArray.optional(),
      reqMethod: commaArray.optional(),
      operationId: commaArray.optional(),
      reqRoute: z.string().max(1000).optional(),
      respStatusCode: queryIntBetween(100, 999).optional(),
      since: epochMsQuery.optional(),
      until: epochMsQuery.optional(),
      /** DataFlux Func's fuzzy search (server/routes/fuzzy-search.ts says which fields). */
      _fuzzySearch: z.string().max(1000).optional(),
      ...pagingQuery(1000),
    })
    .loose(),
  output: z.array(operationRecord),
});

export const RECOVER_POINT_TYPES = ['import', 'recover', 'manual'] as const;

export const recoverPoint = z.object({
  id: z.string(),
  type: z.enum(RECOVER_POINT_TYPES),
  note: z.string().nullable(),
  scriptSetCount: z.number(),
  scriptCount: z.number(),
  createTime: z.number(),
});

export const listScriptRecoverPoints = operation('listScriptRecoverPoints', 'GET /api/v1/script-recover-points/do/list', 'general_r', {
  summary: 'Script recover points (snapshots of every script set and script), newest first',
  fieldSelecting: true,
  query: z
    .object({
      id: commaArray.optional(),
      type: commaArray.pipe(z.array(z.enum(RECOVER_POINT_TYPES))).optional(),
      note: z.string().max(1000).optional(),
      /** DataFlux Func's fuzzy search: its recover point list searches the note. */
      _fuzzySearch: z.string().max(1000).optional(),
      ...pagingQuery(1000),
    })
    .loose(),
  output: z.array(recoverPoint),
});

export const addScriptRecoverPoint = operation('addScriptRecoverPoint', 'POST /api/v1/script-recover-points/do/add', 'general_w', {
  summary: 'Take a recover point by hand (a note is required)',
  body: z.object({ data: z.object({ note: z.string().trim().min(1).max(5000) }).loose() }).loose(),
  output: idResult,
});

export const recoverScriptRecoverPoint = operation('recoverScriptRecoverPoint', 'POST /api/v1/script-recover-points/:id/do/recover', 'general_w', {
  summary: "Write a recover point's script sets and scripts back (a `recover` point of the present is taken first)",
  params: idParams,
  output: z.null(),
});

export const cloneScriptSet = operation('cloneScriptSet', 'POST /api/v1/script-sets/:id/do/clone', 'general_w', {
  summary: 'Copy a script set under a new id, its scripts renamed `<newId>__<name>` (published ones published again)',
  params: idParams,
  body: z
    .object({
      newId: scriptSetIdField,
    })
    .loose(),
  output: idResult,
});

export const changePassword = operation('changePassword', 'POST /api/v1/auth/do/change-password', 'signedIn', {
  tokenOnly: true,
  summary: "Change one's own password (the old one is required); every token of the user ends and a new one is answered",
  body: z
    .object({
      ...captchaFields,
      changePassword: z.object({ oldPassword: z.string().min(1).max(100), newPassword: z.string().min(8).max(100) }).loose(),
    })
    .loose(),
  output: z.object({ xAuthToken: z.string() }),
});

export const modifyProfile = operation('modifyProfile', 'POST /api/v1/auth/profile/do/modify', 'signedIn', {
  tokenOnly: true,
  summary:
    "Change one's own name, email and mobile (DataFlux Func's fields; the users routes' lengths; null clears email or mobile; any other field, roles included, is refused naming it)",
  // Strict as DataFlux Func's route config checks it (object-checker: a field the config does not
  // list is "unexpected", 400): `data.roles` is refused naming it, never taken and quietly dropped.
  body: z
    .object({
      data: z
        .object({
          // The users routes' lengths, not DataFlux Func's shorter ones here (docs/compatibility.md): one's profile sent back unchanged is taken.
          name: optionalText(USER_NAME_MAX),
          ...userContact,
        })
        .strict(),
    })
    .strict(),
  output: idResult,
});

export const getSystemSettings = operation('getSystemSettings', 'GET /api/v1/system-settings/do/get', 'systemSetting_r', {
  summary: 'System settings (id → value; a setting nobody set answers its default)',
  query: z.object({ id: commaArray.optional() }).loose(),
  output: jsonObject,
});

export const setSystemSetting = operation('setSystemSetting', 'POST /api/v1/system-settings/:id/do/set', 'systemSetting_w', {
  tokenOnly: true,
  summary: 'Set one system setting (null or an empty value goes back to the default)',
  params: idParams,
  body: z.object({ data: z.object({ value: z.unknown() }).loose() }).loose(),
  output: z.object({ oldValue: z.unknown(), newValue: z.unknown() }),
});

export const deleteSystemSetting = operation('deleteSystemSetting', 'GET|POST /api/v1/system-settings/:id/do/delete', 'systemSetting_w', {
  tokenOnly: true,
  summary: 'Put one system setting back to its default',
  params: idParams,
  output: idResult,
});

export const getTemporaryFlags = operation('getTemporaryFlags', 'GET /api/v1/temporary-flags/do/get', 'user_r', {
  summary: 'Temporary flags: id → {value, ttl (s, -1 without expiry)}, {value: null, ttl: null} when not set (as DataFlux Func)',
  query: z.object({ id: commaArray.optional() }).loose(),
  output: z.record(z.string(), z.object({ value: z.unknown(), ttl: z.number().nullable() })),
});

export const setTemporaryFlag = operation('setTemporaryFlag', 'POST /api/v1/temporary-flags/:id/do/set', 'user_w', {
  summary: 'Set a temporary flag (pauseCronJobs: the beat fires no cron job while it is set), for `expires` seconds or until cleared',
  params: idParams,
  body: z
    .object({ value: z.unknown().optional(), expires: z.number().int().min(0).max(31_536_000).optional() })
    .loose()
    .optional(),
  output: z.null(),
});

export const clearTemporaryFlag = operation('clearTemporaryFlag', 'GET|POST /api/v1/temporary-flags/:id/do/clear', 'user_w', {
  summary: 'Clear a temporary flag',
  params: idParams,
  output: z.null(),
});

export const imageInfo = operation('imageInfo', 'GET /api/v1/image-info', 'none', {
  summary: 'What this build is: version, edition, architecture, platform',
  output: jsonObject,
});

export const systemInfo = operation('systemInfo', 'GET /api/v1/system-info', 'none', {
  summary: 'What a client needs to know of this server: version, mode, headers, limits, system settings (public ones)',
  output: jsonObject,
});

export const getSystemMetrics = operation('getSystemMetrics', 'GET /api/v1/monitor/system-metrics/do/get', 'general_r', {
  summary: "This server's CPU and memory, the queues' lengths (series of [time ms, value] sampled each minute) and today's requests per route",
  output: jsonObject,
});

export const ABNORMAL_REQUEST_TYPES = ['reqCost1000', 'reqCost5000', 'statusCode4xx', 'statusCode5xx'] as const;

export const abnormalRequest = z.object({
  traceId: z.string(),
  reqMethod: z.string(),
  reqURL: z.string(),
  reqRoute: z.string(),
  reqTime: z.string(),
  reqCost: z.number(),
  respTime: z.string(),
  respStatusCode: z.number(),
  respReason: z.string().nullable(),
  userId: z.string().nullable(),
});

export const listAbnormalRequests = operation('listAbnormalRequests', 'GET /api/v1/monitor/abnormal-requests/:type/do/list', 'general_r', {
  summary: 'Slow (reqCost1000, reqCost5000) or failed (statusCode4xx, statusCode5xx) requests this server answered, newest first (1000 kept per type)',
  params: z.object({ type: z.enum(ABNORMAL_REQUEST_TYPES) }),
  query: z.object(pagingQuery(1000)).loose(),
  output: z.array(abnormalRequest),
});

export const getCaptcha = operation('getCaptcha', 'GET /api/v1/captcha/do/get', 'none', {
  summary: 'A captcha image (SVG) for a client-chosen captchaToken; sign-in and change-password check it only when FUNC_CAPTCHA=true',
  raw: true,
  query: z.object({ captchaCategory: z.enum(['signIn', 'changePassword']), captchaToken: z.string().min(1).max(128) }).loose(),
  output: z.string(),
});

export const getTaskRecordCount = operation('getTaskRecordCount', 'GET /api/v1/task-records/func/do/get-count', 'general_r', {
  summary: 'How many task records each origin or function has: groupId → {groupId, count} (ids without records are left out)',
  query: z.object({ groupField: z.enum(['originId', 'funcId']), groupIds: commaArray.pipe(z.array(z.string()).min(1).max(1000)) }).loose(),
  output: z.record(z.string(), z.object({ groupId: z.string(), count: z.number() })),
});
