/**
 * The active stack profile, its token or access key, and the typed client built for it. In a
 * browser the profiles live in localStorage; in the desktop app (`profilesDesktop()`) they are the
 * desktop's, secrets held by the main process, and every call goes over the bridge.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createIpcClient, type HttpFuncApi } from '@contract/client/index';
import { accessKeyIdOf, loadActiveId, loadProfiles, saveActiveId, saveProfiles, type StackProfile } from './profiles';
import { checkRemote, clientFor } from './remote-stack';
import { profilesDesktop, type DesktopProfile, type ProfilesDesktop } from './desktop';
import { forgetScriptSaves } from '../features/scripts/draft-saves';

export interface RemoteStackInput {
  name: string;
  baseUrl: string;
  accessKey: { id: string; secret: string };
}

export interface Session {
  profiles: StackProfile[];
  profile: StackProfile;
  api: HttpFuncApi;
  signedIn: boolean;
  setToken: (token: string | null, username?: string | null) => void;
  switchTo: (id: string) => void;
  /** Checks the stack and key with one signed call, then keeps the profile. */
  connectRemote: (input: RemoteStackInput) => Promise<StackProfile>;
  removeProfile: (id: string) => void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }): ReactNode {
  const desktop = profilesDesktop();
  return desktop ? <DesktopSessionProvider desktop={desktop}>{children}</DesktopSessionProvider> : <BrowserSessionProvider>{children}</BrowserSessionProvider>;
}

function BrowserSessionProvider({ children }: { children: ReactNode }): ReactNode {
  const [profiles, setProfiles] = useState<StackProfile[]>(loadProfiles);
  const [activeId, setActiveId] = useState<string>(loadActiveId);
  const profile = profiles.find((p) => p.id === activeId) ?? profiles[0]!;

  const update = useCallback((next: StackProfile[]) => {
    saveProfiles(next);
    setProfiles(next);
  }, []);

  const api = useMemo(() => clientFor(profile), [profile]);

  const value = useMemo<Session>(
    () => ({
      profiles,
      profile,
      api,
      signedIn: profile.token !== null || accessKeyIdOf(profile) !== undefined,
      setToken: (token, username = null) => {
        if (token === null) forgetScriptSaves();
        if (token === profile.token && username === profile.username) return;
        update(profiles.map((p) => (p.id === profile.id ? { ...p, token, username } : p)));
      },
      switchTo: (id) => {
        forgetScriptSaves();
        saveActiveId(id);
        setActiveId(id);
      },
      connectRemote: async ({ name, baseUrl, accessKey }) => {
        await checkRemote(baseUrl, accessKey);
        const added: StackProfile = { id: `p${Date.now().toString(36)}`, name, baseUrl, token: null, username: null, accessKey };
        update([...profiles, added]);
        return added;
      },
      removeProfile: (id) => {
        update(profiles.filter((p) => p.id !== id || p.id === 'local'));
        if (id === profile.id && id !== 'local') {
          saveActiveId('local');
          setActiveId('local');
        }
      },
    }),
    [profiles, profile, api, update],
  );
  return <SessionContext value={value}>{children}</SessionContext>;
}

/** The desktop's profiles as the console shows them: no secret, ever. */
function fromDesktop(p: DesktopProfile, local: LocalSignIn): StackProfile {
  if (p.kind === 'local') return { id: p.id, name: p.name, baseUrl: '', token: null, username: local.username, kind: 'local' };
  if (p.kind === 'remote') return { id: p.id, name: p.name, baseUrl: p.url, token: null, username: null, keyId: p.accessKeyId, hasSecret: p.hasSecret, kind: 'remote' };
  return { id: p.id, name: p.name, baseUrl: p.endpoint, token: null, username: null, hasSecret: p.hasSecret, kind: 'docker' };
}

function isDesktopProfile(v: unknown): v is DesktopProfile {
  const p = v as Partial<DesktopProfile> | null;
  return typeof p === 'object' && p !== null && typeof p.id === 'string' && typeof p.name === 'string' && (p.kind === 'local' || p.kind === 'remote' || p.kind === 'docker');
}

/** The local stack's sign-in as the renderer knows it: whether and who; the token itself stays in main. */
interface LocalSignIn {
  signedIn: boolean;
  username: string | null;
}
const LOCAL_SIGN_IN = 'func.desktop.localSignIn';

