/** Task records with filters, the dead letters, and the detail of the selected task. */
import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useApi } from '../../app/session';
import { PageHeader, Badge, statusTone } from '../../ui/Page';
import { Select, TextInput } from '../../ui/Field';
import { Button } from '../../ui/Button';
import { EmptyState, ErrorBanner, Spinner } from '../../ui/States';
import { formatDuration, formatTime } from '../../ui/format';
import { FILTER_KEYS, filtersFrom, ORIGINS, STATUSES, toQuery, type TaskFilters } from './filters';
import { DEAD_LETTERS_SHOWN, DeadLetters, useDeadLetters } from './DeadLetters';
import { TaskDetail } from './TaskDetail';

type Tab = 'records' | 'dead-letters';

function Tabs({ tab, onTab, deadLetters }: { tab: Tab; onTab: (t: Tab) => void; deadLetters: number | undefined }): ReactNode {
  const item = (t: Tab, label: string, count?: ReactNode): ReactNode => (
    <button
      type="button"
      role="tab"
      aria-selected={tab === t}
      onClick={() => onTab(t)}
      data-testid={`tasks-tab-${t}`}
      className={`-mb-px flex items-center gap-1.5 border-b-2 px-3 py-2 text-sm font-medium ${tab === t ? 'border-indigo-600 text-indigo-700 dark:border-indigo-400 dark:text-indigo-300' : 'border-transparent text-zinc-500 hover:text-zinc-800 dark:hover:text-zinc-200'}`}
    >
      {label}
      {count}
    </button>
  );
  const count = deadLetters ? (
    <Badge tone="red" testId="tasks-tab-dead-letters-count">
      {deadLetters >= DEAD_LETTERS_SHOWN ? `${DEAD_LETTERS_SHOWN}+` : deadLetters}
    </Badge>
  ) : null;
  return (
    <div role="tablist" className="flex gap-1 border-b border-zinc-200 px-6 dark:border-zinc-800">
      {item('records', 'Records')}
      {item('dead-letters', 'Dead letters', count)}
    </div>
  );
}

