/** One draft run: status, duration, memory, return value, print logs, traceback (frames link to their lines), locals. */
import type { ReactNode } from 'react';
import { Badge, statusTone } from '../../ui/Page';
import { formatDuration, toJson } from '../../ui/format';
import type { DraftRun } from './run-history';
import { Link } from 'react-router';
import { diffLink } from '../tasks/links';
import { parseTraceback, type TracebackFrame } from './traceback';

const PRE = 'max-h-56 overflow-auto whitespace-pre-wrap break-words rounded-md border px-3 py-2 font-mono text-xs';
const PLAIN = 'border-zinc-200 bg-zinc-50 text-zinc-800 dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-200';
const ERROR = 'border-red-200 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200';

function Label({ children }: { children: ReactNode }): ReactNode {
  return <p className="mb-1 text-[11px] font-semibold uppercase tracking-wider text-zinc-500">{children}</p>;
}

function Block({ label, children, testId, tone = 'plain' }: { label: ReactNode; children: string; testId: string; tone?: 'plain' | 'error' }): ReactNode {
  return (
    <div>
      <Label>{label}</Label>
      <pre className={`${PRE} ${tone === 'error' ? ERROR : PLAIN}`} data-testid={testId}>
        {children}
      </pre>
    </div>
  );
}

/** The traceback with each frame of a user script a link to its line. */
export function Traceback({ label, text, onFrame, testId }: { label: string; text: string; onFrame?: ((f: TracebackFrame) => void) | undefined; testId: string }): ReactNode {
  return (
    <div>
      <Label>{label}</Label>
      <pre className={`${PRE} ${ERROR}`} data-testid={testId}>
        {parseTraceback(text).map((l, i) => (
          <span key={i}>
            {i > 0 ? '\n' : null}
            {l.frame && onFrame ? (
              <button
                type="button"
                className="cursor-pointer text-left underline decoration-dotted underline-offset-2 hover:text-indigo-700 dark:hover:text-indigo-300"
                title={`Open ${l.frame.scriptId} at line ${l.frame.line}`}
                data-testid="traceback-frame"
                data-script={l.frame.scriptId}
                data-line={l.frame.line}
                onClick={() => onFrame(l.frame!)}
              >
                {l.text}
              </button>
            ) : (
              l.text
            )}
          </span>
        ))}
      </pre>
    </div>
  );
}

function Locals({ locals, onFrame }: { locals: NonNullable<DraftRun['locals']>; onFrame?: ((f: TracebackFrame) => void) | undefined }): ReactNode {
  return (
    <div data-testid="run-locals">
      <Label>
        Locals of {locals.funcName}{' '}
        {onFrame ? (
          <button
            type="button"
            className="normal-case text-indigo-700 hover:underline dark:text-indigo-300"
            onClick={() => onFrame({ scriptId: locals.scriptId, line: locals.line, func: locals.funcName })}
          >
            ({locals.scriptId}, line {locals.line})
          </button>
        ) : (
          `(${locals.scriptId}, line ${locals.line})`
        )}
      </Label>
      {locals.vars.length === 0 ? (
        <p className="text-xs text-zinc-500">(no locals)</p>
      ) : (
        <div className="max-h-56 overflow-auto rounded-md border border-zinc-200 dark:border-zinc-800">
          <table className="w-full table-fixed text-left font-mono text-xs">
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {locals.vars.map((v) => (
                <tr key={v.name} data-testid="run-local">
                  <td className="w-28 truncate px-2 py-1 align-top font-semibold" title={v.name}>
                    {v.name}
                  </td>
                  <td className="w-16 truncate px-2 py-1 align-top text-zinc-500" title={v.type}>
                    {v.type}
                  </td>
                  <td className="whitespace-pre-wrap break-all px-2 py-1">{v.repr}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {locals.more > 0 ? <p className="mt-1 text-xs text-zinc-500">{locals.more} more not shown</p> : null}
    </div>
  );
}

/** The lines of a run still going, as they are written. */
export function LiveRun({ lines, trimmed, failed }: { lines: string[]; trimmed: number; failed: boolean }): ReactNode {
  return (
    <div className="space-y-3" data-testid="run-live-panel">
      <div className="flex items-center gap-2 text-xs text-zinc-500">
        <Badge tone="indigo" testId="run-status">
          running
        </Badge>
        <span>{failed ? 'live lines unavailable: they come with the result' : 'lines appear as they are printed'}</span>
      </div>
      <Block label="Print logs (live)" testId="run-live-logs">
        {(trimmed > 0 ? `[… ${trimmed} earlier lines not kept here]\n` : '') + (lines.length ? lines.join('\n') : '(nothing printed yet)')}
      </Block>
    </div>
  );
}

export function RunResult({ run, onFrame }: { run: DraftRun; onFrame?: (f: TracebackFrame) => void }): ReactNode {
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
      {run.traceback ? (
        <Traceback label={run.exceptionType ?? 'Error'} text={run.traceback} onFrame={onFrame} testId="run-traceback" />
      ) : run.exception ? (
        <Block label={run.exceptionType ?? 'Error'} testId="run-traceback" tone="error">
          {run.exception}
        </Block>
      ) : null}
      {run.locals ? <Locals locals={run.locals} onFrame={onFrame} /> : null}
      <Block label="Print logs" testId="run-logs">
        {run.printLogs.length ? run.printLogs.join('\n') : '(nothing printed)'}
      </Block>
    </div>
  );
}
