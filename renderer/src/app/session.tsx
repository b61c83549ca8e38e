/** The active stack profile, its token or access key, and the typed client built for it. */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { HttpFuncApi } from '@contract/client/index';
import { loadActiveId, loadProfiles, saveActiveId, saveProfiles, usesAccessKey, type StackProfile } from './profiles';
import { clientFor } from './remote-stack';

export interface Session {
  profiles: StackProfile[];
  profile: StackProfile;
  api: HttpFuncApi;
  signedIn: boolean;
  setToken: (token: string | null, username?: string | null) => void;
  switchTo: (id: string) => void;
  addProfile: (name: string, baseUrl: string, accessKey?: { id: string; secret: string }) => StackProfile;
  removeProfile: (id: string) => void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }): ReactNode {
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
      signedIn: profile.token !== null || usesAccessKey(profile),
      setToken: (token, username = null) => {
        if (token === profile.token && username === profile.username) return;
        update(profiles.map((p) => (p.id === profile.id ? { ...p, token, username } : p)));
      },
      switchTo: (id) => {
        saveActiveId(id);
        setActiveId(id);
      },
      addProfile: (name, baseUrl, accessKey) => {
        const added: StackProfile = { id: `p${Date.now().toString(36)}`, name, baseUrl, token: null, username: null, accessKey: accessKey ?? null };
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

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

export function useApi(): HttpFuncApi {
  return useSession().api;
}
