/**
 * Every operation of the contract × every role, over HTTP on a real stack. The expectations are
 * written here, apart from the contract: an operation missing from this table, or whose declared
 * permission lets in a role this table refuses (or the reverse), fails the suite.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeaders, signRequest } from '../../contract/client/access-key.js';
import { pythonJsonDumps } from '../../contract/signing.js';
import { operations, type OperationId } from '../../contract/index.js';
import { ROLES, type Role } from '../../contract/permissions.js';
import { startTestStack, type TestStack } from '../src/testing/test-stack.js';

const EVERYONE: readonly Role[] = ['admin', 'user', 'readonlyUser', 'customUser'];
const READERS: readonly Role[] = ['admin', 'user', 'readonlyUser'];
const WRITERS: readonly Role[] = ['admin', 'user'];
const ADMINS: readonly Role[] = ['admin'];

const crud = (name: string, read: readonly Role[], write: readonly Role[]): Record<string, readonly Role[]> => ({
  [`list${name}s`]: read,
  [`get${name}`]: read,
  [`add${name}`]: write,
  [`modify${name}`]: write,
  [`delete${name}`]: write,
});

/** `roles` for each of `ids`. */
const allow = (roles: readonly Role[], ids: readonly string[]): Record<string, readonly Role[]> => Object.fromEntries(ids.map((id) => [id, roles]));

/** Which roles may call each signed-in operation. */
const ALLOWED: Record<string, readonly Role[]> = {
  ...allow(EVERYONE, ['signOut', 'profile', 'changePassword', 'modifyProfile']),
  ...allow(READERS, [
    'getTemporaryFlags',
    'getSystemMetrics',
    'listAbnormalRequests',
    'listOperationRecords',
    'listScriptRecoverPoints',
    'listScriptSetExportHistory',
    'listScriptSetImportHistory',
    'getTaskRecordCount',
    'listScriptMarkets',
    'checkScriptMarketUpdate',
    'getTask',
    'listTaskRecords',
    'diffTaskRecords',
    'listDeadLetters',
    'getSystemReport',
    'getDetailedRedisReport',
    'listFuncCaches',
    'getFuncCache',
    'listFuncStores',
    'getFuncStore',
    'getTopology',
    'events',
    'streamTaskLogs',
    'getCapacity',
    'getCronForecast',
    'getAlerts',
    'listPublishHistory',
    'listScriptPublishHistory',
    'exportScriptSet',
    'listFuncs',
    'getFunc',
    'listApiAuth',
    'getApiAuth',
    'listCronJobRecentTriggered',
    'describeFunc',
    'funcOverview',
    'funcList',
    'funcTagList',
    'listResources',
    'getResource',
    'downloadResource',
    'listInstalledPythonPackages',
    'getPythonPackageInstallStatus',
    'listConnectorSubInfo',
  ]),
  ...allow(WRITERS, [
    'addScriptRecoverPoint',
    'recoverScriptRecoverPoint',
    'cloneScriptSet',
    'callFunc',
    'callFuncDraft',
    'runCronJob',
    'cancelTask',
    'clearWorkerQueues',
    'deployScriptSet',
    'replayTask',
    'requeueDeadLetters',
    'deleteFuncCache',
    'deleteFuncStore',
    'publishScript',
    'discoverScriptDraft',
    'importScriptSet',
    'exportScriptSets',
    'confirmImportScriptSets',
    'addApiAuth',
    'modifyApiAuth',
    'deleteApiAuth',
    'addManySyncApis',
    'modifyManySyncApis',
    'deleteManySyncApis',
    'addManyAsyncApis',
    'modifyManyAsyncApis',
    'deleteManyAsyncApis',
    'addManyCronJobs',
    'modifyManyCronJobs',
    'deleteManyCronJobs',
    'callFuncMany',
    'uploadResource',
    'operateResource',
    'clearPythonPackageInstallStatus',
    'installPythonPackages',
    'queryConnector',
    'deployBlueprint',
  ]),
  ...allow(ADMINS, [
    'getSystemSettings',
    'setSystemSetting',
    'deleteSystemSetting',
    'setTemporaryFlag',
    'clearTemporaryFlag',
    'getStack',
    'getStackChange',
    'planStackChange',
    'applyStackChange',
    'listStackChanges',
    'listAutoscalePolicies',
    'setAutoscalePolicy',
    'pauseAutoscalePolicy',
    'deleteAutoscalePolicy',
    'setAlertRules',
  ]),
  ...crud('ScriptSet', READERS, WRITERS),
  ...crud('Script', READERS, WRITERS),
  ...crud('SyncApi', READERS, WRITERS),
  ...crud('AsyncApi', READERS, WRITERS),
  ...crud('CronJob', READERS, WRITERS),
  ...crud('EnvVariable', READERS, WRITERS),
  ...crud('AccessKey', ADMINS, ADMINS),
  ...crud('User', READERS, ADMINS),
  ...crud('FileService', READERS, WRITERS),
  ...crud('Connector', READERS, WRITERS),
  ...crud('Blueprint', READERS, WRITERS),
};

