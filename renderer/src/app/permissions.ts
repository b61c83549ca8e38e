/** What the signed-in user (or the access key's owner) may do, from its roles: the console hides what the server would refuse. */
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { permissionsOf, type Permission } from '@contract/permissions';
import type { HttpFuncApi } from '@contract/client/index';
import { useApi, useSession } from './session';

export interface Permissions {
  /** False until the profile is known. */
  can: (permission: Permission) => boolean;
  /** The profile has been read (before, `can` answers false for everything). */
  known: boolean;
  roles: readonly string[];
}

export function usePermissions(): Permissions {
  const api = useApi();
  const { profile } = useSession();
  const me = useQuery({ queryKey: ['profile', profile.id], queryFn: () => api.profile({}), staleTime: 60_000 });
  const granted = me.data ? permissionsOf(me.data) : new Set<Permission>();
  return { can: (p) => granted.has(p), known: me.data !== undefined, roles: me.data?.roles ?? [] };
}

/** What a page that lists and changes things starts with: the API, the query cache its writes invalidate, and what the user may do. */
export function usePageApi(): { api: HttpFuncApi; qc: QueryClient; can: Permissions['can'] } {
  return { api: useApi(), qc: useQueryClient(), can: usePermissions().can };
}
