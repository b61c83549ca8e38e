/** The bordered table of the list pages (task records' look): a header row and the body rows given. */
import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { QueryList } from './States';

/** `stickyLast`: the last column (row actions, a status) stays in view while the table scrolls sideways. */
export function Table({ headers, children, testId, stickyLast = false }: { headers: readonly string[]; children: ReactNode; testId?: string; stickyLast?: boolean }): ReactNode {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table className={`w-full text-left text-sm ${stickyLast ? 'sticky-last-col' : ''}`} data-testid={testId}>
        <thead className="border-b border-zinc-200 bg-zinc-50 text-xs uppercase tracking-wider text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900/60">
          <tr>
            {headers.map((h, i) => (
              <th key={`${h}-${i}`} className="whitespace-nowrap px-3 py-2.5 font-semibold">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">{children}</tbody>
      </table>
    </div>
  );
}

/** A list query as a table (QueryList's spinner, error and `empty` before it has rows): `row` draws each row kept. */
export function QueryTable<T>({
  query,
  filter,
  empty,
  headers,
  testId,
  row,
}: {
  query: UseQueryResult<T[]>;
  filter?: (row: T) => boolean;
  empty: ReactNode;
  headers: readonly string[];
  testId: string;
  row: (row: T) => ReactNode;
}): ReactNode {
  return (
    <QueryList query={query} filter={filter} empty={empty}>
      {(rows) => (
        <Table headers={headers} testId={testId}>
          {rows.map((r) => row(r))}
        </Table>
      )}
    </QueryList>
  );
}

/** A detail pane's label/value pairs; long values wrap (`wrap`) or end in an ellipsis. */
export function DetailList({ rows, wrap = false }: { rows: readonly (readonly [string, ReactNode])[]; wrap?: boolean }): ReactNode {
  return (
    <dl className="grid grid-cols-[6rem_1fr] gap-x-3 gap-y-1.5 text-sm">
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-zinc-500">{k}</dt>
          <dd className={`min-w-0 ${wrap ? 'break-words' : 'truncate'}`}>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A clickable row, highlighted when selected. */
export function rowClass(selected: boolean): string {
  return `cursor-pointer ${selected ? 'bg-indigo-50/70 dark:bg-indigo-950/40' : 'hover:bg-zinc-50 dark:hover:bg-zinc-800/40'}`;
}

export const cellClass = 'px-3 py-2';
export const mutedCellClass = 'whitespace-nowrap px-3 py-2 text-zinc-600 dark:text-zinc-400';

/** A labelled block of JSON or text (the task detail's look). */
export function Pre({ label, children, testId }: { label: string; children: string; testId?: string }): ReactNode {
  return (
    <div>
      <p className="mb-1 text-[11px] font-semibold uppercase tracking-wider text-zinc-500">{label}</p>
      <pre
        data-testid={testId}
        className="max-h-96 overflow-auto whitespace-pre-wrap break-words rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 font-mono text-xs dark:border-zinc-800 dark:bg-zinc-950"
      >
        {children}
      </pre>
    </div>
  );
}

/** A notice line above a list (what an action did). */
export function Notice({ children, onDismiss, testId }: { children: ReactNode; onDismiss: () => void; testId?: string }): ReactNode {
  return (
    <div
      className="flex items-center justify-between rounded-md border border-indigo-200 bg-indigo-50 px-4 py-2 text-sm text-indigo-900 dark:border-indigo-900 dark:bg-indigo-950/40 dark:text-indigo-200"
      data-testid={testId}
    >
      <span className="break-words">{children}</span>
      <button type="button" className="ml-4 text-xs underline" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}

/** A list page's scrolling body: the notice of what an action did (while not dismissed) above the list. */
export function NoticeBody({
  notice,
  onDismiss,
  noticeTestId,
  padding = 'p-4 xl:p-6',
  children,
}: {
  notice: ReactNode;
  onDismiss: () => void;
  noticeTestId: string;
  padding?: string;
  children: ReactNode;
}): ReactNode {
  return (
    <div className={`min-h-0 flex-1 space-y-4 overflow-auto ${padding}`}>
      {notice ? (
        <Notice onDismiss={onDismiss} testId={noticeTestId}>
          {notice}
        </Notice>
      ) : null}
      {children}
    </div>
  );
}
