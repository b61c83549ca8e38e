/** Someone else saved the draft: show both versions, let the user choose. */
import type { ReactNode } from 'react';
import { Dialog } from '../../ui/Dialog';
import { Button } from '../../ui/Button';
import { DiffView } from '../../editor/DiffView';
import type { Conflict } from './use-draft';
import { conflictCaption } from './conflict-caption';

export function ConflictDialog({
  conflict,
  mine,
  onKeepMine,
  onTakeTheirs,
}: {
  conflict: Conflict | null;
  mine: string;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
}): ReactNode {
  const shown = conflictCaption(conflict?.theirs ?? '', mine);
  return (
    <Dialog
      open={conflict !== null}
      wide
      title="The draft was changed elsewhere"
      onClose={onTakeTheirs}
      testId="conflict-dialog"
      footer={
        <>
          <Button onClick={onTakeTheirs} data-testid="conflict-take-theirs">
            Use their version
          </Button>
          <Button variant="primary" onClick={onKeepMine} data-testid="conflict-keep-mine">
            Keep mine (overwrite)
          </Button>
        </>
      }
    >
      <div className="space-y-3">
        <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="conflict-caption">
          {shown.caption}
        </p>
        <DiffView original={conflict?.theirs ?? ''} modified={mine} emptyOriginalLabel={shown.emptyOriginalLabel} emptyOriginalTone={shown.emptyOriginalTone} />
      </div>
    </Dialog>
  );
}
