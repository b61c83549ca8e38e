/** The active stack profile, its token and the typed client built for it. */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { createHttpClient, type HttpFuncApi } from '@contract/client/index';
import { loadActiveId, loadProfiles, saveActiveId, saveProfiles, type StackProfile } from './profiles';

export interface Session {
  profiles: StackProfile[];
  profile: StackProfile;
  api: HttpFuncApi;
  signedIn: boolean;
  setToken: (token: string | null, username?: string | null) => void;
  switchTo: (id: string) => void;
  addProfile: (name: string, baseUrl: string) => StackProfile;
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

  const api = useMemo(
    () =>
      createHttpClient({
        baseUrl: profile.baseUrl,
        fetch: (url, init) => fetch(url, init as RequestInit),
        getToken: () => profile.token,
        eventSource: (url) => new EventSource(url),
      }),
    [profile.baseUrl, profile.token],
  );

  const value = useMemo<Session>(
    () => ({
      profiles,
      profile,
      api,
      signedIn: profile.token !== null,
      setToken: (token, username = null) => update(profiles.map((p) => (p.id === profile.id ? { ...p, token, username } : p))),
      switchTo: (id) => {
        saveActiveId(id);
        setActiveId(id);
      },
      addProfile: (name, baseUrl) => {
        const added: StackProfile = { id: `p${Date.now().toString(36)}`, name, baseUrl, token: null, username: null };
        update([...profiles, added]);
        return added;
      },
      removeProfile: (id) => update(profiles.filter((p) => p.id !== id || p.id === 'local')),
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
