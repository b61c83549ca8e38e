/** A user's role: one of the roles, each with what it grants; a user stored with several keeps them until one is chosen. */
import type { ReactNode } from 'react';
import { ROLE_HINTS, ROLE_LABELS, ROLES } from '@contract/permissions';
import { choiceOf, KEEP, keepOffered, rolesOf, rolesText, type RoleChoiceValue } from './role-choice';

function Option({
  value,
  checked,
  label,
  hint,
  name,
  onChoose,
  testId,
}: {
  value: RoleChoiceValue;
  checked: boolean;
  label: string;
  hint: string;
  name: string;
  onChoose: (v: RoleChoiceValue) => void;
  testId: string;
}): ReactNode {
  return (
    <label
      className={`flex cursor-pointer items-start gap-2.5 rounded-md border px-3 py-1.5 ${
        checked ? 'border-indigo-400 bg-indigo-50 dark:border-indigo-500/70 dark:bg-indigo-950/40' : 'border-zinc-200 hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-900'
      }`}
    >
      <input type="radio" name={name} value={value} checked={checked} onChange={() => onChoose(value)} className="mt-0.5 accent-indigo-600" data-testid={testId} />
      <span className="min-w-0">
        <span className="block text-sm font-medium text-zinc-900 dark:text-zinc-100">{label}</span>
        <span className="block text-xs text-zinc-500 dark:text-zinc-400">{hint}</span>
      </span>
    </label>
  );
}

export function RoleChoice({
  legend,
  roles,
  stored,
  error,
  onChange,
  testId,
}: {
  legend: string;
  roles: readonly string[];
  /** The roles as stored (editing), null when adding. */
  stored: readonly string[] | null;
  error: string | null;
  onChange: (roles: string[]) => void;
  testId: string;
}): ReactNode {
  const chosen = choiceOf(roles);
  const choose = (v: RoleChoiceValue): void => onChange(rolesOf(v, stored));
  return (
    <fieldset className="space-y-1" data-testid={testId}>
      <legend className="mb-1 block text-xs font-medium text-zinc-600 dark:text-zinc-400">{legend}</legend>
      <div className="grid gap-1.5">
        {keepOffered(stored) ? (
          <Option
            value={KEEP}
            checked={chosen === KEEP}
            label={`Keep as stored: ${rolesText(stored)}`}
            hint="Roles add up (this user has what any of them grants); choosing one replaces them"
            name={testId}
            onChoose={choose}
            testId={`${testId}-${KEEP}`}
          />
        ) : null}
        {ROLES.map((r) => (
          <Option key={r} value={r} checked={chosen === r} label={ROLE_LABELS[r]} hint={ROLE_HINTS[r]} name={testId} onChoose={choose} testId={`${testId}-${r}`} />
        ))}
      </div>
      {error ? (
        <span className="block text-xs text-red-600 dark:text-red-400" data-testid={`${testId}-error`}>
          {error}
        </span>
      ) : null}
    </fieldset>
  );
}
