/** The stack on Docker swarm and the capacity report, as queries. */
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { ApiError } from '@contract/errors';
import type { CapacityReport, StackStatus } from '@contract/operations/stack';
import { useApi } from '../../app/session';
import { usePermissions } from '../../app/permissions';

/** A server without the stack routes (an older version) is a server without a Docker endpoint. */
const NO_STACK_ROUTES: StackStatus = { configured: false, stack: '', deployed: false, services: [] };

/** Not asked for without `stack_r`: the graph is then read-only, and says why (`StackNote`). */
export function useStack(): UseQueryResult<StackStatus> {
  const api = useApi();
  const allowed = usePermissions().can('stack_r');
  return useQuery({
    queryKey: ['stack'],
    enabled: allowed,
    queryFn: async () => {
      try {
        return await api.getStack({});
      } catch (err) {
        if (err instanceof ApiError && err.code === 'EClientNotFound') return NO_STACK_ROUTES;
        throw err;
      }
    },
    refetchInterval: (q) => (q.state.data?.configured === true ? 3000 : false),
  });
}

export function useCapacity(windowMinutes: number): UseQueryResult<CapacityReport> {
  const api = useApi();
  return useQuery({ queryKey: ['capacity', windowMinutes], queryFn: () => api.getCapacity({ query: { windowMinutes } }), refetchInterval: 5000 });
}
