/**
 * Connection profiles: this stack (same origin, signed in with a password) or a remote stack URL
 * with an access key. Kept in localStorage; a remote profile's secret lives only in its profile.
 */
export interface StackProfile {
  id: string;
  name: string;
  /** '' = the stack that serves this console. */
  baseUrl: string;
  token: string | null;
  username: string | null;
  /** Remote stacks: every request is signed with this access key (no sign-in). */
  accessKey?: { id: string; secret: string } | null;
  /** Desktop profiles: the key id only (the secret stays in the main process), and its kind. */
  keyId?: string;
  kind?: 'local' | 'remote' | 'docker';
  hasSecret?: boolean;
}

/** The access key id a profile signs with (browser: kept here; desktop: held by the main process). */
export function accessKeyIdOf(p: StackProfile): string | undefined {
  return p.accessKey?.id ?? p.keyId;
}

const KEY = 'func.profiles';
const ACTIVE = 'func.activeProfile';
export const LOCAL_PROFILE: StackProfile = { id: 'local', name: 'This stack', baseUrl: '', token: null, username: null };

export function loadProfiles(): StackProfile[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEY) ?? '[]') as StackProfile[];
    return parsed.some((p) => p.id === 'local') ? parsed : [LOCAL_PROFILE, ...parsed];
  } catch {
    return [LOCAL_PROFILE];
  }
}

export function saveProfiles(profiles: StackProfile[]): void {
  localStorage.setItem(KEY, JSON.stringify(profiles));
}

export function loadActiveId(): string {
  return localStorage.getItem(ACTIVE) ?? 'local';
}

export function saveActiveId(id: string): void {
  localStorage.setItem(ACTIVE, id);
}
