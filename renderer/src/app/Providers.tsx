import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { ApiError } from '@contract/errors';
import { SessionProvider, useSession } from './session';
import { isRefusedKey } from './remote-stack';
import { markSessionEnded } from './session-ended';

/** A sign-in that no longer holds; a refused access key is shown where it happened instead. */
function isAuthError(err: unknown): boolean {
  return err instanceof ApiError && (err.code === 'EUserAuth' || err.code === 'EUserDisabled') && !isRefusedKey(err);
}

function QueryLayer({ children }: { children: ReactNode }): ReactNode {
  const { setToken } = useSession();
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { retry: (n, err) => !isAuthError(err) && !(err instanceof ApiError && err.status < 500) && n < 2, staleTime: 2000, refetchOnWindowFocus: false },
        },
      }),
  );
  // A token the stack refuses ends the session, and the sign-in page then says so (a wrong password
  // is EUserPassword, not this). Subscribed with the session's current setToken: the client is made
  // once, and a setToken from before a sign-in in this tab saw no token, so it had nothing to clear.
  useEffect(() => {
    const ended = (err: unknown): void => {
      if (!isAuthError(err)) return;
      markSessionEnded();
      setToken(null);
    };
    const offQueries = client.getQueryCache().subscribe((e) => {
      if (e.type === 'updated' && e.action.type === 'error') ended(e.action.error);
    });
    const offMutations = client.getMutationCache().subscribe((e) => {
      if (e.type === 'updated' && e.action.type === 'error') ended(e.action.error);
    });
    return () => {
      offQueries();
      offMutations();
    };
  }, [client, setToken]);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

export function Providers({ children }: { children: ReactNode }): ReactNode {
  return (
    <SessionProvider>
      <QueryLayer>{children}</QueryLayer>
    </SessionProvider>
  );
}
