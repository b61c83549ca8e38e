/** One script: toolbar (save state, publish, history), the editor and the run panel. */
import { useRef, useState, type ReactNode } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '@contract/errors';
import { useApi } from '../../app/session';
import { usePermissions } from '../../app/permissions';
import { Button } from '../../ui/Button';
import { Badge } from '../../ui/Page';
import { ErrorBanner, Spinner } from '../../ui/States';
import { CodeEditor } from '../../editor/CodeEditor';
import { useEditorConnectors } from '../../editor/use-editor-connectors';
import { useScript, type ScriptDetail } from './queries';
import { useDraft, type SaveState } from './use-draft';
import { RunPanel, type RunRequest } from './RunPanel';
import type { ReplayAgainst } from './ReplayBar';
import { addRun } from './run-history';
import { PublishDialog } from './PublishDialog';
import { HistoryDialog } from './HistoryDialog';
import { ConflictDialog } from './ConflictDialog';
import { newLiveKey, useLiveLogs } from '../tasks/use-live-logs';
import type { TracebackFrame } from './traceback';
import { useNavigate } from 'react-router';

const SAVE_LABEL: Record<SaveState, string> = { saved: 'Saved', dirty: 'Unsaved changes', saving: 'Saving…', conflict: 'Conflict', error: 'Save failed' };

function lineOf(err: unknown): number | null {
  return err instanceof ApiError && typeof err.detail.line === 'number' ? err.detail.line : null;
}

interface InitialRun {
  funcName: string;
  kwargs: string;
  /** Replay this recorded task. */
  replayOf?: string | null;
}

