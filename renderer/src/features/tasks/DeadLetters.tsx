/**
 * The dead letters tab of the task records page: tasks delivered the maximum number of times
 * without an outcome (a task that kept killing its worker), and tasks whose retries were used up,
 * newest first, with the consumers of their last deliveries. A row opens the task's record in the
 * detail pane; one or many can be requeued (run again as new tasks linked to the original).
 */
import { useState, type ReactNode } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { DeadLetter } from '@contract/index';
import { useApi } from '../../app/session';
import { usePageApi } from '../../app/permissions';
import { Button } from '../../ui/Button';
import { Badge } from '../../ui/Page';
import { EmptyState, ErrorBanner, Spinner } from '../../ui/States';
import { formatTime } from '../../ui/format';

/** Dead letters read per refresh (the API allows up to 500). */
export const DEAD_LETTERS_SHOWN = 100;
/** Deliveries shown per dead letter, the last ones. */
const LAST_DELIVERIES = 3;

export function useDeadLetters(active: boolean): ReturnType<typeof useQuery<DeadLetter[]>> {
  const api = useApi();
  return useQuery({ queryKey: ['deadLetters'], queryFn: () => api.listDeadLetters({ query: { limit: DEAD_LETTERS_SHOWN } }), refetchInterval: active ? 5000 : 15_000 });
}

function LastConsumers({ d }: { d: DeadLetter }): ReactNode {
  const last = d.history.slice(-LAST_DELIVERIES).reverse();
  if (last.length === 0) return <span className="text-zinc-400">—</span>;
  return (
    <ol className="space-y-0.5" data-testid={`dead-letter-consumers-${d.taskId}`}>
      {last.map((h) => (
        <li key={h.attempt} className="flex min-w-0 items-baseline gap-2 text-xs" data-testid="dead-letter-delivery">
          <span className="w-5 shrink-0 text-right tabular-nums text-zinc-400">#{h.attempt}</span>
          <span className="shrink-0 tabular-nums text-zinc-500" title={formatTime(h.at)}>
            {formatTime(h.at).slice(11)}
          </span>
          <span className="min-w-0 truncate font-mono text-zinc-700 dark:text-zinc-300" title={h.consumer}>
            {h.consumer}
          </span>
        </li>
      ))}
      {d.history.length > LAST_DELIVERIES ? <li className="pl-7 text-xs text-zinc-400">and {d.history.length - LAST_DELIVERIES} earlier deliveries</li> : null}
    </ol>
  );
}

