import { describe, expect, it } from 'vitest';
import { TOKEN_TTL_MS, TokenSigner } from './auth-token.js';

describe('sign-in tokens', () => {
  it('verifies its own tokens, again from memory, and refuses forged or foreign ones', () => {
    const signer = new TokenSigner('secret-a');
    const token = signer.issue('u1');
    expect(signer.verify(token)).toBe('u1');
    expect(signer.verify(token)).toBe('u1');
    expect(signer.verify(`${token.slice(0, -2)}xx`)).toBeUndefined();
    expect(signer.verify(token.replace('u1.', 'u2.'))).toBeUndefined();
    expect(new TokenSigner('secret-b').verify(token)).toBeUndefined();
    expect(signer.verify('garbage')).toBeUndefined();
  });

  it('refuses a remembered token once it expired or was revoked', () => {
    let clock = 1_000_000;
    const signer = new TokenSigner('secret', () => clock);
    const expiring = signer.issue('u1');
    const revoked = signer.issue('u2');
    expect(signer.verify(expiring)).toBe('u1');
    expect(signer.verify(revoked)).toBe('u2');
    signer.revoke(revoked);
    expect(signer.verify(revoked)).toBeUndefined();
    clock += TOKEN_TTL_MS + 1;
    expect(signer.verify(expiring)).toBeUndefined();
  });
});
