import { describe, expect, it } from 'vitest';
import { loadLocalSecrets } from './local-secrets.js';

describe('loadLocalSecrets', () => {
  it('generates once, stores encrypted, reads back the same values', () => {
    let text: string | undefined;
    const file = { read: () => text, write: (t: string) => (text = t) };
    const cipher = { isEncryptionAvailable: () => true, encryptString: (s: string) => Buffer.from(s).reverse(), decryptString: (b: Buffer) => Buffer.from(b).reverse().toString() };
    const first = loadLocalSecrets(cipher, file);
    expect(first.adminPassword.length).toBeGreaterThanOrEqual(20);
    expect(text).not.toContain(first.adminPassword);
    expect(loadLocalSecrets(cipher, file)).toEqual(first);
  });
});