/**
 * Operations a signed-in token only may call, refused to an access key whatever its user may do:
 * DataFlux Func's 16 `authType: builtin.byXAuthToken` routes (server/route.yaml) that Func has (its
 * access-key test-webhook and debug put-task it has not).
 */
const TOKEN_ONLY = [
  'changePassword',
  'modifyProfile',
  'listUsers',
  'getUser',
  'addUser',
  'modifyUser',
  'deleteUser',
  'listAccessKeys',
  'getAccessKey',
  'addAccessKey',
  'modifyAccessKey',
  'deleteAccessKey',
  'setSystemSetting',
  'deleteSystemSetting',
];

/** Operations anyone may call (their own API auth applies to published APIs). */
const PUBLIC = [
  'ping',
  'echo',
  'healthz',
  'metrics',
  'openapi',
  'describeApi',
  'deprecatedMetrics',
  'signIn',
  'callSyncApi',
  'callAsyncApi',
  'serveFileService',
  'funcApiList',
  'authLinkFuncList',
  'imageInfo',
  'systemInfo',
  'getCaptcha',
];

const PASSWORD = 'role-password-123';
let t: TestStack;
let base: string;
const tokens = new Map<Role, string>();

beforeAll(async () => {
  t = await startTestStack();
  base = await t.stack.app.listen({ port: 0, host: '127.0.0.1' });
  for (const role of ROLES) {
    await t.add('/api/v1/users/do/add', { username: `as-${role}`, name: role, password: PASSWORD, roles: [role] });
    tokens.set(role, await signIn(`as-${role}`));
  }
}, 60_000);
afterAll(async () => t.close());

async function signIn(username: string): Promise<string> {
  const r = await t.api('POST', '/api/v1/auth/do/sign-in', { signIn: { username, password: PASSWORD } });
  expect(r.status, r.text).toBe(200);
  return (r.body.data as { xAuthToken: string }).xAuthToken;
}

interface Answer {
  status: number;
  reason?: string;
  permission?: unknown;
}

/** Headers that sign a request with an access key. */
async function keyHeaders(key: { id: string; secret: string }, method: string, path: string, bodyText: string): Promise<Record<string, string>> {
  const hmacSha1Hex = (secret: string, text: string): Promise<string> => Promise.resolve(createHmac('sha1', secret).update(text, 'utf8').digest('hex'));
  return signatureHeaders(await signRequest({ ...key, hmacSha1Hex }, method, path, bodyText));
}

/** Calls an operation's first path and method with harmless input, with a token or signed by an access key; streams are cut after the headers. */
async function call(id: OperationId, as: string | { id: string; secret: string }): Promise<Answer> {
  const op = operations[id];
  const method = op.methods.includes('POST') ? 'POST' : 'GET';
  const path = op.paths[0]!.replace(/:(\w+)/g, 'no-such-$1');
  const abort = new AbortController();
  try {
    const auth = typeof as === 'string' ? { 'x-dff-auth-token': as } : await keyHeaders(as, method, path, '{}');
    const res = await fetch(`${base}${path}`, {
      method,
      signal: abort.signal,
      headers: { ...auth, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
      ...(method === 'POST' ? { body: '{}' } : {}),
    });
    if (res.headers.get('content-type')?.includes('text/event-stream')) return { status: res.status };
    const text = await res.text();
    let body: { reason?: string; detail?: { permission?: unknown } } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      body = {};
    }
    return { status: res.status, reason: body.reason, permission: body.detail?.permission };
  } finally {
    abort.abort();
  }
}

const signedInOps = (Object.keys(operations) as OperationId[]).filter((id) => operations[id].auth === 'signedIn');

