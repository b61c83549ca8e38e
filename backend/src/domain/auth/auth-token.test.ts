import { describe, expect, it } from 'vitest';
import { issuedBeforeCutoff, nonceMark, TOKEN_TTL_MS, TokenSigner } from './auth-token.js';

describe('sign-in tokens', () => {
  it('verifies its own tokens, again from memory, and refuses forged or foreign ones', () => {
    const signer = new TokenSigner('secret-a');
    const token = signer.issue('u1');
    expect(signer.verify(token)?.userId).toBe('u1');
    expect(signer.verify(token)?.userId).toBe('u1');
    expect(signer.verify(`${token.slice(0, -2)}xx`)).toBeUndefined();
    expect(signer.verify(token.replace('u1.', 'u2.'))).toBeUndefined();
    expect(new TokenSigner('secret-b').verify(token)).toBeUndefined();
    expect(signer.verify('garbage')).toBeUndefined();
  });

  it('answers the claims: a distinct id per token, issue and expiry times', () => {
    const clock = 1_700_000_000_000;
    const signer = new TokenSigner('secret', () => clock);
    const a = signer.verify(signer.issue('u1'))!;
    const b = signer.verify(signer.issue('u1'))!;
    expect(a).toMatchObject({ userId: 'u1', issuedAt: clock, expiresAt: clock + TOKEN_TTL_MS });
    expect(a.id).not.toBe(b.id);
  });

  it('refuses a remembered token once it expired', () => {
    let clock = 1_000_000;
    const signer = new TokenSigner('secret', () => clock);
    const expiring = signer.issue('u1');
    expect(signer.verify(expiring)?.userId).toBe('u1');
    clock += TOKEN_TTL_MS + 1;
    expect(signer.verify(expiring)).toBeUndefined();
  });

  it('refuses tokens issued before the user’s tokensValidAfter, not those after', () => {
    let clock = 5_000;
    const signer = new TokenSigner('secret', () => clock);
    const before = signer.verify(signer.issue('u1'))!;
    clock = 6_000;
    const after = signer.verify(signer.issue('u1'))!;
    expect(issuedBeforeCutoff(before, { tokensValidAfter: 6_000 })).toBe(true);
    expect(issuedBeforeCutoff(after, { tokensValidAfter: 6_000 })).toBe(false);
    expect(issuedBeforeCutoff(before, { tokensValidAfter: null })).toBe(false);
    expect(issuedBeforeCutoff(before, {})).toBe(false);
  });

  it('names a nonce with a fixed-length mark, distinct per key and nonce', () => {
    const long = nonceMark('ak-1', 'n'.repeat(10_000));
    expect(long.length).toBeLessThan(64);
    expect(nonceMark('ak-1', 'n1')).not.toBe(nonceMark('ak-2', 'n1'));
    expect(nonceMark('ak-1', 'n1')).toBe(nonceMark('ak-1', 'n1'));
  });
});
