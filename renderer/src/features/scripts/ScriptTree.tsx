/** Script sets and their scripts. */
import { useState, type ReactNode } from 'react';
import { NavLink } from 'react-router';
import { Button } from '../../ui/Button';
import { EmptyState, ErrorBanner, Spinner } from '../../ui/States';
import { useScripts, useScriptSets } from './queries';
import { usePermissions } from '../../app/permissions';
import { NewScriptDialog, NewScriptSetDialog } from './NewItemDialogs';
import { ExportSetButton } from './ExportSetButton';
import { ImportDialog } from './ImportDialog';
import { ExportArchiveDialog } from './ExportArchiveDialog';
import { funcDesktop } from '../../app/desktop';
import { defaultScriptSet, type CreatedSet } from './default-set';

export function ScriptTree({ onCreated, openScriptId }: { onCreated: (id: string) => void; openScriptId?: string | undefined }): ReactNode {
  const sets = useScriptSets();
  const scripts = useScripts();
  const [newSet, setNewSet] = useState(false);
  const { can, known } = usePermissions();
  const writable = can('general_w');
  const [newScriptIn, setNewScriptIn] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const [exportingZip, setExportingZip] = useState(false);
  // A file answer does not cross the desktop bridge yet (contract/client/ipc-transport.ts).
  const canDownload = funcDesktop() === undefined;
  const setIds = (sets.data ?? []).map((s) => s.id);
  const [createdSet, setCreatedSet] = useState<CreatedSet | null>(null);
  const body = (): ReactNode => {
    if (sets.isPending || scripts.isPending) return <Spinner />;
    if (sets.error || scripts.error)
      return (
        <div className="p-3">
          <ErrorBanner error={sets.error ?? scripts.error} onRetry={() => void Promise.all([sets.refetch(), scripts.refetch()])} />
        </div>
      );
    if (setIds.length === 0)
      return (
        <div className="p-3">
          <EmptyState title="No script sets">Create a script set to hold your scripts.</EmptyState>
        </div>
      );
    return (
      <ul className="space-y-3 p-2" data-testid="script-tree">
        {setIds.map((setId) => {
          const inSet = (scripts.data ?? []).filter((s) => s.scriptSetId === setId);
          return (
            <li key={setId}>
              <div className="group flex flex-wrap items-center gap-1 px-2 py-1">
                <span className="mr-auto truncate text-xs font-semibold uppercase tracking-wider text-zinc-500" title={setId}>
                  {setId}
                </span>
                <ExportSetButton setId={setId} />
                <button
                  type="button"
                  className="rounded px-1.5 text-sm text-zinc-400 hover:bg-zinc-200 hover:text-zinc-700 dark:hover:bg-zinc-800 dark:hover:text-zinc-200"
                  title={`New script in ${setId}`}
                  onClick={() => setNewScriptIn(setId)}
                  data-testid={`new-script-in-${setId}`}
                  hidden={!writable}
                >
                  +
                </button>
              </div>
              {inSet.length === 0 ? <p className="px-3 py-1 text-xs text-zinc-400">No scripts</p> : null}
              {inSet.map((s) => (
                <NavLink
                  key={s.id}
                  to={`/scripts/${s.id}`}
                  data-testid={`tree-script-${s.id}`}
                  className={({ isActive }) =>
                    `flex items-center gap-2 truncate rounded-md px-3 py-1.5 font-mono text-[13px] ${isActive ? 'bg-indigo-50 text-indigo-700 dark:bg-indigo-950/60 dark:text-indigo-300' : 'text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800'}`
                  }
                >
                  <span className="truncate">{s.id.split('__')[1]}</span>
                  {s.publishVersion > 0 ? (
                    <span className="ml-auto text-[10px] text-zinc-400">v{s.publishVersion}</span>
                  ) : (
                    <span className="ml-auto text-[10px] text-amber-500">draft</span>
                  )}
                </NavLink>
              ))}
            </li>
          );
        })}
      </ul>
    );
  };
  return (
    <div className="flex h-full flex-col">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5 border-b border-zinc-200 p-2 dark:border-zinc-800">
        {writable ? (
          <>
            <div className="flex gap-2">
              <Button size="sm" onClick={() => setNewSet(true)} data-testid="new-script-set">
                + Set
              </Button>
              <Button size="sm" onClick={() => setNewScriptIn(defaultScriptSet(setIds, openScriptId, createdSet))} disabled={setIds.length === 0} data-testid="new-script">
                + Script
              </Button>
            </div>
            {/* Import and export of files: on a line of their own when the tree is narrow. */}
            <div className="flex gap-1">
              <Button
                size="sm"
                variant="ghost"
                onClick={() => setImporting(true)}
                title="Import a Func bundle (.json) or a DataFlux Func archive (.zip)"
                data-testid="import-script-set"
              >
                Import
              </Button>
              {canDownload ? (
                <Button
                  size="sm"
                  variant="ghost"
                  onClick={() => setExportingZip(true)}
                  disabled={setIds.length === 0}
                  title="Export as DataFlux Func archive (.zip)"
                  data-testid="export-archive"
                >
                  Export .zip
                </Button>
              ) : null}
            </div>
          </>
        ) : known ? (
          <span className="px-1 text-xs text-zinc-500" data-testid="scripts-read-only">
            Read only for your role
          </span>
        ) : null}
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto">{body()}</div>
      {importing ? <ImportDialog onClose={() => setImporting(false)} /> : null}
      {exportingZip ? <ExportArchiveDialog sets={(sets.data ?? []).map((s) => ({ id: s.id, title: s.title }))} onClose={() => setExportingZip(false)} /> : null}
      <NewScriptSetDialog open={newSet} onClose={() => setNewSet(false)} onCreated={(set) => setCreatedSet({ set, whileOpen: openScriptId })} />
      {newScriptIn !== null ? <NewScriptDialog open setIds={setIds} defaultSet={newScriptIn} onClose={() => setNewScriptIn(null)} onCreated={onCreated} /> : null}
    </div>
  );
}
