/** Add or edit one entity; server validation messages appear at the field they name. */
import { useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../app/session';
import { FormButtons } from '../../ui/Button';
import { Field, Select, TextArea, TextInput } from '../../ui/Field';
import { ErrorBanner } from '../../ui/States';
import { errorFor, fieldOf } from '../../ui/field-errors';
import type { FieldSpec, Row } from './entity-types';
import { fieldHint, initialValues, isSecret, mustBeGiven, toData, type FormValues } from './form-values';
import { RoleChoice } from './RoleChoice';
import { ApiAuthConfigInput, ApiAuthSelect, ThrottlingInputs } from './api-inputs';

function FuncSelect({ value, onChange, testId }: { value: string; onChange: (v: string) => void; testId: string }): ReactNode {
  const api = useApi();
  const funcs = useQuery({ queryKey: ['funcs'], queryFn: () => api.listFuncs({}) });
  const ids = (funcs.data ?? []).map((f) => f.id);
  return (
    <Select value={value} onChange={(e) => onChange(e.target.value)} options={ids} data-testid={testId}>
      <option value="">{funcs.isPending ? 'Loading functions…' : ids.length ? 'Choose a published function' : 'No published functions'}</option>
    </Select>
  );
}

/** `type`: the API auth type the form is on (its configuration's inputs follow it). */
function Input({
  f,
  value,
  secret,
  set,
  testId,
  type,
}: {
  f: FieldSpec;
  value: FormValues[string];
  secret: boolean;
  set: (v: FormValues[string]) => void;
  testId: string;
  type: string;
}): ReactNode {
  const text = typeof value === 'string' ? value : '';
  switch (secret ? 'password' : f.kind) {
    case 'apiAuth':
      return <ApiAuthSelect value={text} onChange={set} testId={testId} />;
    case 'throttling':
      return <ThrottlingInputs value={typeof value === 'object' && !Array.isArray(value) ? value : {}} onChange={set} testId={testId} />;
    case 'apiAuthConfig':
      return (
        <ApiAuthConfigInput
          type={type}
          value={text}
          onChange={set}
          testId={testId}
          funcSelect={(funcId, setId) => <FuncSelect value={funcId} onChange={setId} testId={`${testId}-funcId`} />}
        />
      );
    case 'number':
      return <TextInput inputMode="numeric" value={text} onChange={(e) => set(e.target.value)} placeholder={f.placeholder} data-testid={testId} />;
    case 'datetime':
      return <TextInput type="datetime-local" value={text} onChange={(e) => set(e.target.value)} data-testid={testId} />;
    case 'checkbox':
      return <input type="checkbox" className="size-4 accent-indigo-600" checked={value === true} onChange={(e) => set(e.target.checked)} data-testid={testId} />;
    case 'select':
      return <Select value={text} onChange={(e) => set(e.target.value)} options={f.options ?? []} data-testid={testId} />;
    case 'func':
      return <FuncSelect value={text} onChange={set} testId={testId} />;
    case 'json':
    case 'textarea':
      return <TextArea rows={f.kind === 'json' ? 4 : 3} value={text} onChange={(e) => set(e.target.value)} spellCheck={false} placeholder={f.placeholder} data-testid={testId} />;
    default:
      return (
        <TextInput type={secret ? 'password' : 'text'} value={text} onChange={(e) => set(e.target.value)} placeholder={f.placeholder} autoComplete="off" data-testid={testId} />
      );
  }
}

export interface EntityFormProps {
  fields: FieldSpec[];
  row: Row | null;
  pending: boolean;
  error: unknown;
  testIdPrefix: string;
  onCancel: () => void;
  onSubmit: (data: Row) => void;
}

export function EntityForm({ fields, row, pending, error, testIdPrefix, onCancel, onSubmit }: EntityFormProps): ReactNode {
  const [values, setValues] = useState<FormValues>(() => initialValues(fields, row));
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const adding = row === null;
  const shown = fields.filter((f) => adding || !f.addOnly);
  const serverField = fieldOf(error);
  const submit = (e: { preventDefault: () => void }): void => {
    e.preventDefault();
    const { data, errors } = toData(fields, values, adding);
    setLocalErrors(errors);
    if (Object.keys(errors).length === 0) onSubmit(data);
  };
  return (
    <form className="space-y-3" onSubmit={submit} data-testid={`${testIdPrefix}-form`}>
      {error && (!serverField || !shown.some((f) => f.name === serverField)) ? <ErrorBanner error={error} /> : null}
      {shown.map((f) => {
        const testId = `${testIdPrefix}-field-${f.name}`;
        const set = (v: FormValues[string]): void => setValues((old) => ({ ...old, [f.name]: v }));
        if (f.kind === 'roles') {
          const stored = row?.[f.name];
          const current = values[f.name];
          return (
            <RoleChoice
              key={f.name}
              legend={f.label}
              roles={Array.isArray(current) ? current : []}
              stored={Array.isArray(stored) ? stored.map(String) : null}
              error={localErrors[f.name] ?? errorFor(error, f.name)}
              onChange={set}
              testId={testId}
            />
          );
        }
        const type = typeof values.type === 'string' ? values.type : typeof row?.type === 'string' ? row.type : '';
        const input = <Input f={f} value={values[f.name] ?? ''} secret={isSecret(f, values)} set={set} testId={testId} type={type} />;
        return f.kind === 'checkbox' ? (
          <label key={f.name} className="flex items-center gap-2 text-sm">
            {input}
            {f.label}
          </label>
        ) : (
          <Field
            key={f.name}
            label={mustBeGiven(f, adding) ? `${f.label} *` : f.label}
            hint={fieldHint(f, adding)}
            error={localErrors[f.name] ?? errorFor(error, f.name)}
            testId={testId}
          >
            {input}
          </Field>
        );
      })}
      <FormButtons onCancel={onCancel} submitLabel={pending ? 'Saving…' : adding ? 'Create' : 'Save'} submitDisabled={pending} submitTestId={`${testIdPrefix}-submit`} />
    </form>
  );
}
