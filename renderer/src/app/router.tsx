import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { Layout } from './Layout';
import { RequireSignIn } from './RequireSignIn';
import { SignInPage } from '../features/sign-in/SignInPage';
import { OverviewPage } from '../features/overview/OverviewPage';
import { TaskRecordsPage } from '../features/tasks/TaskRecordsPage';
import { RunDiffPage } from '../features/tasks/RunDiffPage';
import { EntityPage } from '../features/entities/EntityPage';
import { entityConfigs } from '../features/entities/entity-configs';
import { Spinner } from '../ui/States';
import { OperationRecordsPage } from '../features/admin/OperationRecordsPage';
import { RecoverPointsPage } from '../features/admin/RecoverPointsPage';
import { FuncDataPage } from '../features/admin/FuncDataPage';
import { ResourcesPage } from '../features/resources/ResourcesPage';
import { PythonPackagesPage } from '../features/python-packages/PythonPackagesPage';
import { ConnectorsPage } from '../features/connectors/ConnectorsPage';

const ScriptsPage = lazy(() => import('../features/scripts/ScriptsPage'));
// React Flow loads with the topology page only.
const TopologyPage = lazy(() => import('../features/topology/TopologyPage'));

function lazyPage(node: ReactNode, label = 'Loading the editor…'): ReactNode {
  return <Suspense fallback={<Spinner label={label} />}>{node}</Suspense>;
}

export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  {
    path: '/',
    element: (
      <RequireSignIn>
        <Layout />
      </RequireSignIn>
    ),
    children: [
      { index: true, element: <Navigate to="/overview" replace /> },
      { path: 'overview', element: <OverviewPage /> },
      { path: 'topology', element: lazyPage(<TopologyPage />, 'Loading the topology…') },
      { path: 'scripts', element: lazyPage(<ScriptsPage />) },
      { path: 'scripts/:scriptId', element: lazyPage(<ScriptsPage />) },
      { path: 'tasks', element: <TaskRecordsPage /> },
      { path: 'tasks/diff', element: <RunDiffPage /> },
      { path: 'operation-records', element: <OperationRecordsPage /> },
      { path: 'recover-points', element: <RecoverPointsPage /> },
      { path: 'func-data', element: <FuncDataPage /> },
      { path: 'resources', element: <ResourcesPage /> },
      { path: 'python-packages', element: <PythonPackagesPage /> },
      { path: 'connectors', element: <ConnectorsPage /> },
      ...entityConfigs.map((c) => ({ path: c.path, element: <EntityPage key={c.path} config={c} /> })),
      { path: '*', element: <Navigate to="/overview" replace /> },
    ],
  },
]);
