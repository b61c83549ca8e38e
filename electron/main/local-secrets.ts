/**
 * The local stack's admin password and FUNC_SECRET: generated on first start, kept in the
 * app-data folder encrypted with safeStorage. They never reach the renderer.
 */
import { randomBytes } from 'node:crypto';
import type { SecretCipher } from './profiles/profile-store.js';
import type { ProfileFile } from './profiles/profile-store.js';

export interface LocalSecrets {
  adminPassword: string;
  secret: string;
}

export function loadLocalSecrets(cipher: SecretCipher, file: ProfileFile): LocalSecrets {
  const text = file.read();
  if (text) {
    const s = JSON.parse(text) as { encrypted: boolean; adminPassword: string; secret: string };
    const open = (v: string): string => (s.encrypted ? cipher.decryptString(Buffer.from(v, 'base64')) : v);
    return { adminPassword: open(s.adminPassword), secret: open(s.secret) };
  }
  const fresh = { adminPassword: randomBytes(18).toString('base64url'), secret: randomBytes(32).toString('base64url') };
  const encrypted = cipher.isEncryptionAvailable();
  const seal = (v: string): string => (encrypted ? cipher.encryptString(v).toString('base64') : v);
  file.write(JSON.stringify({ encrypted, adminPassword: seal(fresh.adminPassword), secret: seal(fresh.secret) }));
  return fresh;
}
