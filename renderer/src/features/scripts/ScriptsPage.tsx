/** Scripts: the tree on the left, the selected script's workspace on the right. */
import type { ReactNode } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { EmptyState } from '../../ui/States';
import { ScriptTree } from './ScriptTree';
import { ScriptWorkspace } from './ScriptWorkspace';

export default function ScriptsPage(): ReactNode {
  const { scriptId } = useParams();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const func = search.get('func');
  // A traceback frame of this script clicked in another one's run panel.
  const line = Number(search.get('line') ?? '');
  const initialRun = func ? { funcName: func, kwargs: search.get('kwargs') ?? '{}', replayOf: search.get('replay') } : null;
  return (
    <div className="flex h-full min-h-0">
      <div className="w-52 shrink-0 border-r border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <ScriptTree onCreated={(id) => void navigate(`/scripts/${id}`)} openScriptId={scriptId} />
      </div>
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
