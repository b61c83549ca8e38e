/**
 * Pick a function of the draft, edit kwargs as JSON, run it, see the result; runs kept for the session.
 * The functions and their arguments come from the server's discovery of the saved draft, the text's
 * other top-level functions from the fallback parser (draft-funcs.ts).
 */
import { useEffect, useMemo, useState, type ReactNode, type RefObject } from 'react';
import { Button } from '../../ui/Button';
import { Select, TextArea } from '../../ui/Field';
import { EmptyState, ErrorBanner } from '../../ui/States';
import { formatTime } from '../../ui/format';
import { Badge, statusTone } from '../../ui/Page';
import { runnableFunctions } from './draft-funcs';
import { useDraftDiscovery } from './queries';
import { useRuns, type DraftRun } from './run-history';
import { LiveRun, RunResult } from './RunResult';
import type { TracebackFrame } from './traceback';
import type { LiveLogs } from '../tasks/use-live-logs';
import { ReplayBar, type ReplayAgainst } from './ReplayBar';

export interface RunRequest {
  funcName: string;
  kwargs: Record<string, unknown>;
}

export interface RunPanelProps {
  scriptId: string;
  code: string;
  /** MD5 of the saved draft, and whether `code` is that saved text. */
  savedMD5: string;
  saved: boolean;
  running: boolean;
  runError: unknown;
  onRun: (req: RunRequest) => void;
  /** Set to this panel's run action, for Ctrl/Cmd-Enter in the editor. */
  runRef: RefObject<(() => void) | null>;
  initial?: { funcName: string; kwargs: string } | null;
  /** Opened to replay a recorded task (Task records → Replay in editor). */
  replay?: { taskId: string; onReplay: (against: ReplayAgainst) => void } | null;
  /** The running run's lines as they are printed. */
  live?: LiveLogs | null;
  /** A traceback frame (or the locals' frame) clicked: show that line. */
  onFrame?: (f: TracebackFrame) => void;
}

function parseKwargs(text: string): { value: Record<string, unknown> | null; error: string | null } {
  if (text.trim() === '') return { value: {}, error: null };
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { value: null, error: 'kwargs must be a JSON object' };
    return { value: v as Record<string, unknown>, error: null };
  } catch (err) {
    return { value: null, error: err instanceof Error ? err.message : 'invalid JSON' };
  }
}

