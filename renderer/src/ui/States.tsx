/** Empty, loading and error states, the same everywhere. */
import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { errorMessage } from './error-text';

export { errorMessage };

export function Spinner({ label = 'Loading…' }: { label?: string }): ReactNode {
  return (
    <div className="flex items-center gap-2 p-6 text-sm text-zinc-500" data-testid="loading" role="status">
      <span className="size-4 animate-spin rounded-full border-2 border-zinc-300 border-t-indigo-500" />
      {label}
    </div>
  );
}

export function EmptyState({ title, children, testId = 'empty' }: { title: string; children?: ReactNode; testId?: string }): ReactNode {
  return (
    <div
      className="flex flex-col items-center justify-center gap-2 rounded-lg border border-dashed border-zinc-300 px-6 py-12 text-center dark:border-zinc-700"
      data-testid={testId}
    >
      <p className="text-sm font-medium text-zinc-700 dark:text-zinc-300">{title}</p>
      {children ? <div className="max-w-md text-sm text-zinc-500">{children}</div> : null}
    </div>
  );
}

/** The message of an action that failed, under its form; nothing without an error. */
export function ErrorText({ error, testId }: { error: unknown; testId: string }): ReactNode {
  return error ? (
    <p className="text-sm text-red-600" data-testid={testId}>
      {errorMessage(error)}
    </p>
  ) : null;
}

export function ErrorBanner({ error, onRetry }: { error: unknown; onRetry?: () => void }): ReactNode {
  return (
    <div
      className="flex items-start justify-between gap-4 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/40 dark:text-red-300"
      role="alert"
      data-testid="error-banner"
    >
      <span className="break-words">{errorMessage(error)}</span>
      {onRetry ? (
        <button type="button" className="shrink-0 font-medium underline" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

/**
 * A list query as a page shows it: a spinner while it loads, its error (with Retry), `empty` when
 * it has no rows (those `filter` keeps, when given), else `children` with the rows.
 */
export function QueryList<T>({
  query,
  empty,
  filter,
  children,
}: {
  query: UseQueryResult<T[]>;
  empty: ReactNode;
  filter?: (row: T) => boolean;
  children: (rows: T[]) => ReactNode;
}): ReactNode {
  if (query.isPending) return <Spinner />;
  if (query.error) return <ErrorBanner error={query.error} onRetry={() => void query.refetch()} />;
  const rows = filter ? query.data.filter(filter) : query.data;
  return rows.length === 0 ? empty : children(rows);
}