function loadLocalSignIn(): LocalSignIn {
  try {
    const v = JSON.parse(sessionStorage.getItem(LOCAL_SIGN_IN) ?? 'null') as LocalSignIn | null;
    return v && typeof v.signedIn === 'boolean' ? v : { signedIn: false, username: null };
  } catch {
    return { signedIn: false, username: null };
  }
}

/** A profile id main accepts (lowercase letters, digits, dashes), unique among `taken`. */
function profileIdFor(name: string, taken: string[]): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 30) || 'remote';
  let id = base;
  for (let n = 2; taken.includes(id); n++) id = `${base}-${n}`;
  return id;
}

const LOCAL_DESKTOP: DesktopProfile = { kind: 'local', id: 'local', name: 'This computer', active: true };

function DesktopSessionProvider({ desktop, children }: { desktop: ProfilesDesktop; children: ReactNode }): ReactNode {
  const [listed, setListed] = useState<DesktopProfile[]>([LOCAL_DESKTOP]);
  const [activeId, setActiveId] = useState<string>('local');
  const [local, setLocal] = useState<LocalSignIn>(loadLocalSignIn);
  // The routes wait for the desktop's list: which profile is active decides sign-in.
  const [ready, setReady] = useState(false);

  const apply = useCallback((raw: unknown): DesktopProfile[] => {
    const list = Array.isArray(raw) ? raw.filter(isDesktopProfile) : [];
    const next = list.length > 0 ? list : [LOCAL_DESKTOP];
    setListed(next);
    setActiveId(next.find((p) => p.active)?.id ?? 'local');
    setReady(true);
    return next;
  }, []);
  const refresh = useCallback(() => desktop.desktop.listProfiles().then(apply), [desktop, apply]);

  useEffect(() => {
    desktop.desktop.listProfiles().then(apply, () => apply([]));
  }, [desktop, apply]);

  const profiles = useMemo(() => listed.map((p) => fromDesktop(p, local)), [listed, local]);
  const profile = profiles.find((p) => p.id === activeId) ?? profiles[0]!;
  const api = useMemo(
    () =>
      createIpcClient((id, input) => {
        const op = desktop.ops[id];
        return op ? op(input, profile.id) : Promise.resolve({ ok: false, error: { code: 'EClientNotFound', message: `no operation ${id} on the desktop bridge`, detail: {} } });
      }),
    [desktop, profile.id],
  );

  const value = useMemo<Session>(
    () => ({
      profiles,
      profile,
      api,
      signedIn: profile.kind === 'local' ? local.signedIn : profile.kind === 'remote' && profile.hasSecret === true,
      setToken: (token, username = null) => {
        if (token === null) forgetScriptSaves();
        if (profile.kind !== 'local') return;
        // The token itself is kept by the main process (it made the call); only the fact is kept here.
        const next: LocalSignIn = { signedIn: token !== null, username: token === null ? null : username };
        if (next.signedIn === local.signedIn && next.username === local.username) return;
        sessionStorage.setItem(LOCAL_SIGN_IN, JSON.stringify(next));
        setLocal(next);
      },
      switchTo: (id) => {
        forgetScriptSaves();
        setActiveId(id);
        desktop.desktop.activateProfile(id).then(
          () => refresh(),
          () => undefined,
        );
      },
      connectRemote: async ({ name, baseUrl, accessKey }) => {
        const id = profileIdFor(
          name,
          listed.map((p) => p.id),
        );
        // The secret goes to main once, here; it is encrypted there and never comes back.
        await desktop.desktop.saveProfile({ kind: 'remote', id, name, url: baseUrl, accessKeyId: accessKey.id, accessKeySecret: accessKey.secret });
        try {
          await createIpcClient((op, input) => desktop.ops[op]?.(input, id) ?? Promise.resolve(null)).profile({});
        } catch (err) {
          await desktop.desktop.removeProfile(id).catch(() => undefined);
          await refresh().catch(() => undefined);
          throw err;
        }
        const next = await refresh();
        const saved = next.find((p) => p.id === id);
        return saved ? fromDesktop(saved, local) : { id, name, baseUrl, token: null, username: null, keyId: accessKey.id, hasSecret: true, kind: 'remote' };
      },
      removeProfile: (id) => {
        if (id === 'local') return;
        desktop.desktop.removeProfile(id).then(
          () => refresh(),
          () => undefined,
        );
      },
    }),
    [profiles, profile, api, local, listed, desktop, refresh],
  );
  return <SessionContext value={value}>{ready ? children : null}</SessionContext>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

export function useApi(): HttpFuncApi {
  return useSession().api;
}
