/**
 * Connection profiles on disk, secrets encrypted with Electron's safeStorage (passed in). The
 * renderer only ever gets `PublicProfile`s; `secretOf` is for the main process.
 */
import { ApiError } from '../../../contract/errors.js';
import { storedProfile, type ProfileInput, type PublicProfile, type StoredProfile } from './profile-schema.js';

/** The part of Electron's `safeStorage` used here. */
export interface SecretCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export interface ProfileFile {
  read(): string | undefined;
  write(text: string): void;
}

interface FileShape {
  active: string;
  profiles: StoredProfile[];
}

const LOCAL: StoredProfile = { kind: 'local', id: 'local', name: 'This computer' };

export class ProfileStore {
  constructor(
    private readonly cipher: SecretCipher,
    private readonly file: ProfileFile,
  ) {}

  list(): PublicProfile[] {
    const { active, profiles } = this.load();
    return profiles.map((p) => toPublic(p, p.id === active));
  }

  active(): StoredProfile {
    const { active, profiles } = this.load();
    return profiles.find((p) => p.id === active) ?? LOCAL;
  }

  save(input: ProfileInput): PublicProfile {
    const data = this.load();
    const existing = data.profiles.find((p) => p.id === input.id);
    if (existing && existing.kind !== input.kind) throw new ApiError('EClientDuplicated', `profile ${input.id} exists with another kind`, { field: 'id' });
    const stored = this.toStored(input, existing);
    data.profiles = existing ? data.profiles.map((p) => (p.id === input.id ? stored : p)) : [...data.profiles, stored];
    this.store(data);
    return toPublic(stored, data.active === stored.id);
  }

  remove(id: string): void {
    if (id === LOCAL.id) throw new ApiError('EBizCondition', 'the local profile cannot be removed');
    const data = this.load();
    data.profiles = data.profiles.filter((p) => p.id !== id);
    if (data.active === id) data.active = LOCAL.id;
    this.store(data);
  }

  activate(id: string): PublicProfile {
    const data = this.load();
    const p = data.profiles.find((x) => x.id === id);
    if (!p) throw new ApiError('EClientNotFound', `no profile ${id}`);
    data.active = id;
    this.store(data);
    return toPublic(p, true);
  }

  /** The decrypted secret (access key secret, SSH passphrase): main process only. */
  secretOf(id: string): string | undefined {
    const p = this.load().profiles.find((x) => x.id === id);
    if (!p || p.kind === 'local' || p.secret === undefined) return undefined;
    return this.cipher.decryptString(Buffer.from(p.secret, 'base64'));
  }

  private toStored(input: ProfileInput, existing: StoredProfile | undefined): StoredProfile {
    if (input.kind === 'local') return input;
    const plain = input.kind === 'remote' ? input.accessKeySecret : input.sshPassphrase;
    const kept = existing && existing.kind !== 'local' ? existing.secret : undefined;
    const secret = plain === undefined ? kept : this.encrypt(plain);
    if (input.kind === 'remote')
      return { kind: 'remote', id: input.id, name: input.name, url: new URL(input.url).origin, accessKeyId: input.accessKeyId, ...(secret === undefined ? {} : { secret }) };
    return { kind: 'docker', id: input.id, name: input.name, endpoint: input.endpoint, ...(secret === undefined ? {} : { secret }) };
  }

  private encrypt(plain: string): string {
    if (!this.cipher.isEncryptionAvailable()) throw new ApiError('EBizCondition', 'the system keychain is not available: secrets cannot be stored safely');
    return this.cipher.encryptString(plain).toString('base64');
  }

  private load(): FileShape {
    const text = this.file.read();
    if (!text) return { active: LOCAL.id, profiles: [LOCAL] };
    const raw = JSON.parse(text) as { active?: unknown; profiles?: unknown[] };
    const profiles = (raw.profiles ?? []).flatMap((p) => {
      const parsed = storedProfile.safeParse(p);
      return parsed.success ? [parsed.data] : [];
    });
    if (!profiles.some((p) => p.id === LOCAL.id)) profiles.unshift(LOCAL);
    return { active: typeof raw.active === 'string' ? raw.active : LOCAL.id, profiles };
  }

  private store(data: FileShape): void {
    this.file.write(JSON.stringify(data, null, 2));
  }
}

function toPublic(p: StoredProfile, active: boolean): PublicProfile {
  if (p.kind === 'local') return { kind: 'local', id: p.id, name: p.name, active };
  if (p.kind === 'remote') return { kind: 'remote', id: p.id, name: p.name, url: p.url, accessKeyId: p.accessKeyId, hasSecret: p.secret !== undefined, active };
  return { kind: 'docker', id: p.id, name: p.name, endpoint: p.endpoint, hasSecret: p.secret !== undefined, active };
}
