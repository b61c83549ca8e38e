/**
 * DataFlux Func's administration routes on a real embedded stack: operation records (the audit
 * log), script recover points and clone, change password and profile, system settings,
 * temporary flags (pauseCronJobs stops the beat), system/image info, monitoring, captcha, task
 * record counts; bad input answers 4xx naming the field.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmbeddedStack } from '../src/wiring/embedded-stack.js';
import { ADMIN_PASSWORD, eventually, testStackConfig, useTestStack, type ApiResponse } from '../src/testing/test-stack.js';

const V1 = "import time\n\n@DFF.API('Version')\ndef version():\n    return 1\n";
const V2 = "import time\n\n@DFF.API('Version')\ndef version():\n    return 2\n";

const t = useTestStack({ rp__main: V1 });

interface Record_ {
  operationId: string;
  username: string;
  reqMethod: string;
  reqRoute: string;
  reqBodyJSON: unknown;
  respStatusCode: number;
  respReason: string | null;
  ok: boolean;
  clientIPsJSON: string[];
  traceId: string;
  reqCost: number;
}

/** What these tests read of an answer (the test client's raw answer has more). */
type Answer = Pick<ApiResponse, 'status' | 'body' | 'text'>;

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names what the envelope carries
const data = <T>(r: Answer): T => {
  expect(r.status, r.text).toBe(200);
  return r.body.data as T;
};

function expectField(r: Answer, status: number, field: string): void {
  expect(r.status, r.text).toBe(status);
  expect(r.body.detail?.field, r.text).toBe(field);
}

const callVersion = async (funcId: string): Promise<unknown> => data<{ result: unknown }>(await t.admin('POST', `/api/v1/func/${funcId}`, { kwargs: {} })).result;

async function records(query: string): Promise<Record_[]> {
  return data<Record_[]>(await t.admin('GET', `/api/v1/operation-records/do/list?${query}`));
}

describe('operation records', () => {
  it('records each signed-in write with who, what, where and outcome, secrets masked; reads and function runs are not recorded', async () => {
    // Runs (as DataFlux Func: their privilege there is general_r) go before the write the test waits for.
    expect(await callVersion('rp__main.version')).toBe(1);
    expect(data<{ id: string }>(await t.admin('POST', '/api/v1/func/rp__main.version', { kwargs: {}, options: { async: true } })).id).toBeTruthy();
    const add = await t.admin('POST', '/api/v1/users/do/add', { data: { username: 'audited', name: 'Audited', password: 'audit-secret-123', roles: ['user'] } });
    expect(add.status, add.text).toBe(200);
    const bad = await t.admin('POST', '/api/v1/users/do/add', { data: { username: 'x', name: 'X', password: 'short' } });
    expect(bad.status).toBe(400);
    // DataFlux Func's console reads each user's sessions (none kept here: tokens are checked without a lookup).
    const users = data<{ sessions: unknown[] }[]>(await t.admin('GET', '/api/v1/users/do/list'));
    expect(users.every((u) => Array.isArray(u.sessions) && u.sessions.length === 0)).toBe(true);
    const rows = await eventually(async () => {
      const r = await records('operationId=addUser');
      return r.length >= 2 ? r : undefined;
    });
    expect(rows.length).toBe(2);
    const [failed, done] = rows;
    expect(done).toMatchObject({ operationId: 'addUser', username: 'admin', reqMethod: 'POST', reqRoute: '/api/v1/users/do/add', respStatusCode: 200, respReason: null, ok: true });
    // The name DataFlux Func's console shows (it reads reqRouteNames[locale] || .default).
    expect((done as unknown as { reqRouteNames: unknown }).reqRouteNames).toEqual({ default: 'Add User' });
    expect(done).toMatchObject({ u_id: 'u-admin', u_username: 'admin' });
    expect(done!.reqBodyJSON).toEqual({ data: { username: 'audited', name: 'Audited', password: '***', roles: ['user'] } });
    expect(done!.clientIPsJSON.length).toBe(1);
    expect(done!.traceId).toBe(add.body.traceId);
    expect(failed).toMatchObject({ respStatusCode: 400, respReason: 'EClientBadRequest', ok: false });
    expect(JSON.stringify(rows)).not.toContain('audit-secret-123');
    expect(await records('operationId=listUsers')).toEqual([]);
    const operations = new Set((await records('username=admin')).map((r) => r.operationId));
    expect(operations.has('addUser') && operations.has('publishScript'), [...operations].join()).toBe(true);
    expect(operations.has('callFunc')).toBe(false);
    // Filters: by user, by method, by route substring, by status.
    expect((await records('username=admin&respStatusCode=400&operationId=addUser')).length).toBe(1);
    expect((await records('reqRoute=users/do&operationId=addUser&reqMethod=post')).length).toBe(2);
    expect(await records('username=nobody')).toEqual([]);
  });

  it('refuses bad filters naming the field', async () => {
    expectField(await t.admin('GET', '/api/v1/operation-records/do/list?respStatusCode=abc'), 400, 'query.respStatusCode');
    expectField(await t.admin('GET', '/api/v1/operation-records/do/list?pageSize=0'), 400, 'query.pageSize');
  });
});

