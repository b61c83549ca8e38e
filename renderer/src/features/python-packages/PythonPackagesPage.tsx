/** Extra Python packages for the functions: what is installed, an install form (packages, index URL, local wheels), the install's live progress. */
import { useEffect, useState, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../app/session';
import { usePageApi, usePermissions } from '../../app/permissions';
import { Badge, Card, statusTone, Page } from '../../ui/Page';
import { Button } from '../../ui/Button';
import { Field, TextInput } from '../../ui/Field';
import { EmptyState, ErrorBanner, Spinner } from '../../ui/States';
import { Table, cellClass, mutedCellClass } from '../../ui/Table';
import { formatDuration } from '../../ui/format';
import { errorFor } from '../../ui/field-errors';
import { installProgress } from './install-progress';

function InstallForm({ running }: { running: boolean }): ReactNode {
  const api = useApi();
  const qc = useQueryClient();
  const [packages, setPackages] = useState('');
  const [indexUrl, setIndexUrl] = useState('');
  const [findLinks, setFindLinks] = useState('');
  const [upgrade, setUpgrade] = useState(false);
  const install = useMutation({
    mutationFn: () =>
      api.installPythonPackages({
        body: { packages, ...(indexUrl.trim() ? { pipIndexURL: indexUrl.trim() } : {}), ...(findLinks.trim() ? { findLinks: findLinks.trim() } : {}), upgrade },
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['pythonPackageStatus'] }),
  });
  const fieldError = (f: string): string | null => errorFor(install.error, f);
  const named = ['packages', 'pipIndexURL', 'findLinks'].some((f) => fieldError(f) !== null);
  return (
    <form
      className="space-y-3 p-4"
      onSubmit={(e) => {
        e.preventDefault();
        install.mutate();
      }}
      data-testid="python-install-form"
    >
      {install.error && !named ? <ErrorBanner error={install.error} /> : null}
      <Field
        label="Packages"
        hint="Space-separated: name, name==1.0, name[extra]>=1, or a .whl file of the resources folder"
        error={fieldError('packages')}
        testId="python-install-packages"
      >
        <TextInput
          value={packages}
          placeholder="requests==2.32.3 /wheels/mylib-1.0-py3-none-any.whl"
          onChange={(e) => setPackages(e.target.value)}
          data-testid="python-install-packages"
        />
      </Field>
      <div className="grid gap-3 md:grid-cols-2">
        <Field label="Index URL" hint="Optional; the stack's FUNC_PIP_INDEX_URL when empty" error={fieldError('pipIndexURL')} testId="python-install-index">
          <TextInput value={indexUrl} placeholder="https://pypi.org/simple" onChange={(e) => setIndexUrl(e.target.value)} data-testid="python-install-index" />
        </Field>
        <Field label="Find links" hint="Optional; a folder of wheels in the resources folder (offline installs)" error={fieldError('findLinks')} testId="python-install-find-links">
          <TextInput value={findLinks} placeholder="/wheels" onChange={(e) => setFindLinks(e.target.value)} data-testid="python-install-find-links" />
        </Field>
      </div>
      <div className="flex items-center justify-between gap-3">
        <label className="flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
          <input type="checkbox" checked={upgrade} onChange={(e) => setUpgrade(e.target.checked)} className="size-4 rounded border-zinc-300" />
          Upgrade packages already installed
        </label>
        <Button type="submit" variant="primary" disabled={running || install.isPending || packages.trim() === ''} data-testid="python-install-submit">
          {running ? 'Installing…' : 'Install'}
        </Button>
      </div>
    </form>
  );
}

function InstallStatus(): ReactNode {
  const { api, qc, can } = usePageApi();
  const status = useQuery({
    queryKey: ['pythonPackageStatus'],
    queryFn: () => api.getPythonPackageInstallStatus({}),
    refetchInterval: (q) => (q.state.data && installProgress(q.state.data).running ? 1000 : 10_000),
  });
  const steps = status.data ?? [];
  const progress = installProgress(steps);
  // When an install ends, the installed list changes.
  useEffect(() => {
    if (!progress.running) void qc.invalidateQueries({ queryKey: ['pythonPackages'] });
  }, [progress.running, qc]);
  const clear = useMutation({
    mutationFn: () => api.clearPythonPackageInstallStatus({}),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['pythonPackageStatus'] }),
  });
  return (
    <Card
      title="Install status"
      testId="python-install-status"
      actions={
        steps.length > 0 && !progress.running && can('general_w') ? (
          <Button size="sm" variant="ghost" onClick={() => clear.mutate()} disabled={clear.isPending} data-testid="python-install-clear">
            Clear
          </Button>
        ) : null
      }
    >
      <div className="space-y-3 p-4">
        {status.error ? <ErrorBanner error={status.error} /> : null}
        {clear.error ? <ErrorBanner error={clear.error} /> : null}
        {status.isPending ? (
          <Spinner />
        ) : steps.length === 0 ? (
          <p className="text-sm text-zinc-500" data-testid="python-install-idle">
            No install yet. Packages are installed one after the other, into a folder of the stack the functions import from.
          </p>
        ) : (
          <>
            <div className="flex items-center justify-between text-sm">
              <span data-testid="python-install-summary" data-running={progress.running}>
                {progress.running
                  ? `Installing: ${progress.done} of ${progress.total} done`
                  : `Finished: ${progress.total - progress.failed} installed${progress.failed ? `, ${progress.failed} failed` : ''}`}
              </span>
              <span className="tabular-nums text-zinc-500">{progress.percent}%</span>
            </div>
            <div className="h-1.5 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800">
              <div
                className={`h-full transition-all ${progress.failed ? 'bg-red-500' : progress.running ? 'bg-indigo-500' : 'bg-emerald-500'}`}
                style={{ width: `${progress.percent}%` }}
              />
            </div>
            <ol className="divide-y divide-zinc-100 rounded-md border border-zinc-200 text-sm dark:divide-zinc-800 dark:border-zinc-800">
              {steps.map((s) => (
                <li key={s.order} className="space-y-1 px-3 py-2" data-testid="python-install-step" data-status={s.status}>
                  <div className="flex items-center gap-2">
                    <Badge tone={s.status === 'installing' ? 'indigo' : s.status === 'waiting' ? 'amber' : statusTone(s.status)}>{s.status}</Badge>
                    <span className="min-w-0 flex-1 truncate font-mono text-[13px]" title={s.package}>
                      {s.package}
                    </span>
                    <span className="shrink-0 tabular-nums text-xs text-zinc-500">
                      {s.startTimeMs !== null ? formatDuration((s.endTimeMs ?? s.nowMs ?? s.startTimeMs) - s.startTimeMs) : ''}
                    </span>
                  </div>
                  {s.error ? (
                    <pre
                      className="max-h-40 overflow-auto whitespace-pre-wrap break-words rounded border border-red-200 bg-red-50 px-2 py-1 font-mono text-xs text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200"
                      data-testid="python-install-error"
                    >
                      {s.error}
                    </pre>
                  ) : null}
                </li>
              ))}
            </ol>
          </>
        )}
      </div>
    </Card>
  );
}

