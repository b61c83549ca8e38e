/** Creating a script set and a script; server validation messages shown at their field. */
import { useState, type ReactNode } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../app/session';
import { Dialog } from '../../ui/Dialog';
import { Button } from '../../ui/Button';
import { Field, Select, TextInput } from '../../ui/Field';
import { ErrorBanner } from '../../ui/States';
import { errorFor, fieldOf } from '../../ui/field-errors';

export function NewScriptSetDialog({ open, onClose }: { open: boolean; onClose: () => void }): ReactNode {
  const api = useApi();
  const qc = useQueryClient();
  const [id, setId] = useState('');
  const [title, setTitle] = useState('');
  const add = useMutation({
    mutationFn: () => api.addScriptSet({ body: { data: { id, title: title || null } } }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['scriptSets'] });
      setId('');
      setTitle('');
      onClose();
    },
  });
  const submit = (e: { preventDefault: () => void }): void => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <Dialog open={open} title="New script set" onClose={onClose} testId="new-script-set-dialog">
      <form className="space-y-3" onSubmit={submit}>
        {add.error && !fieldOf(add.error) ? <ErrorBanner error={add.error} /> : null}
        <Field label="ID" error={errorFor(add.error, 'id')} hint="Letters, digits and _ ; no double underscore" testId="script-set-id">
          <TextInput value={id} onChange={(e) => setId(e.target.value)} autoFocus data-testid="script-set-id" />
        </Field>
        <Field label="Title">
          <TextInput value={title} onChange={(e) => setTitle(e.target.value)} />
        </Field>
        <div className="flex justify-end gap-2 pt-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={add.isPending} data-testid="script-set-submit">
            Create
          </Button>
        </div>
      </form>
    </Dialog>
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
  const submit = (e: { preventDefault: () => void }): void => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <Dialog open={open} title="New script" onClose={onClose} testId="new-script-dialog">
      <form className="space-y-3" onSubmit={submit}>
        {add.error && !fieldOf(add.error) ? <ErrorBanner error={add.error} /> : null}
        <Field label="Script set">
          <Select value={chosenSet} onChange={(e) => setSetId(e.target.value)} data-testid="script-set-select">
            {setIds.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Name" error={errorFor(add.error, 'id')} hint={`The script id will be ${chosenSet}__${name || '…'}`} testId="script-name">
          <TextInput value={name} onChange={(e) => setName(e.target.value)} autoFocus data-testid="script-name" />
        </Field>
        <div className="flex justify-end gap-2 pt-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={add.isPending || !chosenSet} data-testid="script-submit">
            Create
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