interface Point {
  id: string;
  type: string;
  note: string | null;
  scriptSetCount: number;
  scriptCount: number;
}

describe('script recover points and clone', () => {
  it('takes a point by hand, one before an import, one before a recover, and recovers scripts and functions', async () => {
    expectField(await t.admin('POST', '/api/v1/script-recover-points/do/add', { data: {} }), 400, 'body.data.note');
    expectField(await t.admin('POST', '/api/v1/script-recover-points/do/add', { data: { note: '   ' } }), 400, 'body.data.note');
    const manual = data<{ id: string }>(await t.admin('POST', '/api/v1/script-recover-points/do/add', { data: { note: 'before v2' } })).id;

    expect(await t.publish('rp__main', V2)).toBeTruthy();
    await t.add('/api/v1/scripts/do/add', { id: 'rp__extra', codeDraft: '# added after the point\n' });
    expect(await callVersion('rp__main.version')).toBe(2);

    const bundle = data<Record<string, unknown>>(await t.admin('GET', '/api/v1/script-sets/rp/do/export'));
    const imported = await t.admin('POST', '/api/v1/script-sets/do/import', { data: { ...bundle, scriptSet: { ...(bundle.scriptSet as object), id: 'rpimp' }, scripts: [] } });
    expect(imported.status, imported.text).toBe(200);
    const points = data<Point[]>(await t.admin('GET', '/api/v1/script-recover-points/do/list'));
    expect(points.map((p) => p.type)).toEqual(['import', 'manual']);
    expect(points[1]).toMatchObject({ id: manual, note: 'before v2', scriptSetCount: 1, scriptCount: 1 });
    expect(points[0]!.scriptCount).toBe(2);

    expect(data(await t.admin('POST', `/api/v1/script-recover-points/${manual}/do/recover`))).toBeNull();
    expect(await callVersion('rp__main.version')).toBe(1);
    const main = data<{ code: string; codeDraft: string }>(await t.admin('GET', '/api/v1/scripts/rp__main/do/get'));
    expect(main.code).toBe(V1);
    expect(main.codeDraft).toBe(V1);
    // The set's scripts not in the point are gone; sets added since stay.
    expect(data<unknown[]>(await t.admin('GET', '/api/v1/scripts/do/list?id=rp__extra'))).toEqual([]);
    expect(data<unknown[]>(await t.admin('GET', '/api/v1/script-sets/do/list?id=rpimp')).length).toBe(1);
    const after = data<Point[]>(await t.admin('GET', '/api/v1/script-recover-points/do/list'));
    expect(after.map((p) => p.type)).toEqual(['recover', 'import', 'manual']);
    // Recovering the point taken before the recover undoes it.
    expect(data(await t.admin('POST', `/api/v1/script-recover-points/${after[0]!.id}/do/recover`))).toBeNull();
    expect(await callVersion('rp__main.version')).toBe(2);
    expect(data<unknown[]>(await t.admin('GET', '/api/v1/scripts/do/list?id=rp__extra')).length).toBe(1);

    expect(data<Point[]>(await t.admin('GET', '/api/v1/script-recover-points/do/list?type=manual')).map((p) => p.id)).toEqual([manual]);
    expect(data<Point[]>(await t.admin('GET', '/api/v1/script-recover-points/do/list?note=before%20v')).map((p) => p.id)).toEqual([manual]);
    expectField(await t.admin('GET', '/api/v1/script-recover-points/do/list?type=bogus'), 400, 'query.type.0');
    expectField(await t.admin('POST', '/api/v1/script-recover-points/srpt-nosuch/do/recover'), 404, 'id');
  }, 60_000);

  it('clones a set under a new id with its scripts renamed and published', async () => {
    const r = data<{ id: string }>(await t.admin('POST', '/api/v1/script-sets/rp/do/clone', { newId: 'rp_copy' }));
    expect(r).toEqual({ id: 'rp_copy' });
    const scripts = data<{ id: string }[]>(await t.admin('GET', '/api/v1/scripts/do/list?scriptSetId=rp_copy'));
    expect(scripts.map((s) => s.id).sort()).toEqual(['rp_copy__extra', 'rp_copy__main']);
    expect(data<{ code: string }>(await t.admin('GET', '/api/v1/scripts/rp_copy__main/do/get')).code).toBe(V2);
    expect(await callVersion('rp_copy__main.version')).toBe(2);
    expect(await callVersion('rp__main.version')).toBe(2);
    expectField(await t.admin('POST', '/api/v1/script-sets/rp/do/clone', { newId: 'rp_copy' }), 409, 'newId');
    expectField(await t.admin('POST', '/api/v1/script-sets/rp/do/clone', { newId: 'a__b' }), 400, 'body.newId');
    expectField(await t.admin('POST', '/api/v1/script-sets/rp/do/clone', {}), 400, 'body.newId');
    expectField(await t.admin('POST', '/api/v1/script-sets/nosuch/do/clone', { newId: 'other' }), 404, 'id');
  }, 60_000);
});

