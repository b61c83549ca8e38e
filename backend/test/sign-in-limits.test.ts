/**
 * Issue 14, finding 6: failed sign-ins are limited per username and per client address (429 with
 * Retry-After), and an unknown username costs a password hash like a known one.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SIGN_IN_MAX_FAILURES_PER_ADDRESS, SIGN_IN_MAX_FAILURES_PER_USER, SIGN_IN_WINDOW_S } from '../src/domain/auth/sign-in-guard.js';
import { startTestStack, type TestStack } from '../src/testing/test-stack.js';
import type * as PasswordModule from '../src/domain/auth/password.js';

const verifications = vi.hoisted(() => ({ hashes: [] as string[] }));
vi.mock('../src/domain/auth/password.js', async (importOriginal) => {
  const original = await importOriginal<typeof PasswordModule>();
  return {
    ...original,
    verifyPassword: (password: string, hash: string) => {
      verifications.hashes.push(hash);
      return original.verifyPassword(password, hash);
    },
  };
});

const PASSWORD = 's3cr3t-516e1a1a1a01';
let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
  for (const username of ['locked', 'reset', 'neighbour']) {
    await t.client.addUser({ body: { data: { username, name: username, password: PASSWORD, roles: ['user'] } } });
  }
}, 60_000);

afterAll(async () => {
  await t?.close();
});

/** A sign-in from a given client address (each test its own, so their address counts do not mix). */
async function signIn(username: string, password: string, address: string) {
  const res = await t.stack.app.inject({ method: 'POST', url: '/api/v1/auth/do/sign-in', remoteAddress: address, payload: { signIn: { username, password } } });
  return { status: res.statusCode, body: JSON.parse(res.body) as { reason?: string; message?: string }, headers: res.headers };
}

describe('failed sign-ins per username', () => {
  it(`answers 429 with Retry-After after ${SIGN_IN_MAX_FAILURES_PER_USER} failures, even for the right password; other users are not affected`, async () => {
    for (let i = 0; i < SIGN_IN_MAX_FAILURES_PER_USER; i++) {
      expect((await signIn('locked', 'wrong', '10.0.0.1')).status).toBe(401);
    }
    const eleventh = await signIn('locked', 'wrong', '10.0.0.1');
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.reason).toBe('EClientRateLimit');
    const retryAfter = Number(eleventh.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(SIGN_IN_WINDOW_S - 60);
    expect(retryAfter).toBeLessThanOrEqual(SIGN_IN_WINDOW_S);
    expect(eleventh.body.message).toMatch(new RegExp(`retry in ${retryAfter} s`));

    const right = await signIn('locked', PASSWORD, '10.0.0.2');
    expect(right.status).toBe(429);
    expect(right.headers['retry-after']).toBeDefined();
    expect((await signIn('neighbour', PASSWORD, '10.0.0.1')).status).toBe(200);
  });

  it('a successful sign-in clears the username’s count', async () => {
    for (let i = 0; i < SIGN_IN_MAX_FAILURES_PER_USER - 1; i++) expect((await signIn('reset', 'wrong', '10.0.1.1')).status).toBe(401);
    expect((await signIn('reset', PASSWORD, '10.0.1.1')).status).toBe(200);
    for (let i = 0; i < SIGN_IN_MAX_FAILURES_PER_USER - 1; i++) expect((await signIn('reset', 'wrong', '10.0.1.1')).status).toBe(401);
    expect((await signIn('reset', PASSWORD, '10.0.1.1')).status).toBe(200);
  });
});

describe('failed sign-ins per address', () => {
  it(`answers 429 after ${SIGN_IN_MAX_FAILURES_PER_ADDRESS} failures from one address over any usernames; other addresses are not affected`, async () => {
    for (let i = 0; i < SIGN_IN_MAX_FAILURES_PER_ADDRESS; i++) {
      expect((await signIn(`nobody-${i}`, 'wrong', '10.0.2.1')).status).toBe(401);
    }
    const blocked = await signIn('neighbour', PASSWORD, '10.0.2.1');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.body.message).toMatch(/address/);
    expect((await signIn('neighbour', PASSWORD, '10.0.2.2')).status).toBe(200);
  });
});

describe('unknown usernames', () => {
  it('run one password hash, against a dummy of the same shape, like a known user with a wrong password', async () => {
    verifications.hashes.length = 0;
    expect((await signIn('no-such-user', 'wrong', '10.0.3.1')).status).toBe(401);
    expect((await signIn('neighbour', 'wrong', '10.0.3.1')).status).toBe(401);
    expect(verifications.hashes).toHaveLength(2);
    const [dummy, real] = verifications.hashes as [string, string];
    expect(dummy.split('$').map((p) => p.length)).toEqual(real.split('$').map((p) => p.length));
    expect(dummy.startsWith('scrypt$')).toBe(true);
  });
});
