/**
 * Issue 14, finding 5: sign-out, password/roles changes and used access-key nonces are kept in the
 * store (embedded) or the store + Redis (production), so they hold across restarts and across the
 * servers of a stack.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { signatureHeaders, signRequest, type AccessKeyAuth } from '../../contract/client/access-key.js';
import { parseConfig } from '../src/config/config.js';
import { startServerRole, type RoleHandle } from '../src/wiring/production-roles.js';
import { productionEnv } from '../src/testing/processes.js';
import { startTestStack, type TestStack } from '../src/testing/test-stack.js';

const USER_PASSWORD = 's3cr3t-5a1e0c0ffee1';
const NEW_PASSWORD = 's3cr3t-5a1e0c0ffee2';
const hmacSha1Hex = (secret: string, text: string): Promise<string> => Promise.resolve(createHmac('sha1', secret).update(text, 'utf8').digest('hex'));

const stacks: TestStack[] = [];
const homes: string[] = [];
afterEach(async () => {
  await Promise.all(stacks.splice(0).map((s) => s.close()));
});
afterAll(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

async function stack(home?: string): Promise<TestStack> {
  const t = await startTestStack({}, { keepHome: true, ...(home ? { home } : {}) });
  if (!home) homes.push(t.home);
  stacks.push(t);
  return t;
}

async function signIn(t: TestStack, username: string, password: string): Promise<string> {
  const r = await t.api('POST', '/api/v1/auth/do/sign-in', { signIn: { username, password } });
  expect(r.status, r.text).toBe(200);
  return (r.body.data as { xAuthToken: string }).xAuthToken;
}

const profileStatus = async (t: TestStack, token: string): Promise<number> => (await t.api('GET', '/api/v1/auth/profile/do/get', undefined, { 'x-dff-auth-token': token })).status;

describe('embedded: sign-out and nonces outlive a restart', () => {
  it('refuses a signed-out token after the stack restarts on the same home; a token kept works', async () => {
    const first = await stack();
    const home = first.home;
    const signedOut = await signIn(first, 'admin', 'admin-password-for-tests');
    const kept = await signIn(first, 'admin', 'admin-password-for-tests');
    expect(await profileStatus(first, signedOut)).toBe(200);
    expect((await first.api('POST', '/api/v1/auth/do/sign-out', undefined, { 'x-dff-auth-token': signedOut })).status).toBe(200);
    expect(await profileStatus(first, signedOut)).toBe(401);
    await first.close();
    stacks.length = 0;

    const second = await stack(home);
    const r = await second.api('GET', '/api/v1/auth/profile/do/get', undefined, { 'x-dff-auth-token': signedOut });
    expect(r.status).toBe(401);
    expect(r.body.message).toMatch(/revoked/);
    expect(await profileStatus(second, kept)).toBe(200);
  }, 90_000);

  it('refuses an access-key request replayed with the same nonce after a restart', async () => {
    const first = await stack();
    const home = first.home;
    const added = await first.admin('POST', '/api/v1/access-keys/do/add', { data: { title: 'replay' } });
    const { id, secret } = added.body.data as { id: string; secret: string };
    const key: AccessKeyAuth = { id, secret, hmacSha1Hex, randomBytes: (n) => new Uint8Array(randomBytes(n)) };
    const path = '/api/v1/auth/profile/do/get';
    const headers = signatureHeaders(await signRequest(key, 'GET', path, '{}'));
    expect((await first.api('GET', path, undefined, headers)).status).toBe(200);
    expect((await first.api('GET', path, undefined, headers)).status).toBe(401);
    await first.close();
    stacks.length = 0;

    const second = await stack(home);
    const replay = await second.api('GET', path, undefined, headers);
    expect(replay.status).toBe(401);
    expect(replay.body.message).toMatch(/X-Dff-Ak-Nonce was used already/);
    // A fresh signature from the same key is fine.
    expect((await second.api('GET', path, undefined, signatureHeaders(await signRequest(key, 'GET', path, '{}')))).status).toBe(200);
  }, 90_000);
});

describe('embedded: a change of password, roles or disabled flag ends the user’s tokens', () => {
  it('refuses the old tokens at once, and accepts a new sign-in', async () => {
    const t = await stack();
    const userId = (await t.client.addUser({ body: { data: { username: 'changing', name: 'Changing', password: USER_PASSWORD, roles: ['user'] } } })).id;
    const modify = (data: Record<string, unknown>) => t.admin('POST', `/api/v1/users/${userId}/do/modify`, { data });

    const beforePassword = await signIn(t, 'changing', USER_PASSWORD);
    expect(await profileStatus(t, beforePassword)).toBe(200);
    expect((await modify({ password: NEW_PASSWORD })).status).toBe(200);
    expect(await profileStatus(t, beforePassword)).toBe(401);

    const beforeRoles = await signIn(t, 'changing', NEW_PASSWORD);
    expect(await profileStatus(t, beforeRoles)).toBe(200);
    expect((await modify({ name: 'Renamed' })).status).toBe(200);
    expect(await profileStatus(t, beforeRoles)).toBe(200); // Other fields: tokens stay.
    expect((await modify({ roles: ['user'] })).status).toBe(200);
    expect(await profileStatus(t, beforeRoles)).toBe(200); // Same roles: tokens stay.
    expect((await modify({ roles: ['user', 'admin'] })).status).toBe(200);
    expect(await profileStatus(t, beforeRoles)).toBe(401);

    const beforeDisable = await signIn(t, 'changing', NEW_PASSWORD);
    expect((await modify({ isDisabled: true })).status).toBe(200);
    expect((await modify({ isDisabled: false })).status).toBe(200);
    expect(await profileStatus(t, beforeDisable)).toBe(401);

    expect(await profileStatus(t, await signIn(t, 'changing', NEW_PASSWORD))).toBe(200);
    // The users API does not show the cut-off.
    const listed = await t.admin('GET', `/api/v1/users/do/list?id=${userId}`);
    expect((listed.body.data as Record<string, unknown>[])[0]).not.toHaveProperty('tokensValidAfter');
  }, 60_000);
});

describe('production: two servers on one store and one Redis', () => {
  let env: Awaited<ReturnType<typeof productionEnv>> | undefined;
  const servers: RoleHandle[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await env?.drop();
  });

  it('a sign-out, a password change and a used nonce on server A hold on server B', async () => {
    env = await productionEnv();
    const config = parseConfig({ ...env.env, FUNC_PORT: '0', FUNC_HOST: '127.0.0.1' });
    servers.push(await startServerRole(config), await startServerRole(config));
    const [a, b] = servers.map((s) => s.url!) as [string, string];
    const call = async (base: string, method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: JSON.parse(text) as { data?: unknown; message?: string }, text };
    };
    const signInAt = async (base: string, username: string, password: string): Promise<string> => {
      const r = await call(base, 'POST', '/api/v1/auth/do/sign-in', { signIn: { username, password } });
      expect(r.status, r.text).toBe(200);
      return (r.body.data as { xAuthToken: string }).xAuthToken;
    };
    const profile = (base: string, token: string) => call(base, 'GET', '/api/v1/auth/profile/do/get', undefined, { 'x-dff-auth-token': token });

    const admin = await signInAt(a, 'admin', env.env.FUNC_ADMIN_PASSWORD!);
    expect((await profile(b, admin)).status).toBe(200);
    const other = await signInAt(b, 'admin', env.env.FUNC_ADMIN_PASSWORD!);

    // Sign-out on A: refused on B (B had it cached as valid: within the cache time).
    expect((await call(a, 'POST', '/api/v1/auth/do/sign-out', undefined, { 'x-dff-auth-token': admin })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2_100));
    expect((await profile(b, admin)).status).toBe(401);
    expect((await profile(a, admin)).status).toBe(401);
    expect((await profile(b, other)).status).toBe(200);

    // A password change on A ends the user's tokens on B.
    const added = await call(a, 'POST', '/api/v1/users/do/add', { data: { username: 'prod-user', name: 'Prod', password: USER_PASSWORD } }, { 'x-dff-auth-token': other });
    expect(added.status, added.text).toBe(200);
    const userId = (added.body.data as { id: string }).id;
    const userToken = await signInAt(b, 'prod-user', USER_PASSWORD);
    expect((await profile(b, userToken)).status).toBe(200);
    expect((await call(a, 'POST', `/api/v1/users/${userId}/do/modify`, { data: { password: NEW_PASSWORD } }, { 'x-dff-auth-token': other })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2_100));
    expect((await profile(b, userToken)).status).toBe(401);

    // A nonce used on A is refused on B.
    const ak = await call(a, 'POST', '/api/v1/access-keys/do/add', { data: { title: 'two servers' } }, { 'x-dff-auth-token': other });
    const { id, secret } = ak.body.data as { id: string; secret: string };
    const path = '/api/v1/auth/profile/do/get';
    const headers = signatureHeaders(await signRequest({ id, secret, hmacSha1Hex, randomBytes: (n) => new Uint8Array(randomBytes(n)) }, 'GET', path, '{}'));
    expect((await call(a, 'GET', path, undefined, headers)).status).toBe(200);
    const replay = await call(b, 'GET', path, undefined, headers);
    expect(replay.status).toBe(401);
    expect(replay.body.message).toMatch(/used already/);

    // Failed sign-ins count together: 10 spread over both servers lock the username on both.
    for (let i = 0; i < 10; i++) expect((await call(i % 2 ? a : b, 'POST', '/api/v1/auth/do/sign-in', { signIn: { username: 'prod-user', password: 'wrong' } })).status).toBe(401);
    const locked = await call(a, 'POST', '/api/v1/auth/do/sign-in', { signIn: { username: 'prod-user', password: NEW_PASSWORD } });
    expect(locked.status).toBe(429);
  }, 120_000);
});