describe('own password and profile', () => {
  it('changes the password with the old one, ends the old tokens and answers a new one', async () => {
    await t.add('/api/v1/users/do/add', { username: 'changer', name: 'Changer', password: 'first-password-1', roles: ['readonlyUser'] });
    const signIn = async (password: string): Promise<Answer> => t.api('POST', '/api/v1/auth/do/sign-in', { signIn: { username: 'changer', password } });
    const token = data<{ xAuthToken: string }>(await signIn('first-password-1')).xAuthToken;
    const as = (tok: string) => (method: 'GET' | 'POST', url: string, body?: unknown) => t.api(method, url, body, { 'x-dff-auth-token': tok });
    const wrong = await as(token)('POST', '/api/v1/auth/do/change-password', { changePassword: { oldPassword: 'nope-nope-1', newPassword: 'second-password-2' } });
    expectField(wrong, 401, 'changePassword.oldPassword');
    expectField(
      await as(token)('POST', '/api/v1/auth/do/change-password', { changePassword: { oldPassword: 'first-password-1', newPassword: 'short' } }),
      400,
      'body.changePassword.newPassword',
    );
    expectField(await as(token)('POST', '/api/v1/auth/do/change-password', {}), 400, 'body.changePassword');
    const changed = await as(token)('POST', '/api/v1/auth/do/change-password', {
      captchaToken: 'ignored',
      captcha: '0000',
      changePassword: { oldPassword: 'first-password-1', newPassword: 'second-password-2' },
    });
    const fresh = data<{ xAuthToken: string }>(changed).xAuthToken;
    expect((await as(token)('GET', '/api/v1/auth/profile/do/get')).status).toBe(401);
    expect((await as(fresh)('GET', '/api/v1/auth/profile/do/get')).status).toBe(200);
    expect((await signIn('first-password-1')).status).toBe(401);
    expect((await signIn('second-password-2')).status).toBe(200);

    expectField(await as(fresh)('POST', '/api/v1/auth/profile/do/modify', { data: { name: 'x'.repeat(257) } }), 400, 'body.data.name');
    expectField(await as(fresh)('POST', '/api/v1/auth/profile/do/modify', { data: { email: `${'e'.repeat(89)}@example.com` } }), 400, 'body.data.email');
    expect(data(await as(fresh)('POST', '/api/v1/auth/profile/do/modify', { data: { name: 'Changer Name', email: 'c@example.com' } }))).toMatchObject({
      id: expect.any(String) as unknown,
    });
    expect(data<{ name: string }>(await as(fresh)('GET', '/api/v1/auth/profile/do/get')).name).toBe('Changer Name');
    // Email and mobile are kept, as DataFlux Func's modifyProfile keeps them, and users/do/get shows them.
    const userId = data<{ id: string }>(await as(fresh)('GET', '/api/v1/auth/profile/do/get')).id;
    expect(data(await as(fresh)('GET', '/api/v1/auth/profile/do/get'))).toMatchObject({ email: 'c@example.com', mobile: null });
    expect(data(await t.admin('GET', `/api/v1/users/${userId}/do/get`))).toMatchObject({ name: 'Changer Name', email: 'c@example.com', mobile: null });
    expect((await as(fresh)('POST', '/api/v1/auth/profile/do/modify', { data: { mobile: '18600000000', email: null } })).status).toBe(200);
    expect(data(await t.admin('GET', `/api/v1/users/${userId}/do/get`))).toMatchObject({ name: 'Changer Name', email: null, mobile: '18600000000' });
    expectField(await as(fresh)('POST', '/api/v1/auth/profile/do/modify', { data: { mobile: '1'.repeat(21) } }), 400, 'body.data.mobile');
    // A field the profile cannot change (roles, username, ...) is refused naming it, as DataFlux Func's route config refuses it; nothing changes.
    expectField(await as(fresh)('POST', '/api/v1/auth/profile/do/modify', { data: { name: 'Root', roles: ['sa'] } }), 400, 'body.data.roles');
    expectField(await as(fresh)('POST', '/api/v1/auth/profile/do/modify', { data: { name: 'Root' }, roles: ['sa'] }), 400, 'body.roles');
    expect(data(await t.admin('GET', `/api/v1/users/${userId}/do/get`))).toMatchObject({ name: 'Changer Name', roles: ['readonlyUser'] });
    // What an administrator may give (the users routes' lengths, past DataFlux Func's 50 here) the user may send back unchanged.
    const long = { name: 'N'.repeat(256), email: `${'e'.repeat(88)}@example.com`, mobile: '1'.repeat(20) };
    expect((await t.admin('POST', `/api/v1/users/${userId}/do/modify`, { data: long })).status).toBe(200);
    const mine = data<Record<string, unknown>>(await as(fresh)('GET', '/api/v1/auth/profile/do/get'));
    const sentBack = await as(fresh)('POST', '/api/v1/auth/profile/do/modify', { data: { name: mine.name, email: mine.email, mobile: mine.mobile } });
    expect(sentBack.status, sentBack.text).toBe(200);
    expect(data(await as(fresh)('GET', '/api/v1/auth/profile/do/get'))).toMatchObject(long);
    // The audit log holds the change without either password.
    const rows = await eventually(async () => {
      const r = await records('operationId=changePassword&respStatusCode=200');
      return r.length >= 1 ? r : undefined;
    });
    expect(rows[0]!.username).toBe('changer');
    expect(rows[0]!.reqBodyJSON).toEqual({ captchaToken: 'ignored', captcha: '***', changePassword: { oldPassword: '***', newPassword: '***' } });
  });
});