export function TaskRecordsPage(): ReactNode {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const selected = params.get('task');
  const tab: Tab = params.get('tab') === 'dead-letters' ? 'dead-letters' : 'records';
  const records = useQuery({
    queryKey: ['taskRecords', filters],
    queryFn: () => api.listTaskRecords({ query: toQuery(filters) }),
    refetchInterval: 3000,
    enabled: tab === 'records',
  });
  const deadLetters = useDeadLetters(tab === 'dead-letters');
  const task = useQuery({
    queryKey: ['task', selected],
    queryFn: () => api.getTask({ params: { id: selected ?? '' } }),
    enabled: selected !== null,
    refetchInterval: (q) => (q.state.data && ['queued', 'running'].includes(q.state.data.status) ? 1000 : false),
  });

  const set = (key: keyof TaskFilters | 'task' | 'tab', value: string): void => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const clear = (): void => setParams({ ...(selected ? { task: selected } : {}), ...(tab === 'records' ? {} : { tab }) }, { replace: true });
  /** This page on the dead letters tab with the task's record open. */
  const recordLink = (taskId: string): string => {
    const next = new URLSearchParams(params);
    next.set('tab', 'dead-letters');
    next.set('task', taskId);
    return `?${next.toString()}`;
  };
  const anyFilter = FILTER_KEYS.some((k) => filters[k] !== '');

  const list = (): ReactNode => {
    if (records.isPending) return <Spinner />;
    if (records.error) return <ErrorBanner error={records.error} onRetry={() => void records.refetch()} />;
    if (records.data.length === 0)
      return (
        <EmptyState title={anyFilter ? 'No task matches these filters' : 'No tasks yet'} testId="tasks-empty">
          {anyFilter ? 'Change or clear the filters.' : 'Calls of functions, APIs and cron jobs appear here.'}
        </EmptyState>
      );
    return (
      <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <table className="w-full text-left text-sm" data-testid="tasks-table">
          <thead className="border-b border-zinc-200 bg-zinc-50 text-xs uppercase tracking-wider text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900/60">
            <tr>
              {['Status', 'Function', 'Origin', 'Triggered', 'Duration'].map((h) => (
                <th key={h} className="whitespace-nowrap px-3 py-2.5 font-semibold">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {records.data.map((r) => (
              <tr
                key={r.id}
                onClick={() => set('task', r.id)}
                data-testid={`task-row-${r.id}`}
                data-func={r.funcId}
                className={`cursor-pointer ${selected === r.id ? 'bg-indigo-50/70 dark:bg-indigo-950/40' : 'hover:bg-zinc-50 dark:hover:bg-zinc-800/40'}`}
              >
                <td className="px-3 py-2">
                  <Badge tone={statusTone(r.status)}>{r.status}</Badge>
                </td>
                <td className="max-w-[16rem] truncate px-3 py-2 font-mono text-[13px]">{r.funcId}</td>
                <td className="px-3 py-2 text-zinc-600 dark:text-zinc-400">{r.origin}</td>
                <td className="whitespace-nowrap px-3 py-2 text-zinc-600 dark:text-zinc-400">
                  <span title={formatTime(r.triggerTimeMs)}>{formatTime(r.triggerTimeMs).slice(5)}</span>
                </td>
                <td className="whitespace-nowrap px-3 py-2 text-zinc-600 dark:text-zinc-400">
                  {formatDuration(r.startTimeMs !== null && r.endTimeMs !== null ? r.endTimeMs - r.startTimeMs : null)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  };

  return (
    <div className="flex h-full min-h-0 flex-col">
      <PageHeader
        title="Task records"
        description={
          tab === 'records'
            ? 'Every call of a function, newest first; refreshed every 3 seconds.'
            : 'Tasks that never reached an outcome or used up their retries, newest first; refreshed every 5 seconds.'
        }
      />
      <Tabs tab={tab} onTab={(t) => set('tab', t === 'records' ? '' : t)} deadLetters={deadLetters.data?.length} />
      {tab === 'records' ? (
        <div className="flex flex-wrap items-end gap-3 border-b border-zinc-200 px-6 py-3 dark:border-zinc-800" data-testid="task-filters">
          <label className="w-64 text-xs text-zinc-500">
            Function
            <TextInput className="mt-1" value={filters.funcId} placeholder="set__script.func" onChange={(e) => set('funcId', e.target.value)} data-testid="filter-func" />
          </label>
          <label className="w-36 text-xs text-zinc-500">
            Origin
            <Select className="mt-1" value={filters.origin} onChange={(e) => set('origin', e.target.value)} data-testid="filter-origin">
              <option value="">Any</option>
              {ORIGINS.map((o) => (
                <option key={o}>{o}</option>
              ))}
            </Select>
          </label>
          <label className="w-36 text-xs text-zinc-500">
            Status
            <Select className="mt-1" value={filters.status} onChange={(e) => set('status', e.target.value)} data-testid="filter-status">
              <option value="">Any</option>
              {STATUSES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </Select>
          </label>
          <label className="w-52 text-xs text-zinc-500">
            Since
            <TextInput className="mt-1" type="datetime-local" value={filters.since} onChange={(e) => set('since', e.target.value)} />
          </label>
          <label className="w-52 text-xs text-zinc-500">
            Until
            <TextInput className="mt-1" type="datetime-local" value={filters.until} onChange={(e) => set('until', e.target.value)} />
          </label>
          {anyFilter ? (
            <Button size="sm" variant="ghost" onClick={clear}>
              Clear filters
            </Button>
          ) : null}
        </div>
      ) : null}
      <div className="flex min-h-0 flex-1">
        <div className="min-w-0 flex-1 overflow-auto p-4 xl:p-6">
          {tab === 'records' ? list() : <DeadLetters query={deadLetters} selected={selected} select={(id) => set('task', id)} recordLink={recordLink} />}
        </div>
        {selected ? (
          <aside className="w-[24rem] shrink-0 border-l border-zinc-200 bg-white 2xl:w-[34rem] dark:border-zinc-800 dark:bg-zinc-900">
            {task.isPending ? (
              <Spinner />
            ) : task.error ? (
              <div className="p-4">
                <ErrorBanner error={task.error} />
              </div>
            ) : (
              <TaskDetail task={task.data} onClose={() => set('task', '')} />
            )}
          </aside>
        ) : null}
      </div>
    </div>
  );
}