function Loaded({ script, initialRun, initialLine }: { script: ScriptDetail; initialRun: InitialRun | null; initialLine: number | null }): ReactNode {
  const api = useApi();
  useEditorConnectors();
  const navigate = useNavigate();
  // The running debug run's lines, under a key picked here (its task id comes with the answer).
  const [liveKey, setLiveKey] = useState<string | null>(null);
  const live = useLiveLogs(liveKey);
  const [reveal, setReveal] = useState<{ line: number } | null>(initialLine ? { line: initialLine } : null);
  const onFrame = (f: TracebackFrame): void => {
    if (f.scriptId === script.id) setReveal({ line: f.line });
    else void navigate(`/scripts/${encodeURIComponent(f.scriptId)}?line=${f.line}`);
  };
  const qc = useQueryClient();
  const draft = useDraft(script);
  const [errorLine, setErrorLine] = useState<number | null>(null);
  const [publishOpen, setPublishOpen] = useState(false);
  const [historyOpen, setHistoryOpen] = useState(false);
  const runRef = useRef<(() => void) | null>(null);
  const { can, known } = usePermissions();
  const writable = can('general_w');

  const runMutation = useMutation({
    mutationFn: async (req: RunRequest) => {
      if (!(await draft.save())) throw new Error('Save the draft before running it');
      const funcId = `${script.id}.${req.funcName}`;
      const key = newLiveKey();
      setLiveKey(key);
      const out = await api.callFuncDraft({ params: { funcId }, body: { kwargs: req.kwargs, liveKey: key } });
      return { ...out, funcId, kwargs: req.kwargs, at: Date.now() };
    },
    // The last failure's line is not this run's: unmarked as it starts.
    onMutate: () => setErrorLine(null),
    onSettled: () => setLiveKey(null),
    onSuccess: (run) => {
      addRun(script.id, run);
      setErrorLine(run.status === 'success' ? null : run.errorLine);
    },
  });

  const replayMutation = useMutation({
    mutationFn: async ({ taskId, against }: { taskId: string; against: ReplayAgainst }) => {
      if (against === 'draft' && !(await draft.save())) throw new Error('Save the draft before replaying against it');
      const key = newLiveKey();
      setLiveKey(key);
      const out = await api.replayTask({ params: { id: taskId }, body: { against, liveKey: key } });
      return { ...out, at: Date.now() };
    },
    onMutate: () => setErrorLine(null),
    onSettled: () => setLiveKey(null),
    onSuccess: (run) => {
      addRun(script.id, run);
      setErrorLine(run.status === 'success' || run.against !== 'draft' ? null : run.errorLine);
    },
  });
  const replayOf = initialRun?.replayOf ?? null;

  const publishMutation = useMutation({
    mutationFn: async (note: string) => {
      if (!(await draft.save())) throw new Error('Save the draft before publishing it');
      return api.publishScript({ params: { id: script.id }, body: { data: { note } } });
    },
    onSuccess: async () => {
      setErrorLine(null);
      setPublishOpen(false);
      setHistoryOpen(false);
      await Promise.all([
        qc.invalidateQueries({ queryKey: ['script', script.id] }),
        qc.invalidateQueries({ queryKey: ['scripts'] }),
        qc.invalidateQueries({ queryKey: ['publishHistory', script.id] }),
        qc.invalidateQueries({ queryKey: ['funcs'] }),
      ]);
    },
    onError: (err) => setErrorLine(lineOf(err)),
  });

  // A publish refusal is about the text it was refused for: an edit makes its banner stale.
  const onChange = (code: string): void => {
    if (publishMutation.error) publishMutation.reset();
    draft.setCode(code);
  };

  // The old version is saved as the draft first; only then is it shown and published (a refused save changes nothing).
  const rollback = async (code: string, version: number): Promise<void> => {
    if (await draft.replace(code)) publishMutation.mutate(`Rollback to version ${version}`);
  };

  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="flex h-12 shrink-0 items-center gap-3 border-b border-zinc-200 px-4 dark:border-zinc-800">
        <h1 className="truncate font-mono text-sm font-semibold" data-testid="script-title">
          {script.id}
        </h1>
        {script.publishVersion > 0 ? (
          <Badge tone="green" testId="script-version">
            v{script.publishVersion}
          </Badge>
        ) : (
          <Badge tone="amber" testId="script-version">
            not published
          </Badge>
        )}
        <span
          className={`shrink-0 whitespace-nowrap text-xs ${draft.state === 'error' || draft.state === 'conflict' ? 'text-red-600' : 'text-zinc-500'}`}
          data-testid="save-status"
          data-state={draft.state}
        >
          {SAVE_LABEL[draft.state]}
        </span>
        <div className="ml-auto flex items-center gap-2">
          {writable ? (
            <Button
              size="sm"
              onClick={() => void draft.save()}
              disabled={draft.state === 'saved' || draft.state === 'saving'}
              data-testid="save-button"
              title="Save the draft (Ctrl/Cmd-S)"
            >
              Save
            </Button>
          ) : known ? (
            <Badge testId="script-read-only">read only</Badge>
          ) : null}
          <Button size="sm" onClick={() => setHistoryOpen(true)} data-testid="history-button">
            History
          </Button>
          {writable ? (
            <Button
              size="sm"
              variant="primary"
              onClick={() => {
                publishMutation.reset();
                setPublishOpen(true);
              }}
              data-testid="publish-button"
            >
              Publish…
            </Button>
          ) : null}
        </div>
      </div>
      {draft.error ? (
        <div className="px-4 pt-3">
          <ErrorBanner error={draft.error} />
        </div>
      ) : null}
      {publishMutation.error && !publishOpen ? (
        <div className="px-4 pt-3" data-testid="publish-error-banner">
          <ErrorBanner error={publishMutation.error} />
        </div>
      ) : null}
      {/* Narrower than xl, the run panel goes below the editor: beside it, it left Monaco a sliver at 900 px. */}
      <div className="flex min-h-0 flex-1 flex-col xl:flex-row" data-testid="script-split">
        <div className="min-h-0 min-w-0 flex-1 border-b border-zinc-200 xl:border-r xl:border-b-0 dark:border-zinc-800" data-testid="editor-pane">
          <CodeEditor
            path={`${script.id}.py`}
            value={draft.code}
            revision={draft.revision}
            onChange={onChange}
            errorLine={errorLine}
            onSave={() => void draft.save()}
            onRun={() => runRef.current?.()}
            readOnly={!writable}
            reveal={reveal}
          />
        </div>
        {writable ? (
          <div className="h-[45%] min-h-64 shrink-0 xl:h-auto xl:w-[22rem] 2xl:w-[30rem]">
            <RunPanel
              scriptId={script.id}
              code={draft.code}
              savedMD5={script.codeDraftMD5}
              saved={draft.state === 'saved'}
              running={runMutation.isPending || replayMutation.isPending}
              runError={runMutation.error ?? replayMutation.error}
              onRun={(r) => runMutation.mutate(r)}
              runRef={runRef}
              initial={initialRun}
              replay={replayOf ? { taskId: replayOf, onReplay: (against) => replayMutation.mutate({ taskId: replayOf, against }) } : null}
              live={liveKey ? live : null}
              onFrame={onFrame}
            />
          </div>
        ) : null}
      </div>
      <PublishDialog
        open={publishOpen}
        published={script.code ?? ''}
        draft={draft.code}
        version={script.publishVersion}
        pending={publishMutation.isPending}
        error={publishMutation.error}
        onClose={() => setPublishOpen(false)}
        onPublish={(note) => publishMutation.mutate(note)}
      />
      <HistoryDialog
        open={historyOpen}
        scriptId={script.id}
        draft={draft.code}
        pending={publishMutation.isPending}
        onClose={() => setHistoryOpen(false)}
        onRollback={writable ? (code, version) => void rollback(code, version) : null}
      />
      <ConflictDialog conflict={draft.conflict} mine={draft.code} onKeepMine={() => void draft.keepMine()} onTakeTheirs={draft.takeTheirs} />
    </div>
  );
}

export function ScriptWorkspace({ scriptId, initialRun, initialLine = null }: { scriptId: string; initialRun: InitialRun | null; initialLine?: number | null }): ReactNode {
  const script = useScript(scriptId);
  if (script.isPending) return <Spinner label="Loading the script…" />;
  if (script.error)
    return (
      <div className="p-6">
        <ErrorBanner error={script.error} onRetry={() => void script.refetch()} />
      </div>
    );
  return <Loaded script={script.data} initialRun={initialRun} initialLine={initialLine} />;
}