describe('system settings, temporary flags, info', () => {
  it("a user deleted elsewhere (another server, auth's user cache still warm here) gets 401 from profile, not the old profile", async () => {
    await t.add('/api/v1/users/do/add', { username: 'gone-soon', name: 'Gone', password: 'gone-password-1', roles: ['readonlyUser'] });
    const signedIn = await t.api('POST', '/api/v1/auth/do/sign-in', { signIn: { username: 'gone-soon', password: 'gone-password-1' } });
    const headers = { 'x-dff-auth-token': data<{ xAuthToken: string }>(signedIn).xAuthToken };
    const { id } = data<{ id: string }>(await t.api('GET', '/api/v1/auth/profile/do/get', undefined, headers));
    // Deleted in the store without this server hearing of it, as another server's delete is.
    await t.stack.store.entity('users').delete(id);
    const after = await t.api('GET', '/api/v1/auth/profile/do/get', undefined, headers);
    expect(after.status, after.text).toBe(401);
  });

  it('answers defaults, persists a set value, refuses unknown ids and bad values, resets', async () => {
    const all = data<Record<string, unknown>>(await t.admin('GET', '/api/v1/system-settings/do/get'));
    expect(all).toMatchObject({ NOTICE_BAR_ENABLED: false, NOTICE_BAR_COLOR: '#FF6600', NAVI_DOC_LINK_ENABLED: true });
    expect(data(await t.admin('POST', '/api/v1/system-settings/NOTICE_BAR_TEXT/do/set', { data: { value: 'Maintenance at 10' } }))).toEqual({
      oldValue: null,
      newValue: 'Maintenance at 10',
    });
    expect(data(await t.admin('GET', '/api/v1/system-settings/do/get?id=NOTICE_BAR_TEXT,NOTICE_BAR_ENABLED'))).toEqual({
      NOTICE_BAR_TEXT: 'Maintenance at 10',
      NOTICE_BAR_ENABLED: false,
    });
    expect(data<{ SYSTEM_SETTINGS: Record<string, unknown> }>(await t.api('GET', '/api/v1/system-info')).SYSTEM_SETTINGS.NOTICE_BAR_TEXT).toBe('Maintenance at 10');
    expectField(await t.admin('POST', '/api/v1/system-settings/NO_SUCH/do/set', { data: { value: 1 } }), 400, 'params.id');
    expectField(await t.admin('POST', '/api/v1/system-settings/NOTICE_BAR_ENABLED/do/set', { data: { value: 'yes' } }), 400, 'data.value');
    expectField(await t.admin('POST', '/api/v1/system-settings/NOTICE_BAR_COLOR/do/set', { data: { value: 'red' } }), 400, 'data.value');
    expectField(await t.admin('POST', '/api/v1/system-settings/NOTICE_BAR_TEXT/do/set', {}), 400, 'body.data');
    expectField(await t.admin('GET', '/api/v1/system-settings/do/get?id=NO_SUCH'), 400, 'query.id');
    expect((await t.admin('GET', '/api/v1/system-settings/NOTICE_BAR_TEXT/do/delete')).status).toBe(200);
    expect(data(await t.admin('GET', '/api/v1/system-settings/do/get?id=NOTICE_BAR_TEXT'))).toEqual({ NOTICE_BAR_TEXT: null });
  });

  it('sets, reads and clears pauseCronJobs, and the beat fires nothing while it is set', async () => {
    // Not set: {value: null, ttl: null}, as DataFlux Func answers (its console reads .ttl).
    expect(data(await t.admin('GET', '/api/v1/temporary-flags/do/get'))).toEqual({ pauseCronJobs: { value: null, ttl: null } });
    expect(data(await t.admin('POST', '/api/v1/temporary-flags/pauseCronJobs/do/set', { expires: 60 }))).toBeNull();
    const flag = data<{ pauseCronJobs: { value: number; ttl: number } }>(await t.admin('GET', '/api/v1/temporary-flags/do/get?id=pauseCronJobs')).pauseCronJobs;
    expect(flag.ttl).toBeGreaterThan(55);
    expect(flag.ttl).toBeLessThanOrEqual(60);
    expect(Math.abs(flag.value - Date.now() / 1000)).toBeLessThan(60);

    await t.add('/api/v1/cron-jobs/do/add', { id: 'paused-job', funcId: 'rp__main.version', cronExpr: '* * * * * *', funcCallKwargsJSON: {} });
    await new Promise((r) => setTimeout(r, 1100));
    expect(await t.stack.beat.tick()).toEqual({ fired: 0, skipped: 0, missed: 0 });
    expect(data(await t.admin('GET', '/api/v1/temporary-flags/pauseCronJobs/do/clear'))).toBeNull();
    expect((await t.stack.beat.tick()).fired).toBeGreaterThan(0);
    await t.admin('POST', '/api/v1/cron-jobs/paused-job/do/delete');

    expectField(await t.admin('POST', '/api/v1/temporary-flags/restartEverything/do/set', {}), 400, 'params.id');
    expectField(await t.admin('POST', '/api/v1/temporary-flags/pauseCronJobs/do/set', { expires: -1 }), 400, 'body.expires');
  });

  it('answers image and system info to anyone', async () => {
    const image = data<Record<string, unknown>>(await t.api('GET', '/api/v1/image-info'));
    expect(image).toMatchObject({ VERSION: t.stack.ctx.version, EDITION: 'func' });
    const info = data<Record<string, unknown>>(await t.api('GET', '/api/v1/system-info'));
    expect(info).toMatchObject({ VERSION: t.stack.ctx.version, _WEB_AUTH_HEADER: 'X-Dff-Auth-Token', _CAPTCHA_ENABLED: false });
    // What DataFlux Func's own console reads from it (a missing one breaks its pages), with Func's values.
    expect(info).toMatchObject({
      GUANCE_NODES: [],
      _FUNC_ARGUMENT_PLACEHOLDER_LIST: ['INPUT_BY_CALLER', 'FROM_PARAMETER'],
      _HEARTBEAT_INTERVAL: 2,
      _FUNC_TASK_TIMEOUT_MIN: 1,
      _FUNC_TASK_TIMEOUT_MAX: 3600,
      _FUNC_TASK_QUEUE_DEFAULT: t.stack.ctx.topology.queueMap.direct,
      _FUNC_TASK_QUEUE_CRON_JOB: t.stack.ctx.topology.queueMap.cronJob,
      _TASK_RECORD_LIMIT_MAX: 10_000,
      _RESOURCE_UPLOAD_FILE_SIZE_LIMIT: t.stack.ctx.config.uploadLimitBytes,
    });
    for (const key of ['_TASK_RECORD_FUNC_LIMIT_SYNC_API', '_TASK_RECORD_FUNC_LIMIT_ASYNC_API', '_TASK_RECORD_FUNC_LIMIT_CRON_JOB', '_FUNC_TASK_TIMEOUT_DEFAULT']) {
      expect(info[key], key).toBeGreaterThan(0);
    }
  });
});

