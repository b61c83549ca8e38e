/** Contract: sign-in state marks (signed-out tokens, nonces) and users.tokensValidAfter. */
import { expect, it } from 'vitest';
import type { GetStore } from './store-contract.js';

export function authStateContract(getStore: GetStore): void {
  it('marks a key once until it expires, then again', async () => {
    const auth = getStore().authState;
    expect(await auth.isMarked('token:a', 10)).toBe(false);
    expect(await auth.mark('token:a', 100, 10)).toBe(true);
    expect(await auth.mark('token:a', 200, 50)).toBe(false);
    expect(await auth.isMarked('token:a', 99)).toBe(true);
    expect(await auth.isMarked('token:a', 100)).toBe(false);
    expect(await auth.isMarked('token:A', 50)).toBe(false);
    expect(await auth.mark('token:a', 300, 100)).toBe(true);
    expect(await auth.isMarked('token:a', 299)).toBe(true);
  });

  it('prunes only the expired marks', async () => {
    const auth = getStore().authState;
    await auth.mark('nonce:old-1', 1_000, 0);
    await auth.mark('nonce:old-2', 1_500, 0);
    await auth.mark('nonce:live', 5_000, 0);
    expect(await auth.prune(2_000)).toBeGreaterThanOrEqual(2);
    expect(await auth.isMarked('nonce:live', 2_000)).toBe(true);
    expect(await auth.prune(2_000)).toBe(0);
    // A pruned key can be marked again.
    expect(await auth.mark('nonce:old-1', 3_000, 2_000)).toBe(true);
  });

  it('a user row without tokensValidAfter reads it as null', async () => {
    const users = getStore().entity('users');
    await users.insert({ id: 'u-tva', username: 'tva', name: null, passwordHash: 'scrypt$x', roles: [], isDisabled: false, createTime: 1, updateTime: 1 });
    expect((await users.get('u-tva'))?.tokensValidAfter).toBeNull();
    await users.update('u-tva', { tokensValidAfter: 1_700_000_000_000 });
    expect((await users.get('u-tva'))?.tokensValidAfter).toBe(1_700_000_000_000);
    await users.delete('u-tva');
  });
}
