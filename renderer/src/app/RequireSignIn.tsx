import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useSession } from './session';

export function RequireSignIn({ children }: { children: ReactNode }): ReactNode {
  const { signedIn } = useSession();
  const location = useLocation();
  if (!signedIn) return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return children;
}
