/** Two runs side by side: what changed in the return value and kwargs, print logs, duration and peak memory. */
import { useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import type { OutputOf } from '@contract/client/index';
import { useApi } from '../../app/session';
import { Badge, Card, Page, statusTone } from '../../ui/Page';
import { Button } from '../../ui/Button';
import { TextInput } from '../../ui/Field';
import { EmptyState, ErrorBanner, Spinner } from '../../ui/States';
import { formatDuration, formatTime, toJson } from '../../ui/format';
import { taskLink } from './links';

type Diff = OutputOf<'diffTaskRecords'>;
type Side = Diff['a'];
type Change = Diff['returnValueChanges'][number];

const KIND_TONE = { added: 'green', removed: 'red', changed: 'amber' } as const;

function signed(n: number | null, unit: string, digits = 0): string {
  if (n === null) return '—';
  return `${n > 0 ? '+' : n < 0 ? '−' : '±'}${Math.abs(n).toFixed(digits)} ${unit}`;
}

function SideCard({ label, side }: { label: string; side: Side }): ReactNode {
  return (
    <Card
      title={
        <span className="flex items-center gap-2">
          {label}
          <Link className="truncate font-mono text-xs font-normal text-indigo-700 hover:underline dark:text-indigo-300" to={taskLink(side.id)}>
            {side.id}
          </Link>
        </span>
      }
      testId={`diff-side-${label.toLowerCase().replace(' ', '-')}`}
    >
      <dl className="grid grid-cols-[7rem_1fr] gap-x-3 gap-y-1 px-4 py-3 text-sm">
        <dt className="text-zinc-500">Status</dt>
        <dd>
          <Badge tone={statusTone(side.status)}>{side.status}</Badge>
        </dd>
        <dt className="text-zinc-500">Function</dt>
        <dd className="truncate font-mono text-xs leading-5">{side.funcId}</dd>
        <dt className="text-zinc-500">Origin</dt>
        <dd>
          {side.origin}
          {side.replayOf ? <span className="text-zinc-500"> · replay of {side.replayOf}</span> : null}
        </dd>
        <dt className="text-zinc-500">Triggered</dt>
        <dd>{formatTime(side.triggerTimeMs)}</dd>
        <dt className="text-zinc-500">Duration</dt>
        <dd data-testid="diff-duration">{formatDuration(side.durationMs)}</dd>
        <dt className="text-zinc-500">Peak memory</dt>
        <dd>{side.peakMemoryMb === null ? '—' : `${side.peakMemoryMb.toFixed(1)} MB`}</dd>
      </dl>
    </Card>
  );
}

function Changes({ title, changes, same, testId }: { title: string; changes: Change[]; same: string; testId: string }): ReactNode {
  return (
    <Card title={title} testId={testId}>
      {changes.length === 0 ? (
        <p className="px-4 py-3 text-sm text-zinc-500" data-testid={`${testId}-same`}>
          {same}
        </p>
      ) : (
        <table className="w-full text-left text-xs">
          <thead className="text-zinc-500">
            <tr className="border-b border-zinc-200 dark:border-zinc-800">
              <th className="px-4 py-2 font-medium">Path</th>
              <th className="px-2 py-2 font-medium">Change</th>
              <th className="px-2 py-2 font-medium">Run A</th>
              <th className="px-4 py-2 font-medium">Run B</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 font-mono dark:divide-zinc-800">
            {changes.map((c) => (
              <tr key={`${c.kind}:${c.path}`} data-testid="diff-change">
                <td className="px-4 py-1.5 align-top">{c.path}</td>
                <td className="px-2 py-1.5 align-top">
                  <Badge tone={KIND_TONE[c.kind]}>{c.kind}</Badge>
                </td>
                <td className="max-w-xs truncate px-2 py-1.5 align-top text-red-700 dark:text-red-300" title={c.kind === 'added' ? '' : toJson(c.a)}>
                  {c.kind === 'added' ? '' : toJson(c.a)}
                </td>
                <td className="max-w-xs truncate px-4 py-1.5 align-top text-emerald-700 dark:text-emerald-300" title={c.kind === 'removed' ? '' : toJson(c.b)}>
                  {c.kind === 'removed' ? '' : toJson(c.b)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

function Logs({ side, testId }: { side: Side; testId: string }): ReactNode {
  return (
    <pre
      data-testid={testId}
      className="max-h-80 min-h-16 overflow-auto whitespace-pre-wrap break-words rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 font-mono text-xs dark:border-zinc-800 dark:bg-zinc-950"
    >
      {side.printLogs.length ? side.printLogs.join('\n') : '(nothing printed)'}
      {side.exceptionType ? `\n\n${side.exceptionType}: ${side.exceptionTEXT ?? ''}` : ''}
    </pre>
  );
}

function DiffView({ diff }: { diff: Diff }): ReactNode {
  return (
    <div className="space-y-4" data-testid="run-diff">
      {!diff.sameFunc ? (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 dark:bg-amber-950/40 dark:text-amber-300">These runs are of different functions.</p>
      ) : null}
      <div className="grid gap-4 md:grid-cols-2">
        <SideCard label="Run A" side={diff.a} />
        <SideCard label="Run B" side={diff.b} />
      </div>
      <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="diff-deltas">
        Run B against run A: duration <span className="font-medium">{signed(diff.durationDeltaMs, 'ms')}</span> · peak memory{' '}
        <span className="font-medium">{diff.peakMemoryDeltaMb === null ? 'not measured for both' : signed(diff.peakMemoryDeltaMb, 'MB', 1)}</span>
      </p>
      <Changes title="Return value" changes={diff.returnValueChanges} same="Both runs returned the same value." testId="diff-return" />
      <Changes title="kwargs" changes={diff.kwargsChanges} same="Both runs had the same kwargs." testId="diff-kwargs" />
      <Card title="Print logs">
        <div className="grid gap-3 p-3 md:grid-cols-2">
          <Logs side={diff.a} testId="diff-logs-a" />
          <Logs side={diff.b} testId="diff-logs-b" />
        </div>
      </Card>
    </div>
  );
}

export function RunDiffPage(): ReactNode {
  const api = useApi();
  const [search, setSearch] = useSearchParams();
  const a = search.get('a') ?? '';
  const b = search.get('b') ?? '';
  const [draft, setDraft] = useState({ a, b });
  const diff = useQuery({
    queryKey: ['taskDiff', a, b],
    queryFn: () => api.diffTaskRecords({ query: { a, b } }),
    enabled: a !== '' && b !== '',
    // A run still going (a replay just answered, its record not final yet): look again shortly.
    refetchInterval: (q) => (q.state.data && [q.state.data.a, q.state.data.b].some((s) => s.status === 'queued' || s.status === 'running') ? 500 : false),
  });
  return (
    <Page
      title="Compare runs"
      description="Two task records of a function: a replay and its original, or any two runs."
      actions={
        <form
          className="flex items-center gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            setSearch({ a: draft.a.trim(), b: draft.b.trim() });
          }}
        >
          {(['a', 'b'] as const).map((k) => (
            <TextInput
              key={k}
              aria-label={`Run ${k.toUpperCase()}`}
              placeholder={`Task id ${k.toUpperCase()}`}
              value={draft[k]}
              onChange={(e) => setDraft((d) => ({ ...d, [k]: e.target.value }))}
              className="w-56 font-mono"
              data-testid={`diff-input-${k}`}
            />
          ))}
          <Button type="submit" variant="primary" data-testid="diff-submit">
            Compare
          </Button>
        </form>
      }
    >
      <div className="min-h-0 flex-1 overflow-y-auto p-6">
        {a === '' || b === '' ? (
          <EmptyState title="Pick two runs">Give two task ids, or open a replay&apos;s record and choose &ldquo;Compare with original&rdquo;.</EmptyState>
        ) : diff.isPending ? (
          <Spinner label="Comparing…" />
        ) : diff.error ? (
          <ErrorBanner error={diff.error} onRetry={() => void diff.refetch()} />
        ) : (
          <DiffView diff={diff.data} />
        )}
      </div>
    </Page>
  );
}
