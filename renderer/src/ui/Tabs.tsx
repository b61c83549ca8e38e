/** A row of tabs under a page header, for pages with two or more views: each tab's id, label and what follows the label (a count). */
import type { ReactNode } from 'react';

export function Tabs<T extends string>({
  tabs,
  tab,
  onTab,
  testIdPrefix,
}: {
  tabs: readonly (readonly [T, string, ReactNode?])[];
  tab: T;
  onTab: (t: T) => void;
  testIdPrefix: string;
}): ReactNode {
  return (
    <div role="tablist" className="flex gap-1 border-b border-zinc-200 px-6 dark:border-zinc-800">
      {tabs.map(([t, label, extra]) => (
        <button
          key={t}
          type="button"
          role="tab"
          aria-selected={tab === t}
          onClick={() => onTab(t)}
          data-testid={`${testIdPrefix}-tab-${t}`}
          className={`-mb-px flex items-center gap-1.5 border-b-2 px-3 py-2 text-sm font-medium ${tab === t ? 'border-indigo-600 text-indigo-700 dark:border-indigo-400 dark:text-indigo-300' : 'border-transparent text-zinc-500 hover:text-zinc-800 dark:hover:text-zinc-200'}`}
        >
          {label}
          {extra}
        </button>
      ))}
    </div>
  );
}
