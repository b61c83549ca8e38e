/** Creating a script set and a script; server validation messages shown at their field. */
import { useState, type ReactNode } from 'react';
import { useMutation, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import { useApi } from '../../app/session';
import { Dialog } from '../../ui/Dialog';
import { FormButtons } from '../../ui/Button';
import { Field, Select, TextInput } from '../../ui/Field';
import { ErrorBanner } from '../../ui/States';
import { errorFor, fieldOf } from '../../ui/field-errors';

/** A dialog whose form runs `add`: its error above the fields unless it names one of them, Cancel and Create. */
function NewItemDialog({
  open,
  title,
  onClose,
  testId,
  add,
  submitTestId,
  canSubmit = true,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  testId: string;
  add: UseMutationResult<unknown, Error, void>;
  submitTestId: string;
  canSubmit?: boolean;
  children: ReactNode;
}): ReactNode {
  return (
    <Dialog open={open} title={title} onClose={onClose} testId={testId}>
      <form
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        {add.error && !fieldOf(add.error) ? <ErrorBanner error={add.error} /> : null}
        {children}
        <FormButtons onCancel={onClose} submitLabel="Create" submitDisabled={add.isPending || !canSubmit} submitTestId={submitTestId} />
      </form>
    </Dialog>
  );
}

export function NewScriptSetDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated?: (id: string) => void }): ReactNode {
  const api = useApi();
  const qc = useQueryClient();
  const [id, setId] = useState('');
  const [title, setTitle] = useState('');
  const add = useMutation({
    mutationFn: () => api.addScriptSet({ body: { data: { id, title: title || null } } }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['scriptSets'] });
      onCreated?.(id);
      setId('');
      setTitle('');
      onClose();
    },
  });
  return (
    <NewItemDialog open={open} title="New script set" onClose={onClose} testId="new-script-set-dialog" add={add} submitTestId="script-set-submit">
      <Field label="ID" error={errorFor(add.error, 'id')} hint="Letters, digits and _ ; no double underscore" testId="script-set-id">
        <TextInput value={id} onChange={(e) => setId(e.target.value)} autoFocus data-testid="script-set-id" />
      </Field>
      <Field label="Title">
        <TextInput value={title} onChange={(e) => setTitle(e.target.value)} />
      </Field>
    </NewItemDialog>
  );
}

export function NewScriptDialog({
  open,
  onClose,
  setIds,
  defaultSet,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  setIds: string[];
  defaultSet: string;
  onCreated: (id: string) => void;
}): ReactNode {
  const api = useApi();
  const qc = useQueryClient();
  const [setId, setSetId] = useState(defaultSet);
  const [name, setName] = useState('');
  const chosenSet = setIds.includes(setId) ? setId : defaultSet || (setIds[0] ?? '');
  const add = useMutation({
    mutationFn: () => api.addScript({ body: { data: { id: `${chosenSet}__${name}` } } }),
    onSuccess: async (res) => {
      await qc.invalidateQueries({ queryKey: ['scripts'] });
      setName('');
      onClose();
      onCreated(res.id);
    },
  });
  return (
    <NewItemDialog open={open} title="New script" onClose={onClose} testId="new-script-dialog" add={add} submitTestId="script-submit" canSubmit={chosenSet !== ''}>
      <Field label="Script set">
        <Select value={chosenSet} onChange={(e) => setSetId(e.target.value)} options={setIds} data-testid="script-set-select" />
      </Field>
      <Field label="Name" error={errorFor(add.error, 'id')} hint={`The script id will be ${chosenSet}__${name || '…'}`} testId="script-name">
        <TextInput value={name} onChange={(e) => setName(e.target.value)} autoFocus data-testid="script-name" />
      </Field>
    </NewItemDialog>
  );
}
