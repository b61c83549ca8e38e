/**
 * The holes the black-box probe found, each reproduced: a read-only user making itself admin,
 * resetting passwords, adding admins, reading access-key secrets and signing as the admin's key;
 * access keys acting as their owner; secrets never answered twice; the last admin kept.
 */
import { describe, expect, it } from 'vitest';
import { accessKeySign } from '../src/domain/auth/access-key-sign.js';
import type { Role } from '../../contract/permissions.js';
import { startTestStack, useTestStack, type ApiResponse } from '../src/testing/test-stack.js';

const PASSWORD = 'probe-password-123';
const t = useTestStack();

async function userWithRole(username: string, roles: Role[]): Promise<{ id: string; as: (method: 'GET' | 'POST', url: string, body?: unknown) => Promise<ApiResponse> }> {
  const id = (await t.client.addUser({ body: { data: { username, name: username, password: PASSWORD, roles } } })).id;
  const { xAuthToken: token } = await t.client.signIn({ body: { signIn: { username, password: PASSWORD } } });
  return { id, as: (method, url, body) => t.api(method, url, body, { 'x-dff-auth-token': token }) };
}

function signed(key: { id: string; secret: string }, method: 'GET' | 'POST', path: string, body?: unknown): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = Math.random().toString(36).slice(2);
  const sign = accessKeySign(key.secret, { method, path, timestamp, nonce, body });
  return { 'x-dff-ak-id': key.id, 'x-dff-ak-timestamp': timestamp, 'x-dff-ak-nonce': nonce, 'x-dff-ak-sign': sign };
}

const refused = (r: ApiResponse, permission: string): void => {
  expect(r.status, r.text).toBe(403);
  expect(r.body).toMatchObject({ ok: false, reason: 'EUserPrivilege', detail: { permission } });
};

describe('a read-only user', () => {
  it('cannot make itself admin, and so never reaches the stack', async () => {
    const viewer = await userWithRole('viewer1', ['readonlyUser']);
    refused(await viewer.as('POST', `/api/v1/users/${viewer.id}/do/modify`, { data: { roles: ['admin'] } }), 'user_w');
    expect(((await t.admin('GET', `/api/v1/users/${viewer.id}/do/get`)).body.data as { roles: string[] }).roles).toEqual(['readonlyUser']);
    refused(await viewer.as('GET', '/api/v1/stack'), 'stack_r');
  });

  it("cannot reset another user's password, add an admin, list access keys or add a script set; it can read", async () => {
    const viewer = await userWithRole('viewer2', ['readonlyUser']);
    const admin = ((await t.admin('GET', '/api/v1/auth/profile/do/get')).body.data as { id: string }).id;
    refused(await viewer.as('POST', `/api/v1/users/${admin}/do/modify`, { data: { password: 'taken-over-1234' } }), 'user_w');
    refused(await viewer.as('POST', '/api/v1/users/do/add', { data: { username: 'evil', name: 'evil', password: 'evil-password', roles: ['admin'] } }), 'user_w');
    refused(await viewer.as('GET', '/api/v1/access-keys/do/list'), 'accessKey_r');
    refused(await viewer.as('POST', '/api/v1/script-sets/do/add', { data: { id: 'viewerset' } }), 'general_w');
    expect((await viewer.as('GET', '/api/v1/script-sets/do/list')).status).toBe(200);
    expect((await viewer.as('GET', '/api/v1/users/do/list')).status).toBe(200);
    // The admin's password still works.
    expect((await t.api('POST', '/api/v1/auth/do/sign-in', { signIn: { username: 'admin', password: 'admin-password-for-tests' } })).status).toBe(200);
  });

  it('sees API auth secrets masked; a developer sees them', async () => {
    const id = (await t.client.addApiAuth({ body: { data: { type: 'httpBasic', title: 'basic', configJSON: { users: [{ username: 'u', password: 'the-basic-password' }] } } } }))
      .id;
    const viewer = await userWithRole('viewer3', ['readonlyUser']);
    const seen = await viewer.as('GET', `/api/v1/api-auth/${id}/do/get`);
    expect(seen.status).toBe(200);
    expect(seen.text).not.toContain('the-basic-password');
    expect(seen.body.data).toMatchObject({ configJSON: { users: [{ username: 'u', password: '******' }] } });
    const dev = await userWithRole('dev3', ['user']);
    expect((await dev.as('GET', `/api/v1/api-auth/${id}/do/get`)).text).toContain('the-basic-password');
  });
});