function Installed(): ReactNode {
  const api = useApi();
  const [filter, setFilter] = useState('');
  const list = useQuery({ queryKey: ['pythonPackages'], queryFn: () => api.listInstalledPythonPackages({}) });
  const shown = (list.data ?? []).filter((p) => p.name.toLowerCase().includes(filter.trim().toLowerCase()));
  return (
    <Card
      title={`Installed packages${list.data ? ` (${list.data.length})` : ''}`}
      testId="python-installed"
      actions={
        <div className="w-56">
          <TextInput className="!h-7 text-xs" placeholder="Filter by name" value={filter} onChange={(e) => setFilter(e.target.value)} data-testid="python-installed-filter" />
        </div>
      }
    >
      <div className="p-4">
        {list.isPending ? (
          <Spinner />
        ) : list.error ? (
          <ErrorBanner error={list.error} onRetry={() => void list.refetch()} />
        ) : shown.length === 0 ? (
          <EmptyState title={filter ? 'No package matches' : 'No packages'} testId="python-installed-empty" />
        ) : (
          <Table headers={['Package', 'Built in', 'Installed here']} testId="python-installed-table">
            {shown.map((p) => (
              <tr key={p.name} data-testid={`python-package-${p.name}`}>
                <td className={`${cellClass} font-mono text-[13px]`}>{p.name}</td>
                <td className={mutedCellClass}>{p.builtinVersion ?? '—'}</td>
                <td className={cellClass}>{p.userInstalledVersion ? <Badge tone="indigo">{p.userInstalledVersion}</Badge> : <span className="text-zinc-400">—</span>}</td>
              </tr>
            ))}
          </Table>
        )}
      </div>
    </Card>
  );
}

export function PythonPackagesPage(): ReactNode {
  const api = useApi();
  const { can } = usePermissions();
  const status = useQuery({ queryKey: ['pythonPackageStatus'], queryFn: () => api.getPythonPackageInstallStatus({}) });
  const running = status.data ? installProgress(status.data).running : false;
  return (
    <Page title="Python packages" description="Extra packages the functions can import, installed with pip into a folder of the stack (every runner has it on sys.path).">
      <div className="min-h-0 flex-1 space-y-4 overflow-auto p-4 xl:p-6">
        <div className="grid gap-4 xl:grid-cols-2">
          {can('general_w') ? (
            <Card title="Install">
              <InstallForm running={running} />
            </Card>
          ) : null}
          <InstallStatus />
        </div>
        <Installed />
      </div>
    </Page>
  );
}
