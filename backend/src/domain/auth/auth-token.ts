/**
 * Sign-in tokens: `<userId>.<expiry ms base36>.<token id>.<hmac>` signed with FUNC_SECRET, so any
 * server of the stack checks the signature without a lookup. What can end a token before its expiry
 * is kept in the store, which every server shares and which outlives a restart:
 * - sign-out marks the token's id (`auth_marks`, until the token's own expiry, then pruned);
 * - a change of a user's password, roles or disabled flag sets `users.tokensValidAfter`: every
 *   token of that user issued before it is refused.
 * Both are read through short caches (AUTH_STATE_CACHE_MS): a revocation made on another server
 * takes effect there within that time; on the server that made it, at once.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuthStateOps } from '../ports/store.js';

export const TOKEN_TTL_MS = 24 * 3600 * 1000;
/** How long a server trusts what it read of a token's revocation (and of its user: server/auth.ts). */
export const AUTH_STATE_CACHE_MS = 2000;
/** Expired marks (signed-out tokens, used nonces) are deleted at most this often, by each server. */
export const AUTH_MARKS_PRUNE_MS = 60_000;
/** Verified tokens (their HMAC is not computed again) and revocation answers remembered, each; a map is cleared when full. */
const REMEMBERED_MAX = 10_000;

/** What a token whose signature checked out says. */
export interface TokenClaims {
  userId: string;
  /** Random, unique per token: what sign-out marks. */
  id: string;
  issuedAt: number;
  expiresAt: number;
}

export class TokenSigner {
  /** token → claims of tokens whose signature checked out. */
  private readonly verified = new Map<string, TokenClaims>();

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

  /** The claims, or undefined when the token is malformed, forged or expired (revocation is TokenRevocations'). */
  verify(token: string): TokenClaims | undefined {
    const known = this.verified.get(token);
    if (known) return known.expiresAt < this.now() ? undefined : known;
    const cut = token.lastIndexOf('.');
    if (cut <= 0) return undefined;
    const payload = token.slice(0, cut);
    const given = Buffer.from(token.slice(cut + 1));
    const expected = Buffer.from(this.mac(payload));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const [userId, expiry, id] = payload.split('.');
    const expiresAt = parseInt(expiry ?? '', 36);
    if (!userId || !expiry || !id || !Number.isFinite(expiresAt) || expiresAt < this.now()) return undefined;
    const claims: TokenClaims = { userId, id, issuedAt: expiresAt - TOKEN_TTL_MS, expiresAt };
    if (this.verified.size >= REMEMBERED_MAX) this.verified.clear();
    this.verified.set(token, claims);
    return claims;
  }
}

/** A token issued before its user's tokensValidAfter (password, roles or disabled flag changed since). */
export function issuedBeforeCutoff(claims: TokenClaims, user: { tokensValidAfter?: number | null }): boolean {
  return typeof user.tokensValidAfter === 'number' && claims.issuedAt < user.tokensValidAfter;
}

/** The mark of an access-key nonce: fixed length whatever the nonce sent. */
export function nonceMark(accessKeyId: string, nonce: string): string {
  return `nonce:${createHash('sha256').update(`${accessKeyId}\n${nonce}`).digest('base64url')}`;
}

/**
 * Marks in the store, shared by every server and kept across restarts: signed-out tokens and
 * (embedded mode) used nonces. One instance per server.
 */
export class AuthMarks {
  /** token id → [revoked, read at]. */
  private readonly revocations = new Map<string, [boolean, number]>();
  private lastPrune = 0;

  constructor(
    private readonly state: AuthStateOps,
    private readonly now: () => number = Date.now,
  ) {}

  /** Sign-out: the token is refused by every server (this one at once), across restarts. */
  async revoke(claims: TokenClaims): Promise<void> {
    await this.state.mark(`token:${claims.id}`, claims.expiresAt, this.now());
    this.remember(claims.id, true, Number.POSITIVE_INFINITY);
    this.pruneNowAndThen();
  }

  async isRevoked(claims: TokenClaims): Promise<boolean> {
    const now = this.now();
    const hit = this.revocations.get(claims.id);
    if (hit && (hit[0] || now - hit[1] < AUTH_STATE_CACHE_MS)) return hit[0];
    const revoked = await this.state.isMarked(`token:${claims.id}`, now);
    this.remember(claims.id, revoked, now);
    return revoked;
  }

  /** True the first time `key` is used before `expireAt`, false after (on any server, across restarts). */
  async firstUse(key: string, expireAt: number): Promise<boolean> {
    const fresh = await this.state.mark(key, expireAt, this.now());
    this.pruneNowAndThen();
    return fresh;
  }

  private remember(id: string, revoked: boolean, at: number): void {
    if (this.revocations.size >= REMEMBERED_MAX) this.revocations.clear();
    this.revocations.set(id, [revoked, at]);
  }

  private pruneNowAndThen(): void {
    const now = this.now();
    if (now - this.lastPrune < AUTH_MARKS_PRUNE_MS) return;
    this.lastPrune = now;
    // Best effort: a failed prune is retried on a later mark; expired marks are ignored meanwhile.
    this.state.prune(now).catch(() => undefined);
  }
}
