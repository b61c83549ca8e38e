/** Task records with filters, the dead letters, and the detail of the selected task. */
import { useEffect, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../app/session';
import { Badge, statusTone, Page } from '../../ui/Page';
import { TextInput } from '../../ui/Field';
import { AnySelect, Filter, FilterBar, ListWithDetail, useParamSetter } from '../../ui/ListPage';
import { QueryTable, cellClass, mutedCellClass, rowClass } from '../../ui/Table';
import { EmptyState, ErrorBanner, Spinner } from '../../ui/States';
import { formatDuration, formatTime } from '../../ui/format';
import { FILTER_KEYS, filtersFrom, ORIGINS, pageFrom, pageSummary, STATUSES, toQuery, type TaskFilters } from './filters';
import { Button } from '../../ui/Button';
import { DEAD_LETTERS_SHOWN, DeadLetters, useDeadLetters } from './DeadLetters';
import { TaskDetail } from './TaskDetail';
import { Tabs } from '../../ui/Tabs';

type Tab = 'records' | 'dead-letters';

export function TaskRecordsPage(): ReactNode {
  const api = useApi();
  const [params, setParam, setParams] = useParamSetter();
  const filters = filtersFrom(params);
  const page = pageFrom(params);
  const selected = params.get('task');
  // A link naming one task (`?id=…`) opens its detail too, once, as the page is reached.
  useEffect(() => {
    if (filters.id && !params.has('task')) setParam('task', filters.id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const tab: Tab = params.get('tab') === 'dead-letters' ? 'dead-letters' : 'records';
  const records = useQuery({
    queryKey: ['taskRecords', filters, page],
    queryFn: () => api.listTaskRecords({ query: toQuery(filters, page) }),
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

  const set = (key: keyof TaskFilters | 'task' | 'tab' | 'page', value: string): void => setParam(key, value);
  /** A filter changed: back to the first page of what it matches. */
  const setFilter = (key: keyof TaskFilters, value: string): void => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete('page');
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
  const dead = deadLetters.data?.length;
  const deadLetterCount = dead ? (
    <Badge tone="red" testId="tasks-tab-dead-letters-count">
      {dead >= DEAD_LETTERS_SHOWN ? `${DEAD_LETTERS_SHOWN}+` : dead}
    </Badge>
  ) : null;

  const summary = records.data ? pageSummary(page, records.data.length) : null;
  const pager =
    summary && (page > 1 || summary.hasNext) ? (
      <div className="flex items-center gap-2 border-t border-zinc-200 px-4 py-2 text-xs text-zinc-500 dark:border-zinc-800" data-testid="tasks-pager">
        <span data-testid="tasks-page-summary">
          Page {page} · {summary.text}
        </span>
        <span className="flex-1" />
        <Button size="sm" variant="ghost" disabled={page <= 1} onClick={() => set('page', page > 2 ? String(page - 1) : '')} data-testid="tasks-page-newer">
          ← Newer
        </Button>
        <Button size="sm" variant="ghost" disabled={!summary.hasNext} onClick={() => set('page', String(page + 1))} data-testid="tasks-page-older">
          Older →
        </Button>
      </div>
    ) : null;

  const table = (
    <QueryTable
      query={records}
      empty={
        <EmptyState title={anyFilter ? 'No task matches these filters' : 'No tasks yet'} testId="tasks-empty">
          {anyFilter ? 'Change or clear the filters.' : 'Calls of functions, APIs and cron jobs appear here.'}
        </EmptyState>
      }
      headers={['Status', 'Function', 'Origin', 'Triggered', 'Duration']}
      testId="tasks-table"
      row={(r) => (
        <tr key={r.id} onClick={() => set('task', r.id)} data-testid={`task-row-${r.id}`} data-func={r.funcId} className={rowClass(selected === r.id)}>
          <td className={cellClass}>
            <Badge tone={statusTone(r.status)}>{r.status}</Badge>
          </td>
          <td className={`${cellClass} max-w-[16rem] truncate font-mono text-[13px]`}>{r.funcId}</td>
          <td className={`${cellClass} text-zinc-600 dark:text-zinc-400`}>{r.origin}</td>
          <td className={mutedCellClass}>
            <span title={formatTime(r.triggerTimeMs)}>{formatTime(r.triggerTimeMs).slice(5)}</span>
          </td>
          <td className={mutedCellClass}>{formatDuration(r.startTimeMs !== null && r.endTimeMs !== null ? r.endTimeMs - r.startTimeMs : null)}</td>
        </tr>
      )}
    />
  );
  const list = (
    <>
      {table}
      {pager}
    </>
  );

  return (
    <Page
      title="Task records"
      description={
        tab === 'records'
          ? 'Every call of a function, newest first; refreshed every 3 seconds.'
          : 'Tasks that never reached an outcome or used up their retries, newest first; refreshed every 5 seconds.'
      }
    >
      <Tabs
        tabs={[
          ['records', 'Records'],
          ['dead-letters', 'Dead letters', deadLetterCount],
        ]}
        tab={tab}
        onTab={(t) => set('tab', t === 'records' ? '' : t)}
        testIdPrefix="tasks"
      />
      {tab === 'records' ? (
        // One row at 1440 px with "Clear filters" (the content is 1,232 px wide): fixed widths where the input needs them, the text filters growing into what is left.
        <FilterBar testId="task-filters" active={anyFilter} onClear={clear}>
          <Filter label="Task ID" className="w-40 max-w-64 grow">
            <TextInput className="mt-1" value={filters.id} placeholder="task id" onChange={(e) => setFilter('id', e.target.value)} data-testid="filter-id" />
          </Filter>
          <Filter label="Function" className="w-48 max-w-80 grow">
            <TextInput className="mt-1" value={filters.funcId} placeholder="set__script.func" onChange={(e) => setFilter('funcId', e.target.value)} data-testid="filter-func" />
          </Filter>
          <Filter label="Origin" className="w-32">
            <AnySelect className="mt-1" value={filters.origin} options={ORIGINS} onChange={(e) => setFilter('origin', e.target.value)} data-testid="filter-origin" />
          </Filter>
          <Filter label="Status" className="w-32">
            <AnySelect className="mt-1" value={filters.status} options={STATUSES} onChange={(e) => setFilter('status', e.target.value)} data-testid="filter-status" />
          </Filter>
          <Filter label="Since" className="w-48">
            <TextInput className="mt-1" type="datetime-local" value={filters.since} onChange={(e) => setFilter('since', e.target.value)} />
          </Filter>
          <Filter label="Until" className="w-48">
            <TextInput className="mt-1" type="datetime-local" value={filters.until} onChange={(e) => setFilter('until', e.target.value)} />
          </Filter>
        </FilterBar>
      ) : null}
      <ListWithDetail
        list={tab === 'records' ? list : <DeadLetters query={deadLetters} selected={selected} select={(id) => set('task', id)} recordLink={recordLink} />}
        detail={
          selected ? (
            task.isPending ? (
              <Spinner />
            ) : task.error ? (
              // Under 800 px the detail takes the list's place: the way back is here too.
              <div className="flex flex-col items-start gap-3 p-4">
                <ErrorBanner error={task.error} />
                <Button size="sm" variant="ghost" onClick={() => set('task', '')} data-testid="task-detail-error-close">
                  Back to the list
                </Button>
              </div>
            ) : (
              <TaskDetail task={task.data} onClose={() => set('task', '')} />
            )
          ) : null
        }
      />
    </Page>
  );
}