describe('monitoring and task record counts', () => {
  it('answers system metrics series and abnormal (failed) requests', async () => {
    await t.admin('GET', '/api/v1/monitor/system-metrics/do/get');
    const m = data<Record<string, Record<string, [number, number][]> | [string, number][]>>(await t.admin('GET', '/api/v1/monitor/system-metrics/do/get'));
    const rss = Object.values(m.serverMemoryRSS as Record<string, [number, number][]>)[0]!;
    expect(rss.length).toBeGreaterThan(0);
    expect(rss.at(-1)![1]).toBeGreaterThan(10);
    expect(Object.keys(m.workerQueueLength as object).length).toBeGreaterThan(0);
    expect((m.matchedRouteCount as [string, number][]).some(([route]) => route === 'GET /api/v1/monitor/system-metrics/do/get')).toBe(true);

    const missing = await t.admin('GET', '/api/v1/scripts/no_such__x/do/get');
    expect(missing.status).toBe(404);
    const list = data<{ traceId: string; respStatusCode: number; respReason: string; reqRoute: string }[]>(
      await t.admin('GET', '/api/v1/monitor/abnormal-requests/statusCode4xx/do/list'),
    );
    expect(list[0]).toMatchObject({ traceId: missing.body.traceId, respStatusCode: 404, respReason: 'EClientNotFound', reqRoute: '/api/v1/scripts/:id/do/get' });
    expect(data<unknown[]>(await t.admin('GET', '/api/v1/monitor/abnormal-requests/statusCode5xx/do/list'))).toEqual([]);
    expectField(await t.admin('GET', '/api/v1/monitor/abnormal-requests/slow/do/list'), 400, 'params.type');
  });

  it("counts task records per function or origin, and lists them at DataFlux Func's other path", async () => {
    await callVersion('rp__main.version');
    await callVersion('rp__main.version');
    const counts = data<Record<string, { groupId: string; count: number }>>(
      await t.admin('GET', '/api/v1/task-records/func/do/get-count?groupField=funcId&groupIds=rp__main.version,nosuch.f'),
    );
    expect(Object.keys(counts)).toEqual(['rp__main.version']);
    // The key repeated, as a generated client sends an array: the same list.
    const repeated = await t.admin('GET', '/api/v1/task-records/func/do/get-count?groupField=funcId&groupIds=rp__main.version&groupIds=nosuch.f');
    expect(data<Record<string, unknown>>(repeated)).toEqual(counts);
    const listed = data<unknown[]>(await t.admin('GET', '/api/v1/task-records/do/list?funcId=rp__main.version&pageSize=1000'));
    expect(counts['rp__main.version']!.count).toBe(listed.length);
    expect(listed.length).toBeGreaterThanOrEqual(2);
    expectField(await t.admin('GET', '/api/v1/task-records/func/do/get-count?groupIds=a'), 400, 'query.groupField');
    expectField(await t.admin('GET', '/api/v1/task-records/func/do/get-count?groupField=funcId'), 400, 'query.groupIds');
    expectField(await t.admin('GET', '/api/v1/task-records/func/do/get-count?groupField=status&groupIds=a'), 400, 'query.groupField');
  });
});

