/** One draft run: status, duration, memory, return value, print logs, traceback. */
import type { ReactNode } from 'react';
import { Badge, statusTone } from '../../ui/Page';
import { formatDuration, toJson } from '../../ui/format';
import type { DraftRun } from './run-history';
import { Link } from 'react-router';
import { diffLink } from '../tasks/links';

function Block({ label, children, testId, tone = 'plain' }: { label: string; children: string; testId: string; tone?: 'plain' | 'error' }): ReactNode {
  return (
    <div>
      <p className="mb-1 text-[11px] font-semibold uppercase tracking-wider text-zinc-500">{label}</p>
      <pre
        className={`max-h-56 overflow-auto whitespace-pre-wrap break-words rounded-md border px-3 py-2 font-mono text-xs ${tone === 'error' ? 'border-red-200 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200' : 'border-zinc-200 bg-zinc-50 text-zinc-800 dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-200'}`}
        data-testid={testId}
      >
        {children}
      </pre>
    </div>
  );
}

export function RunResult({ run }: { run: DraftRun }): ReactNode {
  return (
    <div className="space-y-3" data-testid="run-result-panel">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-zinc-500">
        <Badge tone={statusTone(run.status)} testId="run-status">
          {run.status}
        </Badge>
        <span>
          Duration{' '}
          <span className="font-medium text-zinc-800 dark:text-zinc-200" data-testid="run-duration">
            {formatDuration(run.cost)}
          </span>
        </span>
        <span>
          Peak memory{' '}
          <span className="font-medium text-zinc-800 dark:text-zinc-200" data-testid="run-memory">
            {run.peakMemoryMb === null ? '—' : `${run.peakMemoryMb.toFixed(1)} MB`}
          </span>
        </span>
        {run.errorLine ? (
          <span className="text-red-600 dark:text-red-400" data-testid="run-error-line">
            line {run.errorLine}
          </span>
        ) : null}
        {run.replayOf ? (
          <span className="ml-auto flex items-center gap-2" data-testid="run-replay-of">
            replay {run.against === 'draft' ? 'on the draft' : `on v${String(run.against)}`}
            <Link className="font-medium text-indigo-700 hover:underline dark:text-indigo-300" to={diffLink(run.replayOf, run.taskId)} data-testid="run-compare">
              Compare with original →
            </Link>
          </span>
        ) : null}
      </div>
      {run.status === 'success' ? (
        <Block label="Return value" testId="run-result">
          {toJson(run.result)}
        </Block>
      ) : null}
      {run.traceback || run.exception ? (
        <Block label={run.exceptionType ?? 'Error'} testId="run-traceback" tone="error">
          {run.traceback ?? run.exception ?? ''}
        </Block>
      ) : null}
      <Block label="Print logs" testId="run-logs">
        {run.printLogs.length ? run.printLogs.join('\n') : '(nothing printed)'}
      </Block>
    </div>
  );
}
