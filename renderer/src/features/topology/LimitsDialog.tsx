/** Edit a unit's CPU and memory limits and reservations (per replica); an emptied field clears the value. */
import { useState, type ReactNode, type SyntheticEvent } from 'react';
import type { StackChange } from '@contract/operations/stack';
import { Button, FormButtons } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { Field, TextInput } from '../../ui/Field';
import type { ResourcesView, UnitView } from './graph-model';

type Key = 'limitCpus' | 'limitMemory' | 'reserveCpus' | 'reserveMemory';
type Values = Record<Key, string>;
type Patch = { cpus?: number | null; memoryMb?: number | null };

const text = (n: number | undefined): string => (n === undefined ? '' : String(n));

/** The form's fields in their order: label, and the placeholder of an empty field. */
const FIELDS: readonly [Key, string, string][] = [
  ['limitCpus', 'CPU limit (cores)', 'no limit'],
  ['limitMemory', 'Memory limit (MiB)', 'no limit'],
  ['reserveCpus', 'CPU reservation (cores)', 'none'],
  ['reserveMemory', 'Memory reservation (MiB)', 'none'],
];

function parse(key: Key, value: string): { value: number | null; error: string | null } {
  const v = value.trim();
  if (v === '') return { value: null, error: null };
  const n = Number(v);
  if (key.endsWith('Cpus'))
    return Number.isFinite(n) && n > 0 && n <= 256 ? { value: n, error: null } : { value: null, error: 'a number of cores above 0, at most 256 (0.5 = half a core)' };
  return Number.isInteger(n) && n >= 64 ? { value: n, error: null } : { value: null, error: 'whole MiB, at least 64' };
}

/** The patch for one side: only what differs; null clears a value that was set. */
function patchOf(current: ResourcesView | undefined, cpus: number | null, memoryMb: number | null): Patch | undefined {
  const p: Patch = {};
  if ((current?.cpus ?? null) !== cpus) p.cpus = cpus;
  if ((current?.memoryMb ?? null) !== memoryMb) p.memoryMb = memoryMb;
  return Object.keys(p).length > 0 ? p : undefined;
}

function Form({ unit, onSubmit, onClose }: { unit: UnitView; onSubmit: (c: StackChange) => void; onClose: () => void }): ReactNode {
  const [values, setValues] = useState<Values>({
    limitCpus: text(unit.limits?.cpus),
    limitMemory: text(unit.limits?.memoryMb),
    reserveCpus: text(unit.reservations?.cpus),
    reserveMemory: text(unit.reservations?.memoryMb),
  });
  const [errors, setErrors] = useState<Partial<Record<Key, string>>>({});
  const [note, setNote] = useState<string | null>(null);
  const set = (k: Key) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));

  const submit = (e: SyntheticEvent): void => {
    e.preventDefault();
    const parsed = Object.fromEntries((Object.keys(values) as Key[]).map((k) => [k, parse(k, values[k])])) as Record<Key, ReturnType<typeof parse>>;
    const errs = Object.fromEntries(
      Object.entries(parsed)
        .filter(([, p]) => p.error)
        .map(([k, p]) => [k, p.error]),
    ) as Partial<Record<Key, string>>;
    setErrors(errs);
    if (Object.keys(errs).length > 0) return;
    const limits = patchOf(unit.limits, parsed.limitCpus.value, parsed.limitMemory.value);
    const reservations = patchOf(unit.reservations, parsed.reserveCpus.value, parsed.reserveMemory.value);
    if (!limits && !reservations) {
      setNote('Nothing changed.');
      return;
    }
    onSubmit({ op: 'limit', unit: unit.name, ...(limits ? { limits } : {}), ...(reservations ? { reservations } : {}) });
  };

  return (
    <form onSubmit={submit} className="space-y-4" id="limits-form">
      <p className="text-sm text-zinc-500">
        Per replica of <span className="font-mono font-medium text-zinc-800 dark:text-zinc-200">{unit.name}</span> ({unit.processes} Python processes). Leave a field empty for no
        limit or no reservation.
      </p>
      <div className="grid grid-cols-2 gap-4">
        {FIELDS.map(([k, label, placeholder]) => (
          <Field key={k} label={label} error={errors[k]} testId={`limits-${k}`}>
            <TextInput inputMode="decimal" value={values[k]} onChange={set(k)} placeholder={placeholder} data-testid={`limits-${k}`} aria-invalid={errors[k] ? true : undefined} />
          </Field>
        ))}
      </div>
      {note ? (
        <p className="text-sm text-zinc-500" data-testid="limits-note">
          {note}
        </p>
      ) : null}
      <FormButtons
        onCancel={onClose}
        submitLabel="Preview change"
        submitTestId="limits-preview"
        ruled
        start={
          <Button variant="dangerGhost" onClick={() => setValues({ limitCpus: '', limitMemory: '', reserveCpus: '', reserveMemory: '' })} data-testid="limits-clear">
            Clear all
          </Button>
        }
      />
    </form>
  );
}

export function LimitsDialog({ unit, onSubmit, onClose }: { unit: UnitView | null; onSubmit: (c: StackChange) => void; onClose: () => void }): ReactNode {
  return (
    <Dialog open={unit !== null} title={unit ? `Resources of ${unit.name}` : 'Resources'} onClose={onClose} testId="limits-dialog">
      {unit ? <Form key={unit.name} unit={unit} onSubmit={onSubmit} onClose={onClose} /> : null}
    </Dialog>
  );
}