describe('captcha', () => {
  it('answers an SVG image for a token, and refuses a request without one', async () => {
    const r = await t.api('GET', '/api/v1/captcha/do/get?captchaCategory=signIn&captchaToken=tok-1');
    expect(r.status).toBe(200);
    expect(String(r.headers['content-type'])).toContain('image/svg+xml');
    expect(r.text).toMatch(/^<svg /);
    // The captcha is off: no answer is kept (asking for images writes nothing).
    expect(await t.stack.store.expiring.get('captcha:signIn:tok-1', Date.now())).toBeUndefined();
    expectField(await t.api('GET', '/api/v1/captcha/do/get?captchaCategory=signIn'), 400, 'query.captchaToken');
    expectField(await t.api('GET', '/api/v1/captcha/do/get?captchaCategory=other&captchaToken=x'), 400, 'query.captchaCategory');
  });

  it('with FUNC_CAPTCHA=true, sign-in needs the right captcha, good once', async () => {
    const home = mkdtempSync(join(tmpdir(), 'func-captcha-'));
    const config = testStackConfig(home, { FUNC_CAPTCHA: 'true' });
    const stack = await startEmbeddedStack(config, { beatTimer: false });
    try {
      const call = async (method: 'GET' | 'POST', url: string, body?: object): Promise<Answer> => {
        const res = await stack.app.inject({ method, url, ...(body ? { payload: body as Record<string, unknown> } : {}) });
        return { status: res.statusCode, body: JSON.parse(res.body || '{}') as ApiResponse['body'], text: res.body };
      };
      const signIn = { username: 'admin', password: ADMIN_PASSWORD };
      expectField(await call('POST', '/api/v1/auth/do/sign-in', { signIn }), 400, 'captchaToken');
      expectField(await call('POST', '/api/v1/auth/do/sign-in', { signIn, captchaToken: 'tok-2', captcha: '1234' }), 400, 'captcha');
      expect((await stack.app.inject({ method: 'GET', url: '/api/v1/captcha/do/get?captchaCategory=signIn&captchaToken=tok-2' })).statusCode).toBe(200);
      const answer = String((await stack.store.expiring.get('captcha:signIn:tok-2', Date.now()))!.value);
      expect(answer).toMatch(/^\d{4}$/);
      const wrongAnswer = answer === '0000' ? '1111' : '0000';
      expectField(await call('POST', '/api/v1/auth/do/sign-in', { signIn, captchaToken: 'tok-2', captcha: wrongAnswer }), 400, 'captcha');
      // A wrong guess used it up: a new image, then the right answer, once.
      await stack.app.inject({ method: 'GET', url: '/api/v1/captcha/do/get?captchaCategory=signIn&captchaToken=tok-2' });
      const right = String((await stack.store.expiring.get('captcha:signIn:tok-2', Date.now()))!.value);
      expect((await call('POST', '/api/v1/auth/do/sign-in', { signIn, captchaToken: 'tok-2', captcha: right })).status).toBe(200);
      expectField(await call('POST', '/api/v1/auth/do/sign-in', { signIn, captchaToken: 'tok-2', captcha: right }), 400, 'captcha');
      // An answer for another category does not count.
      await stack.app.inject({ method: 'GET', url: '/api/v1/captcha/do/get?captchaCategory=changePassword&captchaToken=tok-3' });
      const other = String((await stack.store.expiring.get('captcha:changePassword:tok-3', Date.now()))!.value);
      expectField(await call('POST', '/api/v1/auth/do/sign-in', { signIn, captchaToken: 'tok-3', captcha: other }), 400, 'captcha');
    } finally {
      await stack.close();
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);
});
