/** Publish: the diff against the published version, a note, and publish errors at their line. */
import { useState, type ReactNode } from 'react';
import { Dialog } from '../../ui/Dialog';
import { Button } from '../../ui/Button';
import { Field, TextInput } from '../../ui/Field';
import { ErrorBanner } from '../../ui/States';
import { DiffView } from '../../editor/DiffView';

export interface PublishDialogProps {
  open: boolean;
  published: string;
  draft: string;
  version: number;
  pending: boolean;
  error: unknown;
  onClose: () => void;
  onPublish: (note: string) => void;
}

export function PublishDialog({ open, published, draft, version, pending, error, onClose, onPublish }: PublishDialogProps): ReactNode {
  const [note, setNote] = useState('');
  const same = published === draft;
  return (
    <Dialog
      open={open}
      wide
      title={`Publish — version ${version + 1}`}
      onClose={onClose}
      testId="publish-dialog"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" disabled={pending} onClick={() => onPublish(note)} data-testid="publish-submit">
            {pending ? 'Publishing…' : 'Publish'}
          </Button>
        </>
      }
    >
      <div className="space-y-4">
        {error ? (
          <div data-testid="publish-error">
            <ErrorBanner error={error} />
          </div>
        ) : null}
        <div className="flex items-center justify-between text-xs text-zinc-500">
          <span>{version === 0 ? 'Not published yet' : `Published version ${version}`}</span>
          <span>Draft</span>
        </div>
        {same ? <p className="text-sm text-zinc-500">The draft is the same as the published version.</p> : null}
        <DiffView original={published} modified={draft} height={360} />
        <Field label="Note">
          <TextInput value={note} onChange={(e) => setNote(e.target.value)} placeholder="What changed" data-testid="publish-note" />
        </Field>
      </div>
    </Dialog>
  );
}
