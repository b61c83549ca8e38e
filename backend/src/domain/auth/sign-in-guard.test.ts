import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password.js';
import { checkPassword } from './sign-in-guard.js';

describe('checkPassword', () => {
  it('runs one scrypt verification for an unknown user too (a dummy hash), and answers false', async () => {
    const hashes: string[] = [];
    const counting = (password: string, hash: string): Promise<boolean> => {
      hashes.push(hash);
      return verifyPassword(password, hash);
    };
    const user = { passwordHash: await hashPassword('right') };
    expect(await checkPassword('right', user, counting)).toBe(true);
    expect(await checkPassword('wrong', user, counting)).toBe(false);
    expect(await checkPassword('right', undefined, counting)).toBe(false);
    expect(await checkPassword('anything', undefined, counting)).toBe(false);
    expect(hashes).toHaveLength(4);
    // The dummy has the scheme and salt/key sizes of a real hash, so it costs the same.
    const shape = (h: string): number[] => h.split('$').map((p) => p.length);
    expect(shape(hashes[2]!)).toEqual(shape(user.passwordHash));
    expect(hashes[2]).not.toBe(user.passwordHash);
  });
});
