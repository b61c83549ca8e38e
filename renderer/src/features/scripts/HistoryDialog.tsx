/** Published versions, newest first; compare one with the draft and roll back to it. */
import { useState, type ReactNode } from 'react';
import { Dialog } from '../../ui/Dialog';
import { Button } from '../../ui/Button';
import { EmptyState, ErrorBanner, Spinner } from '../../ui/States';
import { formatTime } from '../../ui/format';
import { DiffView } from '../../editor/DiffView';
import { usePublishHistory } from './queries';

export interface HistoryDialogProps {
  open: boolean;
  scriptId: string;
  draft: string;
  pending: boolean;
  onClose: () => void;
  /** Null for a user who may not change scripts: no rollback offered. */
  onRollback: ((code: string, version: number) => void) | null;
}

export function HistoryDialog({ open, scriptId, draft, pending, onClose, onRollback }: HistoryDialogProps): ReactNode {
  const history = usePublishHistory(scriptId, open);
  const [picked, setPicked] = useState<number | null>(null);
  const rows = history.data ?? [];
  const chosen = rows.find((r) => r.publishVersion === picked) ?? rows[0];
  return (
    <Dialog
      open={open}
      wide
      title="Publish history"
      onClose={onClose}
      testId="history-dialog"
      footer={
        <>
          <Button onClick={onClose}>Close</Button>
          {chosen && onRollback ? (
            <Button variant="primary" disabled={pending} onClick={() => onRollback(chosen.code, chosen.publishVersion)} data-testid="history-rollback">
              Roll back to version {chosen.publishVersion}
            </Button>
          ) : null}
        </>
      }
    >
      {history.isPending ? (
        <Spinner />
      ) : history.error ? (
        <ErrorBanner error={history.error} onRetry={() => void history.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title="Never published">Publish the script to start its history.</EmptyState>
      ) : (
        <div className="grid grid-cols-[14rem_1fr] gap-4">
          <ul className="max-h-[420px] space-y-1 overflow-y-auto" data-testid="history-list">
            {rows.map((r) => (
              <li key={r.publishVersion}>
                <button
                  type="button"
                  onClick={() => setPicked(r.publishVersion)}
                  className={`w-full rounded-md px-3 py-2 text-left text-sm ${chosen === r ? 'bg-indigo-50 dark:bg-indigo-950/60' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800'}`}
                >
                  <span className="block font-medium">Version {r.publishVersion}</span>
                  <span className="block truncate text-xs text-zinc-500">{r.note || 'No note'}</span>
                  <span className="block text-xs text-zinc-400">{formatTime(r.createTime)}</span>
                </button>
              </li>
            ))}
          </ul>
          <div className="min-w-0">
            <p className="mb-2 text-xs text-zinc-500">Left: version {chosen?.publishVersion} · Right: current draft</p>
            <DiffView original={chosen?.code ?? ''} modified={draft} />
          </div>
        </div>
      )}
    </Dialog>
  );
}
