import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../contract/errors.js';
import { profileInput } from './profile-schema.js';
import { ProfileStore, type SecretCipher } from './profile-store.js';

/** A reversible stand-in for safeStorage that is visibly not plain text. */
const cipher = (available = true): SecretCipher => ({
  isEncryptionAvailable: () => available,
  encryptString: (s) => Buffer.from(`enc:${Buffer.from(s).toString('hex')}`),
  decryptString: (b) => Buffer.from(b.toString().slice(4), 'hex').toString(),
});

function memoryFile() {
  let text: string | undefined;
  return {
    read: () => text,
    write: (t: string) => (text = t),
    get text() {
      return text ?? '';
    },
  };
}

describe('ProfileStore', () => {
  it('starts with the local profile, active', () => {
    expect(new ProfileStore(cipher(), memoryFile()).list()).toEqual([{ kind: 'local', id: 'local', name: 'This computer', active: true }]);
  });

  it('stores a remote access key secret encrypted and never returns it', () => {
    const file = memoryFile();
    const store = new ProfileStore(cipher(), file);
    const saved = store.save(profileInput.parse({ kind: 'remote', id: 'prod', name: 'Prod', url: 'https://func.example.com/', accessKeyId: 'ak1', accessKeySecret: 'TOP-SECRET' }));
    expect(saved).toEqual({ kind: 'remote', id: 'prod', name: 'Prod', url: 'https://func.example.com', accessKeyId: 'ak1', hasSecret: true, active: false });
    expect(file.text).not.toContain('TOP-SECRET');
    expect(JSON.stringify(store.list())).not.toContain('TOP-SECRET');
    expect(store.secretOf('prod')).toBe('TOP-SECRET');
    // Saving again without a secret keeps the stored one.
    store.save(profileInput.parse({ kind: 'remote', id: 'prod', name: 'Production', url: 'https://func.example.com', accessKeyId: 'ak1' }));
    expect(store.secretOf('prod')).toBe('TOP-SECRET');
  });

  it('refuses to store a secret without a keychain', () => {
    const store = new ProfileStore(cipher(false), memoryFile());
    expect(() => store.save(profileInput.parse({ kind: 'docker', id: 'swarm', name: 'Swarm', endpoint: 'ssh://ops@10.0.0.5:2222', sshPassphrase: 'x' }))).toThrow(ApiError);
  });

  it('validates docker endpoints and remote URLs', () => {
    expect(profileInput.safeParse({ kind: 'docker', id: 'd', name: 'D', endpoint: 'unix:///var/run/docker.sock' }).success).toBe(true);
    expect(profileInput.safeParse({ kind: 'docker', id: 'd', name: 'D', endpoint: 'tcp://1.2.3.4:2375' }).success).toBe(false);
    expect(profileInput.safeParse({ kind: 'remote', id: 'r', name: 'R', url: 'file:///etc', accessKeyId: 'a' }).success).toBe(false);
    expect(profileInput.safeParse({ kind: 'remote', id: 'r', name: 'R', url: 'https://x.example.com/api', accessKeyId: 'a' }).success).toBe(false);
    expect(profileInput.safeParse({ kind: 'local', id: 'local', name: 'L', extra: 1 }).success).toBe(false);
  });

  it('activates and removes; the local profile stays', () => {
    const store = new ProfileStore(cipher(), memoryFile());
    store.save(profileInput.parse({ kind: 'docker', id: 'swarm', name: 'Swarm', endpoint: 'unix:///var/run/docker.sock' }));
    expect(store.activate('swarm').active).toBe(true);
    expect(store.active().id).toBe('swarm');
    store.remove('swarm');
    expect(store.active().id).toBe('local');
    expect(() => store.remove('local')).toThrow(/cannot be removed/);
  });
});