export function DeadLetters({
  query,
  selected,
  select,
  recordLink,
}: {
  query: ReturnType<typeof useDeadLetters>;
  selected: string | null;
  select: (taskId: string) => void;
  /** Where "Record" leads: this page with the task's record open. */
  recordLink: (taskId: string) => string;
}): ReactNode {
  const { api, qc, can } = usePageApi();
  const writable = can('general_w');
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const requeue = useMutation({
    mutationFn: (taskIds: string[]) => api.requeueDeadLetters({ body: { taskIds } }),
    onSuccess: () => setPicked(new Set()),
    onSettled: () => Promise.all([qc.invalidateQueries({ queryKey: ['deadLetters'] }), qc.invalidateQueries({ queryKey: ['taskRecords'] })]),
  });
  const toggle = (taskId: string): void =>
    setPicked((p) => {
      const next = new Set(p);
      if (next.has(taskId)) next.delete(taskId);
      else next.add(taskId);
      return next;
    });
  if (query.isPending) return <Spinner />;
  if (query.error) return <ErrorBanner error={query.error} onRetry={() => void query.refetch()} />;
  const about = (
    <p className="mb-3 max-w-3xl text-sm text-zinc-500" data-testid="dead-letters-about">
      Tasks delivered the maximum number of times (5) without an outcome — typically a task that kills its worker every time, their records ending{' '}
      <span className="font-mono text-[13px]">failure · EWorkerNoResponse</span> — and tasks whose retries were used up. Fix the function, then requeue them: each runs again as a
      new task linked to the original.
    </p>
  );

  const done = requeue.data ? (
    <p className="mb-3 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:bg-emerald-950/40 dark:text-emerald-300" data-testid="dead-letters-requeued">
      Requeued {requeue.data.requeued.length}:{' '}
      {requeue.data.requeued.map((r, i) => (
        <span key={r.newTaskId}>
          {i > 0 ? ', ' : ''}
          <Link className="font-mono underline" to={recordLink(r.newTaskId)}>
            {r.newTaskId}
          </Link>
        </span>
      ))}
      {requeue.data.notFound.length > 0 ? ` · no longer dead letters: ${requeue.data.notFound.join(', ')}` : ''}
    </p>
  ) : null;
  if (query.data.length === 0) {
    return (
      <>
        {about}
        {done}
        <EmptyState title="No dead letters" testId="dead-letters-empty">
          Every task delivered so far reached an outcome.
        </EmptyState>
      </>
    );
  }
  return (
    <>
      {about}
      {done}
      {requeue.error ? <ErrorBanner error={requeue.error} /> : null}
      {writable ? (
        <div className="mb-2 flex items-center gap-2">
          <Button
            size="sm"
            variant="primary"
            disabled={picked.size === 0 || requeue.isPending}
            onClick={() => requeue.mutate([...picked])}
            data-testid="dead-letters-requeue-picked"
          >
            {requeue.isPending ? 'Requeueing…' : `Requeue selected (${picked.size})`}
          </Button>
          <Button
            size="sm"
            disabled={requeue.isPending}
            onClick={() => setPicked(picked.size === query.data.length ? new Set() : new Set(query.data.map((d) => d.taskId)))}
            data-testid="dead-letters-pick-all"
          >
            {picked.size === query.data.length ? 'Select none' : 'Select all'}
          </Button>
        </div>
      ) : null}
      <ul
        className="divide-y divide-zinc-100 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900"
        data-testid="dead-letters-list"
      >
        {query.data.map((d) => (
          <li
            key={`${d.taskId}-${d.at}`}
            onClick={() => select(d.taskId)}
            data-testid={`dead-letter-row-${d.taskId}`}
            data-func={d.funcId}
            className={`cursor-pointer px-4 py-3 ${selected === d.taskId ? 'bg-indigo-50/70 dark:bg-indigo-950/40' : 'hover:bg-zinc-50 dark:hover:bg-zinc-800/40'}`}
          >
            <div className="flex items-baseline justify-between gap-3">
              {writable ? (
                <input
                  type="checkbox"
                  className="mt-0.5 shrink-0 self-center accent-indigo-600"
                  aria-label={`Select ${d.taskId}`}
                  checked={picked.has(d.taskId)}
                  onClick={(e) => e.stopPropagation()}
                  onChange={() => toggle(d.taskId)}
                  data-testid={`dead-letter-pick-${d.taskId}`}
                />
              ) : null}
              <span className="min-w-0 flex-1 truncate font-mono text-[13px] font-medium" title={d.funcId} data-testid="dead-letter-func">
                {d.funcId}
              </span>
              <span className="shrink-0 text-xs tabular-nums text-zinc-500" title={`Dead-lettered ${formatTime(d.at)}`} data-testid="dead-letter-at">
                {formatTime(d.at)}
              </span>
            </div>
            <div className="mt-1 flex min-w-0 items-center gap-2 text-xs text-zinc-500">
              {d.reason ? (
                <Badge tone="amber" testId="dead-letter-reason">
                  {d.reason}
                </Badge>
              ) : (
                <Badge tone="red" testId="dead-letter-attempts">
                  {d.attempts} deliveries
                </Badge>
              )}
              <span className="shrink-0" data-testid="dead-letter-queue">
                queue #{d.queue}
              </span>
              <span aria-hidden>·</span>
              <Link
                to={recordLink(d.taskId)}
                onClick={(e) => e.stopPropagation()}
                title={`Open the record of task ${d.taskId}`}
                data-testid={`dead-letter-open-${d.taskId}`}
                className="min-w-0 truncate font-mono text-indigo-600 hover:underline dark:text-indigo-400"
              >
                {d.taskId}
              </Link>
            </div>
            <div className="mt-2 border-l-2 border-zinc-200 pl-2 dark:border-zinc-700">
              <LastConsumers d={d} />
            </div>
          </li>
        ))}
      </ul>
      {query.data.length >= DEAD_LETTERS_SHOWN ? (
        <p className="mt-2 text-xs text-zinc-500">
          The newest {DEAD_LETTERS_SHOWN} are shown; the API reads up to 500 (<span className="font-mono">GET /api/v1/dead-letters?limit=500</span>).
        </p>
      ) : null}
    </>
  );
}
