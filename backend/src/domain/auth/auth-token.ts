/**
 * Sign-in tokens: `<userId>.<expiry ms base36>.<nonce>.<hmac>` signed with FUNC_SECRET, so any
 * server of the stack verifies them without a lookup. Sign-out revokes a token in memory.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_TTL_MS = 24 * 3600 * 1000;
/** Verified tokens remembered (their HMAC is not computed again); the map is cleared when full. */
const VERIFIED_MAX = 10_000;

export class TokenSigner {
  private readonly revoked = new Map<string, number>();
  /** token → [user id, expiry ms] of tokens whose signature checked out. */
  private readonly verified = new Map<string, [string, number]>();

  constructor(
    private readonly secret: string,
    private readonly now: () => number = Date.now,
  ) {}

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }

  issue(userId: string): string {
    const payload = `${userId}.${(this.now() + TOKEN_TTL_MS).toString(36)}.${randomBytes(9).toString('base64url')}`;
    return `${payload}.${this.mac(payload)}`;
  }

  /** The user id, or undefined when the token is malformed, forged, expired or revoked. */
  verify(token: string): string | undefined {
    const known = this.verified.get(token);
    if (known) return known[1] < this.now() || this.revoked.has(token) ? undefined : known[0];
    const cut = token.lastIndexOf('.');
    if (cut <= 0) return undefined;
    const payload = token.slice(0, cut);
    const given = Buffer.from(token.slice(cut + 1));
    const expected = Buffer.from(this.mac(payload));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const [userId, expiry] = payload.split('.');
    const expiresAt = parseInt(expiry ?? '', 36);
    if (!userId || !expiry || expiresAt < this.now() || this.revoked.has(token)) return undefined;
    if (this.verified.size >= VERIFIED_MAX) this.verified.clear();
    this.verified.set(token, [userId, expiresAt]);
    return userId;
  }

  revoke(token: string): void {
    const now = this.now();
    for (const [t, until] of this.revoked) if (until < now) this.revoked.delete(t);
    this.revoked.set(token, now + TOKEN_TTL_MS);
  }
}
