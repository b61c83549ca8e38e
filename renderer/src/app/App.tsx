import type { ReactNode } from 'react';
import { RouterProvider } from 'react-router';
import { Providers } from './Providers';
import { router } from './router';

export function App(): ReactNode {
  return (
    <Providers>
      <RouterProvider router={router} />
    </Providers>
  );
}
