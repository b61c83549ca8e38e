/**
 * The dead letters tab of the task records page: tasks delivered the maximum number of times
 * without an outcome (a task that kept killing its worker), newest first, with the consumers of
 * their last deliveries. A row opens the task's record in the detail pane.
 */
import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { DeadLetter } from '@contract/index';
import { useApi } from '../../app/session';
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
  if (query.isPending) return <Spinner />;
  if (query.error) return <ErrorBanner error={query.error} onRetry={() => void query.refetch()} />;
  const about = (
    <p className="mb-3 max-w-3xl text-sm text-zinc-500" data-testid="dead-letters-about">
      Tasks delivered the maximum number of times (5) without an outcome — typically a task that kills its worker every time. They are taken out of their queue for good and their
      records end <span className="font-mono text-[13px]">failure · EWorkerNoResponse</span>. Fix the function, then run it again from its record (“Open in editor” keeps its
      kwargs).
    </p>
  );
  if (query.data.length === 0) {
    return (
      <>
        {about}
        <EmptyState title="No dead letters" testId="dead-letters-empty">
          Every task delivered so far reached an outcome.
        </EmptyState>
      </>
    );
  }
  return (
    <>
      {about}
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
              <span className="min-w-0 truncate font-mono text-[13px] font-medium" title={d.funcId} data-testid="dead-letter-func">
                {d.funcId}
              </span>
              <span className="shrink-0 text-xs tabular-nums text-zinc-500" title={`Dead-lettered ${formatTime(d.at)}`} data-testid="dead-letter-at">
                {formatTime(d.at)}
              </span>
            </div>
            <div className="mt-1 flex min-w-0 items-center gap-2 text-xs text-zinc-500">
              <Badge tone="red" testId="dead-letter-attempts">
                {d.attempts} deliveries
              </Badge>
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
