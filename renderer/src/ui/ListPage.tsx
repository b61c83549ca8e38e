/** The parts of a filtered list page (task records, operation records, DFF data): the URL's parameters, the filter row, the list beside a detail pane. */
import type { ReactNode, SelectHTMLAttributes } from 'react';
import { useSearchParams, type SetURLSearchParams } from 'react-router';
import { Button } from './Button';
import { Select } from './Field';

/**
 * The page's URL parameters and a setter of one of them (an empty value removes it), which replaces
 * the history entry, so filters typed do not pile up in the back button.
 */
export function useParamSetter(): [URLSearchParams, (key: string, value: string) => void, SetURLSearchParams] {
  const [params, setParams] = useSearchParams();
  const set = (key: string, value: string): void => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  return [params, set, setParams];
}

/** The row of filters above a list; "Clear filters" while any is set. */
export function FilterBar({ testId, active, onClear, children }: { testId: string; active: boolean; onClear: () => void; children: ReactNode }): ReactNode {
  return (
    <div className="flex flex-wrap items-end gap-3 border-b border-zinc-200 px-6 py-3 dark:border-zinc-800" data-testid={testId}>
      {children}
      {active ? (
        <Button size="sm" variant="ghost" onClick={onClear}>
          Clear filters
        </Button>
      ) : null}
    </div>
  );
}

/** One filter of a FilterBar: its label above its input; `className` sets its width. */
export function Filter({ label, className, children }: { label: string; className: string; children: ReactNode }): ReactNode {
  return (
    <label className={`${className} text-xs text-zinc-500`}>
      {label}
      {children}
    </label>
  );
}

/** A filter's select: "Any" (the empty value), then `options`, each its own value. */
export function AnySelect({ options, ...rest }: SelectHTMLAttributes<HTMLSelectElement> & { options: readonly string[] }): ReactNode {
  return (
    <Select {...rest} options={options}>
      <option value="">Any</option>
    </Select>
  );
}

/**
 * The list, and beside it the open item's pane when there is one. Under 800 px (where the sidebar
 * is a rail, app/Layout.tsx) the pane takes the list's place, whole width: beside it the list kept
 * a column or two. Its close button shows the list again.
 */
export function ListWithDetail({ list, detail }: { list: ReactNode; detail: ReactNode }): ReactNode {
  return (
    <div className="flex min-h-0 flex-1">
      <div className={`min-w-0 flex-1 overflow-auto p-4 xl:p-6 ${detail ? 'max-[800px]:hidden' : ''}`} data-testid="list-pane">
        {list}
      </div>
      {detail ? (
        <aside
          className="w-[24rem] shrink-0 border-l border-zinc-200 bg-white max-[800px]:w-auto max-[800px]:min-w-0 max-[800px]:flex-1 max-[800px]:border-l-0 2xl:w-[34rem] dark:border-zinc-800 dark:bg-zinc-900"
          data-testid="detail-pane"
        >
          {detail}
        </aside>
      ) : null}
    </div>
  );
}