describe('the operation × role matrix', () => {
  it('covers every operation of the contract, and nothing else is public', () => {
    const missing = signedInOps.filter((id) => !Object.hasOwn(ALLOWED, id));
    expect(missing, 'signed-in operations without an expectation in this matrix').toEqual([]);
    const publicOps = (Object.keys(operations) as OperationId[]).filter((id) => operations[id].auth !== 'signedIn');
    expect(publicOps.sort()).toEqual([...PUBLIC].sort());
    expect(Object.keys(ALLOWED).filter((id) => !signedInOps.includes(id as OperationId))).toEqual([]);
    const tokenOnly = signedInOps.filter((id) => operations[id].tokenOnly === true);
    expect(tokenOnly.sort(), 'operations the contract marks tokenOnly').toEqual([...TOKEN_ONLY].sort());
  });

  it("an admin's access key: refused (403 naming the token it needs) exactly where a token only is taken, let in elsewhere", async () => {
    const key = await t.client.addAccessKey({ body: { data: { title: 'matrix' } } });
    const wrong: string[] = [];
    const ids = [...signedInOps.filter((id) => id !== 'signOut'), 'signOut' as const];
    for (const id of ids) {
      const got = await call(id, key);
      const tokenOnly = TOKEN_ONLY.includes(id);
      const refused = got.status === 403 && got.reason === 'EUserPrivilege.AuthTypeNotSupported';
      if (got.status === 401) wrong.push(`${id}: 401 (the key stopped working)`);
      else if (tokenOnly && !refused) wrong.push(`${id}: answered ${got.status} ${got.reason ?? ''}, a token only is taken`);
      else if (!tokenOnly && got.reason?.startsWith('EUserPrivilege') === true) wrong.push(`${id}: refused ${got.reason ?? ''}, an admin's key is let in`);
      else if (got.status >= 500) wrong.push(`${id}: ${got.status} ${got.reason ?? ''}`);
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it('a leaked access key cannot mint another, list keys or users, or change a password (QA: add answered 200 with a new secret)', async () => {
    const key = await t.client.addAccessKey({ body: { data: { title: 'leaked' } } });
    const before = (await t.client.listAccessKeys({ query: {} })).length;
    const post = async (path: string, body: unknown): Promise<{ status: number; text: string }> => {
      // Signed as DataFlux Func's SDKs sign: the body as Python's json.dumps writes it.
      const text = pythonJsonDumps(body);
      const res = await fetch(`${base}${path}`, { method: 'POST', headers: { ...(await keyHeaders(key, 'POST', path, text)), 'content-type': 'application/json' }, body: text });
      return { status: res.status, text: await res.text() };
    };
    const minted = await post('/api/v1/access-keys/do/add', { data: { title: 'minted by a key' } });
    expect(minted.status, minted.text).toBe(403);
    expect(minted.text).toContain('X-Dff-Auth-Token');
    expect(minted.text).not.toContain('"secret"');
    expect((await t.client.listAccessKeys({ query: {} })).length).toBe(before);
    const user = await post('/api/v1/users/do/add', { data: { username: 'by-a-key', name: 'x', password: 'by-a-key-password', roles: ['admin'] } });
    expect(user.status, user.text).toBe(403);
    const pw = await post('/api/v1/auth/do/change-password', { changePassword: { oldPassword: 'x', newPassword: 'new-password-123' } });
    expect(pw.status, pw.text).toBe(403);
  });

  for (const role of ROLES) {
    it(`${role}: allowed where the matrix says, refused elsewhere with 403 naming the permission`, async () => {
      const token = tokens.get(role)!;
      const wrong: string[] = [];
      // Sign-out ends the token: last.
      const ids = [...signedInOps.filter((id) => id !== 'signOut'), 'signOut' as const];
      for (const id of ids) {
        const got = await call(id, token);
        const allowed = ALLOWED[id]!.includes(role);
        const refused = got.status === 403 && got.reason === 'EUserPrivilege';
        if (got.status === 401) wrong.push(`${id}: 401 (the token stopped working)`);
        else if (allowed && refused) wrong.push(`${id}: refused, the matrix allows ${role}`);
        else if (!allowed && !refused) wrong.push(`${id}: answered ${got.status} ${got.reason ?? ''}, the matrix refuses ${role}`);
        else if (!allowed && got.permission !== operations[id].permission) wrong.push(`${id}: 403 names ${String(got.permission)}`);
        else if (got.status >= 500) wrong.push(`${id}: ${got.status} ${got.reason ?? ''}`);
      }
      expect(wrong).toEqual([]);
    }, 60_000);
  }
});
