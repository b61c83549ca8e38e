import type { ReactNode } from 'react';

export function PageHeader({ title, description, actions }: { title: string; description?: string; actions?: ReactNode }): ReactNode {
  return (
    <div className="flex flex-wrap items-end justify-between gap-4 border-b border-zinc-200 px-6 py-4 dark:border-zinc-800">
      {/* Grows beside the actions and wraps its description there; only under ~20rem do the actions go below. */}
      <div className="min-w-0 flex-[1_1_20rem]">
        <h1 className="text-lg font-semibold tracking-tight" data-testid="page-title">
          {title}
        </h1>
        {description ? <p className="mt-0.5 text-sm text-zinc-500">{description}</p> : null}
      </div>
      {actions ? <div className="flex shrink-0 items-center gap-2">{actions}</div> : null}
    </div>
  );
}

/** A page of the console: its header (title, description, actions) above the rest. */
export function Page({
  title,
  description,
  actions,
  testId,
  children,
}: {
  title: string;
  description?: string;
  actions?: ReactNode;
  testId?: string;
  children: ReactNode;
}): ReactNode {
  return (
    <div className="flex h-full min-h-0 flex-col" data-testid={testId}>
      <PageHeader title={title} description={description} actions={actions} />
      {children}
    </div>
  );
}

export function Card({
  title,
  actions,
  children,
  className = '',
  testId,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  testId?: string;
}): ReactNode {
  return (
    <section className={`rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900 ${className}`} data-testid={testId}>
      {title !== undefined ? (
        <header className="flex items-center justify-between gap-2 border-b border-zinc-200 px-4 py-2.5 dark:border-zinc-800">
          <h2 className="text-sm font-semibold">{title}</h2>
          {actions}
        </header>
      ) : null}
      {children}
    </section>
  );
}

export function Badge({ tone = 'zinc', children, testId }: { tone?: 'zinc' | 'green' | 'red' | 'amber' | 'indigo'; children: ReactNode; testId?: string }): ReactNode {
  const tones = {
    zinc: 'bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300',
    green: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300',
    red: 'bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300',
    amber: 'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300',
    indigo: 'bg-indigo-100 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-300',
  };
  return (
    <span className={`inline-flex shrink-0 items-center whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium ${tones[tone]}`} data-testid={testId}>
      {children}
    </span>
  );
}

export function statusTone(status: string): 'green' | 'red' | 'amber' | 'zinc' | 'indigo' {
  if (status === 'success') return 'green';
  if (status === 'failure' || status === 'timeout' || status === 'expired') return 'red';
  if (status === 'running') return 'indigo';
  if (status === 'queued' || status === 'skipped') return 'amber';
  return 'zinc';
}
