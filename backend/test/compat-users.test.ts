/**
 * Users as DataFlux Func's clients manage them, on a real stack: email and mobile kept and shown,
 * the username changed by modify (and signed in with), a taken username refused naming the field.
 */
import { describe, expect, it } from 'vitest';
import { useTestStack, type ApiResponse } from '../src/testing/test-stack.js';

const t = useTestStack();

function ok(r: ApiResponse): unknown {
  expect(r.status, r.text).toBe(200);
  return r.body.data;
}
function refused(r: ApiResponse, status: number, field: string): void {
  expect(r.status, r.text).toBe(status);
  expect(r.body.detail?.field, r.text).toMatch(new RegExp(`^(body\\.)?(data\\.)?${field}$`));
}
const signIn = (username: string, password: string): Promise<ApiResponse> => t.api('POST', '/api/v1/auth/do/sign-in', { signIn: { username, password } });
const getUser = async (id: string): Promise<Record<string, unknown>> => ok(await t.admin('GET', `/api/v1/users/${id}/do/get`)) as Record<string, unknown>;

describe('users (DataFlux fields)', () => {
  it('keeps email and mobile, changes the username, refuses a taken one', async () => {
    const id = await t.add('/api/v1/users/do/add', {
      username: 'compat_u1',
      password: 'first-pass-1',
      name: 'One',
      roles: ['user'],
      mobile: '18600000000',
      email: 'one@example.com',
    });
    expect(await getUser(id)).toMatchObject({ username: 'compat_u1', name: 'One', mobile: '18600000000', email: 'one@example.com' });
    const listed = ok(await t.admin('GET', '/api/v1/users/do/list?username=compat_u1')) as Record<string, unknown>[];
    expect(listed.map((u) => u.mobile)).toEqual(['18600000000']);

    ok(await t.admin('POST', `/api/v1/users/${id}/do/modify`, { data: { username: 'compat_u1_changed', password: 'second-pass-2', mobile: '18699999999', email: null } }));
    expect(await getUser(id)).toMatchObject({ username: 'compat_u1_changed', mobile: '18699999999', email: null, name: 'One' });
    expect((await signIn('compat_u1_changed', 'second-pass-2')).status).toBe(200);
    expect((await signIn('compat_u1', 'second-pass-2')).status).not.toBe(200);
    // The same username again is no change.
    ok(await t.admin('POST', `/api/v1/users/${id}/do/modify`, { data: { username: 'compat_u1_changed' } }));

    const other = await t.add('/api/v1/users/do/add', { username: 'compat_u2', password: 'other-pass-3', name: 'Two' });
    expect(await getUser(other)).toMatchObject({ email: null, mobile: null });
    refused(await t.admin('POST', `/api/v1/users/${other}/do/modify`, { data: { username: 'compat_u1_changed' } }), 409, 'username');
    refused(await t.admin('POST', '/api/v1/users/do/add', { data: { username: 'compat_u2', password: 'other-pass-3', name: 'Again' } }), 409, 'username');
    expect(await getUser(other)).toMatchObject({ username: 'compat_u2' });
  });

  it('compares usernames case and all, as DataFlux Func (utf8mb4_bin): Compat_Case beside compat_case, each signing in as spelt', async () => {
    ok(await t.admin('POST', '/api/v1/users/do/add', { data: { username: 'compat_case', password: 'lower-pass-1', name: 'lower' } }));
    ok(await t.admin('POST', '/api/v1/users/do/add', { data: { username: 'Compat_Case', password: 'upper-pass-1', name: 'upper' } }));
    expect((await signIn('compat_case', 'lower-pass-1')).status).toBe(200);
    expect((await signIn('Compat_Case', 'upper-pass-1')).status).toBe(200);
    expect((await signIn('COMPAT_CASE', 'lower-pass-1')).status).toBe(401);
    refused(await t.admin('POST', '/api/v1/users/do/add', { data: { username: 'Compat_Case', password: 'again-pass-1', name: 'again' } }), 409, 'username');
  });

  it('refuses bad input naming the field', async () => {
    const base = { username: 'compat_u3', password: 'third-pass-3', name: 'Three' };
    refused(await t.admin('POST', '/api/v1/users/do/add', { data: { ...base, mobile: '1'.repeat(21) } }), 400, 'mobile');
    refused(await t.admin('POST', '/api/v1/users/do/add', { data: { ...base, email: 'x'.repeat(101) } }), 400, 'email');
    refused(await t.admin('POST', '/api/v1/users/do/add', { data: { ...base, mobile: 18600000000 } }), 400, 'mobile');
    const id = await t.add('/api/v1/users/do/add', base);
    refused(await t.admin('POST', `/api/v1/users/${id}/do/modify`, { data: { username: 'has space' } }), 400, 'username');
    refused(await t.admin('POST', `/api/v1/users/${id}/do/modify`, { data: { username: '' } }), 400, 'username');
  });
});
