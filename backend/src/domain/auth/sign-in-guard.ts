/**
 * Sign-in against guessing: failed attempts are counted per username and per client address in
 * the cache (Redis in production, so every server counts together; memory in embedded mode), and
 * an unknown username costs the same password hash as a known one, so timing does not tell
 * whether a user exists.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FuncCache } from '../ports/broker.js';
import { hashPassword, verifyPassword } from './password.js';

/** The window in which failures are counted; it starts at the first failure. */
export const SIGN_IN_WINDOW_S = 15 * 60;
/** Failures of one username within the window after which its sign-in is refused until the window ends. */
export const SIGN_IN_MAX_FAILURES_PER_USER = 10;
/** Failures from one client address (any usernames) within the window after which it is refused. */
export const SIGN_IN_MAX_FAILURES_PER_ADDRESS = 30;

export interface SignInLimits {
  windowS: number;
  perUser: number;
  perAddress: number;
}

export const SIGN_IN_LIMITS: SignInLimits = {
  windowS: SIGN_IN_WINDOW_S,
  perUser: SIGN_IN_MAX_FAILURES_PER_USER,
  perAddress: SIGN_IN_MAX_FAILURES_PER_ADDRESS,
};

/** Fixed-length keys whatever the username sent (usernames are case-sensitive, as in the store). */
const digest = (s: string): string => createHash('sha256').update(s).digest('base64url');
const userKey = (username: string): string => `func:sign-in-failures:user:${digest(username)}`;
const addressKey = (address: string): string => `func:sign-in-failures:addr:${digest(address)}`;

export interface SignInBlock {
  /** Whole seconds until the window ends (Retry-After). */
  retryAfterS: number;
  /** What is limited: the username or the address. */
  by: 'username' | 'address';
}

export class SignInGuard {
  constructor(
    private readonly cache: FuncCache,
    private readonly limits: SignInLimits = SIGN_IN_LIMITS,
  ) {}

  /** Set when sign-in must be refused before the password is even looked at. */
  async blocked(username: string, address: string): Promise<SignInBlock | undefined> {
    for (const [key, limit, by] of [
      [userKey(username), this.limits.perUser, 'username'],
      [addressKey(address), this.limits.perAddress, 'address'],
    ] as const) {
      const count = Number((await this.cache.command('get', [key])) ?? 0);
      if (count < limit) continue;
      let ttl = Number(await this.cache.command('ttl', [key]));
      if (ttl === -1) {
        // A counter left without expiry (a crash between incr and expire) must not lock forever.
        await this.cache.command('expire', [key, this.limits.windowS]);
        ttl = this.limits.windowS;
      }
      if (ttl > 0) return { retryAfterS: ttl, by };
    }
    return undefined;
  }

  async failed(username: string, address: string): Promise<void> {
    for (const key of [userKey(username), addressKey(address)]) {
      const count = Number(await this.cache.command('incr', [key]));
      if (count === 1) await this.cache.command('expire', [key, this.limits.windowS]);
    }
  }

  /** A successful sign-in clears the username's count (not the address's). */
  async succeeded(username: string): Promise<void> {
    await this.cache.command('del', [userKey(username)]);
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against the user's hash, or against a dummy hash of the same cost when there
 * is no such user (the answer is then false), so both take the time of one hash.
 */
export async function checkPassword(
  password: string,
  user: { passwordHash: string } | undefined,
  verify: (password: string, hash: string) => Promise<boolean> = verifyPassword,
): Promise<boolean> {
  if (user) return verify(password, user.passwordHash);
  dummyHash ??= hashPassword(randomBytes(16).toString('base64url'));
  await verify(password, await dummyHash);
  return false;
}
