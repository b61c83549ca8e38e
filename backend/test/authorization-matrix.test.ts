/**
 * Every operation of the contract × every role, over HTTP on a real stack. The expectations are
 * written here, apart from the contract: an operation missing from this table, or whose declared
 * permission lets in a role this table refuses (or the reverse), fails the suite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/** Calls an operation's first path and method with harmless input; streams are cut after the headers. */
async function call(id: OperationId, token: string): Promise<Answer> {
  const op = operations[id];
  const method = op.methods.includes('POST') ? 'POST' : 'GET';
  const path = op.paths[0]!.replace(/:(\w+)/g, 'no-such-$1');
  const abort = new AbortController();
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      signal: abort.signal,
      headers: { 'x-dff-auth-token': token, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
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
