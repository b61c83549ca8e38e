/** Secrets at rest: AES-256-GCM with a key derived from FUNC_SECRET. Text form `v1:<iv>:<tag>:<data>` (base64url). */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

export class SecretBox {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHash('sha256').update(`func-secret-box:${secret}`).digest();
  }

  /** A keyed MAC (hex) for values that must be checkable later without storing them (digest nonces). */
  mac(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('hex');
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join(':');
  }

  decrypt(text: string): string {
    const [v, iv, tag, data] = text.split(':');
    if (v !== 'v1' || !iv || !tag || data === undefined) throw new Error('not an encrypted secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}