export function RunPanel({ scriptId, code, savedMD5, saved, running, runError, onRun, runRef, initial, replay, live, onFrame }: RunPanelProps): ReactNode {
  const discovery = useDraftDiscovery(scriptId, savedMD5, true);
  const answer = discovery.data;
  const fresh = saved && !discovery.isPlaceholderData && answer?.codeDraftMD5 === savedMD5;
  const funcs = useMemo(() => runnableFunctions(code, answer, fresh), [code, answer, fresh]);
  const [funcName, setFuncName] = useState(initial?.funcName ?? '');
  const firstTemplate = (): string => JSON.stringify(funcs.find((f) => f.name === initial?.funcName)?.kwargsTemplate ?? funcs[0]?.kwargsTemplate ?? {}, null, 2);
  const [kwargsText, setKwargsText] = useState(() => initial?.kwargs ?? firstTemplate());
  /** The text last set from a template: while the user has not edited it, a better template (the server's) replaces it. */
  const [templateText, setTemplateText] = useState<string | null>(() => (initial ? null : kwargsText));
  const [selected, setSelected] = useState<DraftRun | null>(null);
  const runs = useRuns(scriptId);
  const current = funcs.find((f) => f.name === funcName) ?? funcs[0];
  const currentTemplate = JSON.stringify(current?.kwargsTemplate ?? {}, null, 2);
  if (templateText !== null && kwargsText === templateText && currentTemplate !== templateText) {
    setKwargsText(currentTemplate);
    setTemplateText(currentTemplate);
  }
  const importError = fresh ? answer?.error : null;
  const parsed = parseKwargs(kwargsText);
  const shown = selected ?? runs[0] ?? null;

  const run = (): void => {
    if (!current || !parsed.value || running) return;
    setSelected(null);
    onRun({ funcName: current.name, kwargs: parsed.value });
  };

  useEffect(() => {
    runRef.current = run;
  });

  if (funcs.length === 0)
    return (
      <div className="p-4">
        <EmptyState title="No functions in this script">
          Define a function (decorate it with <code>@DFF.API</code> to publish it), then run it here.
        </EmptyState>
      </div>
    );

  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="run-panel">
      <div className="space-y-3 border-b border-zinc-200 p-4 dark:border-zinc-800">
        {replay ? <ReplayBar scriptId={scriptId} taskId={replay.taskId} running={running} onReplay={replay.onReplay} /> : null}
        <div className="flex items-center gap-2">
          <Select
            aria-label="Function"
            value={current?.name ?? ''}
            onChange={(e) => {
              setFuncName(e.target.value);
              const f = funcs.find((x) => x.name === e.target.value);
              const text = JSON.stringify(f?.kwargsTemplate ?? {}, null, 2);
              setKwargsText(text);
              setTemplateText(text);
            }}
            data-testid="run-func-select"
          >
            {funcs.map((f) => (
              <option key={f.name} value={f.name}>
                {f.name}
                {f.exported ? '' : ' (not exported)'}
              </option>
            ))}
          </Select>
          <Button variant="primary" onClick={run} disabled={running || !parsed.value} data-testid="run-button" title="Run the draft (Ctrl/Cmd-Enter)">
            {running ? 'Running…' : '▶ Run'}
          </Button>
        </div>
        <div>
          <TextArea aria-label="kwargs (JSON)" rows={4} value={kwargsText} onChange={(e) => setKwargsText(e.target.value)} spellCheck={false} data-testid="run-kwargs" />
          {importError ? (
            <p className="mt-1 text-xs text-amber-700 dark:text-amber-400" data-testid="run-discover-error">
              The saved draft does not import: {importError.exceptionType}: {importError.message}
              {importError.line !== null ? ` (line ${importError.line})` : ''}
            </p>
          ) : null}
          {parsed.error ? (
            <p className="mt-1 text-xs text-red-600 dark:text-red-400" data-testid="run-kwargs-error">
              {parsed.error}
            </p>
          ) : (
            <p className="mt-1 text-xs text-zinc-500">kwargs as a JSON object · Ctrl/Cmd-Enter runs the saved draft</p>
          )}
        </div>
      </div>
      <div className="min-h-0 flex-1 space-y-4 overflow-y-auto p-4">
        {runError ? <ErrorBanner error={runError} /> : null}
        {running && live ? (
          <LiveRun lines={live.lines} trimmed={live.trimmed} failed={live.failed} />
        ) : shown ? (
          <RunResult run={shown} {...(onFrame ? { onFrame } : {})} />
        ) : (
          <EmptyState title="No runs yet">Run a function to see its return value, print logs and traceback.</EmptyState>
        )}
        {runs.length > 1 ? (
          <div>
            <p className="mb-1 text-[11px] font-semibold uppercase tracking-wider text-zinc-500">Runs this session</p>
            <ul className="divide-y divide-zinc-200 rounded-md border border-zinc-200 text-xs dark:divide-zinc-800 dark:border-zinc-800" data-testid="run-history">
              {runs.map((r) => (
                <li key={r.taskId}>
                  <button
                    type="button"
                    className={`flex w-full items-center gap-2 px-3 py-1.5 text-left hover:bg-zinc-50 dark:hover:bg-zinc-800/50 ${shown === r ? 'bg-zinc-50 dark:bg-zinc-800/50' : ''}`}
                    onClick={() => setSelected(r)}
                  >
                    <Badge tone={statusTone(r.status)}>{r.status}</Badge>
                    <span className="truncate font-mono">{r.funcId.split('.')[1]}</span>
                    <span className="ml-auto shrink-0 text-zinc-500">{formatTime(r.at).slice(11)}</span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
    </div>
  );
}