describe('a developer', () => {
  it('edits and runs scripts but manages no users, keys or stack', async () => {
    const dev = await userWithRole('dev1', ['user']);
    expect((await dev.as('POST', '/api/v1/script-sets/do/add', { data: { id: 'devset' } })).status).toBe(200);
    expect((await dev.as('POST', '/api/v1/scripts/do/add', { data: { id: 'devset__s', codeDraft: "@DFF.API('x')\ndef f():\n    return 42\n" } })).status).toBe(200);
    expect((await dev.as('POST', '/api/v1/scripts/devset__s/do/publish', {})).status).toBe(200);
    const run = await dev.as('POST', '/api/v1/func/devset__s.f', { kwargs: {} });
    expect(run.status, run.text).toBe(200);
    refused(await dev.as('POST', '/api/v1/users/do/add', { data: { username: 'dev-made', name: 'x', password: 'password-123' } }), 'user_w');
    refused(await dev.as('POST', '/api/v1/access-keys/do/add', { data: { title: 'mine' } }), 'accessKey_w');
    refused(await dev.as('POST', '/api/v1/stack/do/plan', { change: {} }), 'stack_w');
  });
});

describe('access keys', () => {
  it('show their secret once, at creation; list and get never do', async () => {
    const added = await t.admin('POST', '/api/v1/access-keys/do/add', { data: { title: 'once' } });
    const { id, secret } = added.body.data as { id: string; secret: string };
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const listed = await t.admin('GET', '/api/v1/access-keys/do/list');
    const got = await t.admin('GET', `/api/v1/access-keys/${id}/do/get`);
    for (const r of [listed, got]) {
      expect(r.status).toBe(200);
      expect(r.text).not.toContain(secret);
      expect(r.text).not.toContain('secret');
    }
  });

  it('act as the user that owns them: demoting the owner narrows what its key may do', async () => {
    const owner = await userWithRole('keyowner', ['admin']);
    const added = await owner.as('POST', '/api/v1/access-keys/do/add', { data: { title: 'owner key' } });
    const key = added.body.data as { id: string; secret: string };
    expect((await t.api('GET', '/api/v1/stack', undefined, signed(key, 'GET', '/api/v1/stack'))).status).toBe(200);
    expect((await t.admin('POST', `/api/v1/users/${owner.id}/do/modify`, { data: { roles: ['readonlyUser'] } })).status).toBe(200);
    // The user cache keeps a user up to USER_CACHE_MS (2 s); a role change applies within it.
    await new Promise((r) => setTimeout(r, 2100));
    refused(await t.api('GET', '/api/v1/stack', undefined, signed(key, 'GET', '/api/v1/stack')), 'stack_r');
    expect((await t.api('GET', '/api/v1/script-sets/do/list', undefined, signed(key, 'GET', '/api/v1/script-sets/do/list'))).status).toBe(200);
  });

  it("go with their owner: a deleted user's keys are deleted too, not left listed (another user's stay)", async () => {
    const owner = await userWithRole('keyleaver', ['admin']);
    const added = await owner.as('POST', '/api/v1/access-keys/do/add', { data: { title: 'leaver key' } });
    expect(added.status, added.text).toBe(200);
    const key = added.body.data as { id: string; secret: string };
    const kept = await t.client.addAccessKey({ body: { data: { title: 'admin key' } } });
    expect((await t.admin('GET', `/api/v1/users/${owner.id}/do/delete`)).status).toBe(200);
    const listed = (await t.client.listAccessKeys({ query: {} })).map((k) => k.id);
    expect(listed).not.toContain(key.id);
    expect(listed).toContain(kept.id);
    expect((await t.admin('GET', `/api/v1/access-keys/${key.id}/do/get`)).status).toBe(404);
    const r = await t.api('GET', '/api/v1/script-sets/do/list', undefined, signed(key, 'GET', '/api/v1/script-sets/do/list'));
    expect(r.status, r.text).toBe(401);
  });
});

describe('the last admin', () => {
  it('cannot be demoted, disabled or deleted while no other admin is enabled', async () => {
    const stack = await startTestStack();
    try {
      const me = ((await stack.admin('GET', '/api/v1/auth/profile/do/get')).body.data as { id: string }).id;
      const last = 'admin is the last enabled admin; make another user an enabled admin first';
      for (const [data, field, change] of [
        [{ roles: ['user'] }, 'data.roles', 'taking the admin role from admin'],
        [{ isDisabled: true }, 'data.isDisabled', 'disabling admin'],
        [{ isDisabled: true, roles: ['user'] }, 'data.isDisabled', 'disabling admin'],
      ] as const) {
        const r = await stack.admin('POST', `/api/v1/users/${me}/do/modify`, { data });
        expect(r.status, r.text).toBe(403);
        expect(r.body).toMatchObject({ reason: 'EBizCondition', message: `${field}: ${change} is refused: ${last}`, detail: { field } });
      }
      const deleted = await stack.admin('POST', `/api/v1/users/${me}/do/delete`);
      expect(deleted.status, deleted.text).toBe(403);
      expect(deleted.body).toMatchObject({ reason: 'EBizCondition', message: `id: deleting admin is refused: ${last}`, detail: { field: 'id' } });
      // With a second admin, the first may step down.
      await stack.client.addUser({ body: { data: { username: 'second', name: 'second', password: PASSWORD, roles: ['admin'] } } });
      expect((await stack.admin('POST', `/api/v1/users/${me}/do/modify`, { data: { roles: ['user'] } })).status).toBe(200);
    } finally {
      await stack.close();
    }
  });
});
