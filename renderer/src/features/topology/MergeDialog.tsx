/** Pick two or more units to merge into one listening to all their queues. */
import { useState, type ReactNode, type SyntheticEvent } from 'react';
import type { StackChange } from '@contract/operations/stack';
import { FormButtons } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { Field, TextInput } from '../../ui/Field';
import { queueList } from './format';
import type { UnitView } from './graph-model';

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

function Form({ units, onSubmit, onClose }: { units: UnitView[]; onSubmit: (c: StackChange) => void; onClose: () => void }): ReactNode {
  const [picked, setPicked] = useState<string[]>([]);
  const [into, setInto] = useState('');
  const [error, setError] = useState<string | null>(null);
  const toggle = (name: string): void => setPicked((p) => (p.includes(name) ? p.filter((n) => n !== name) : [...p, name]));
  const submit = (e: SyntheticEvent): void => {
    e.preventDefault();
    if (picked.length < 2) return setError('Pick at least two units.');
    const name = into.trim();
    if (name && !NAME.test(name)) return setError('The name must be lowercase letters, digits and dashes.');
    onSubmit({ op: 'merge', units: units.filter((u) => picked.includes(u.name)).map((u) => u.name), ...(name ? { into: name } : {}) });
  };
  return (
    <form onSubmit={submit} className="space-y-4">
      <p className="text-sm text-zinc-500">The merged unit listens to every queue of the units picked; it keeps the most processes and replicas among them.</p>
      <div className="max-h-72 space-y-1 overflow-y-auto rounded-md border border-zinc-200 p-2 dark:border-zinc-800">
        {units.map((u) => (
          <label key={u.name} className="flex cursor-pointer items-center gap-2.5 rounded px-2 py-1.5 text-sm hover:bg-zinc-50 dark:hover:bg-zinc-800/60">
            <input type="checkbox" checked={picked.includes(u.name)} onChange={() => toggle(u.name)} className="size-4 accent-indigo-600" data-testid={`merge-pick-${u.name}`} />
            <span className="font-mono font-medium">{u.name}</span>
            <span className="text-xs text-zinc-500">{queueList(u.queues)}</span>
          </label>
        ))}
      </div>
      <Field label="Name of the merged unit" hint="Empty: named after its queues (e.g. worker-1-6).">
        <TextInput value={into} onChange={(e) => setInto(e.target.value)} placeholder="worker-…" data-testid="merge-into" />
      </Field>
      {error ? (
        <p className="text-sm text-red-600 dark:text-red-400" data-testid="merge-error">
          {error}
        </p>
      ) : null}
      <FormButtons onCancel={onClose} submitLabel="Preview merge" submitTestId="merge-preview" ruled />
    </form>
  );
}

export function MergeDialog({ open, units, onSubmit, onClose }: { open: boolean; units: UnitView[]; onSubmit: (c: StackChange) => void; onClose: () => void }): ReactNode {
  return (
    <Dialog open={open} title="Merge units" onClose={onClose} testId="merge-dialog">
      {open ? <Form units={units} onSubmit={onSubmit} onClose={onClose} /> : null}
    </Dialog>
  );
}
