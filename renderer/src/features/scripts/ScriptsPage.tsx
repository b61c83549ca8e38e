/** Scripts: the tree on the left (it can be hidden; hidden at first on a narrow window), the selected script's workspace on the right. */
import { useState, type ReactNode } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { EmptyState } from '../../ui/States';
import { ScriptTree } from './ScriptTree';
import { ScriptWorkspace } from './ScriptWorkspace';

/** Below this the tree starts hidden (Tailwind's lg). */
const WIDE_ENOUGH_FOR_TREE = '(min-width: 1024px)';
const toggleClass = 'rounded px-1.5 text-sm leading-6 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 dark:hover:bg-zinc-800 dark:hover:text-zinc-100';

export default function ScriptsPage(): ReactNode {
  const { scriptId } = useParams();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const func = search.get('func');
  // A traceback frame of this script clicked in another one's run panel.
  const line = Number(search.get('line') ?? '');
  // With a script open on a narrow window the tree starts hidden (with the sidebar it left the editor too little).
  const [treeOpen, setTreeOpen] = useState(() => !scriptId || window.matchMedia(WIDE_ENOUGH_FOR_TREE).matches);
  const initialRun = func ? { funcName: func, kwargs: search.get('kwargs') ?? '{}', replayOf: search.get('replay') } : null;
  return (
    <div className="flex h-full min-h-0">
      {treeOpen ? (
        <div className="flex w-52 shrink-0 flex-col border-r border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900" data-testid="script-tree-pane">
          <div className="flex h-8 shrink-0 items-center justify-between border-b border-zinc-200 pr-1 pl-3 dark:border-zinc-800">
            <span className="text-[11px] font-semibold uppercase tracking-wider text-zinc-500">Scripts</span>
            <button
              type="button"
              className={toggleClass}
              onClick={() => setTreeOpen(false)}
              title="Hide the scripts"
              aria-label="Hide the scripts"
              data-testid="script-tree-toggle"
            >
              «
            </button>
          </div>
          <div className="min-h-0 flex-1">
            <ScriptTree onCreated={(id) => void navigate(`/scripts/${id}`)} openScriptId={scriptId} />
          </div>
        </div>
      ) : (
        <div className="flex w-8 shrink-0 flex-col items-center border-r border-zinc-200 bg-white pt-1 dark:border-zinc-800 dark:bg-zinc-900">
          <button type="button" className={toggleClass} onClick={() => setTreeOpen(true)} title="Show the scripts" aria-label="Show the scripts" data-testid="script-tree-toggle">
            »
          </button>
        </div>
      )}
      <div className="min-w-0 flex-1">
        {scriptId ? (
          <ScriptWorkspace key={`${scriptId}?${search.toString()}`} scriptId={scriptId} initialRun={initialRun} initialLine={Number.isInteger(line) && line > 0 ? line : null} />
        ) : (
          <div className="p-8">
            <EmptyState title="Pick a script" testId="scripts-empty">
              Choose a script on the left, or create a script set and a script. Ctrl/Cmd-S saves the draft, Ctrl/Cmd-Enter runs it.
            </EmptyState>
          </div>
        )}
      </div>
    </div>
  );
}
