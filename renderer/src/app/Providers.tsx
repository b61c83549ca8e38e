import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { ApiError } from '@contract/errors';
import { SessionProvider, useSession } from './session';
import { isRefusedKey } from './remote-stack';

/** A sign-in that no longer holds; a refused access key is shown where it happened instead. */
function isAuthError(err: unknown): boolean {
  return err instanceof ApiError && (err.code === 'EUserAuth' || err.code === 'EUserDisabled') && !isRefusedKey(err);
}

function QueryLayer({ children }: { children: ReactNode }): ReactNode {
  const { setToken } = useSession();
  const [client] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError: (err) => isAuthError(err) && setToken(null) }),
        mutationCache: new MutationCache({ onError: (err) => isAuthError(err) && setToken(null) }),
        defaultOptions: {
          queries: { retry: (n, err) => !isAuthError(err) && !(err instanceof ApiError && err.status < 500) && n < 2, staleTime: 2000, refetchOnWindowFocus: false },
        },
      }),
  );
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

export function Providers({ children }: { children: ReactNode }): ReactNode {
  return (
    <SessionProvider>
      <QueryLayer>{children}</QueryLayer>
    </SessionProvider>
  );
}
