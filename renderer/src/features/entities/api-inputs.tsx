/** Inputs of the API forms: the API auth to pick, throttling per rule, an API auth's configuration. */
import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { THROTTLING_RULES } from '@contract/operations/entities';
import { useApi } from '../../app/session';
import { Button } from '../../ui/Button';
import { Select, TextInput } from '../../ui/Field';
import { apiAuthConfigRows, configFromRows, type ConfigRow } from './api-auth-config';

/** The API auth of an API, from the API auth list ("None": anyone may call it). */
export function ApiAuthSelect({ value, onChange, testId }: { value: string; onChange: (v: string) => void; testId: string }): ReactNode {
  const api = useApi();
  const auths = useQuery({ queryKey: ['apiAuth'], queryFn: () => api.listApiAuth({}) });
  return (
    <Select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      <option value="">{auths.isPending ? 'Loading API auth…' : 'None (no credentials asked)'}</option>
      {(auths.data ?? []).map((a) => (
        <option key={a.id} value={a.id}>
          {a.title ? `${a.title} (${a.id}, ${a.type})` : `${a.id} (${a.type})`}
        </option>
      ))}
    </Select>
  );
}

const RULE_LABELS: Record<(typeof THROTTLING_RULES)[number], string> = {
  bySecond: 'per second',
  byMinute: 'per minute',
  byHour: 'per hour',
  byDay: 'per day',
  byMonth: 'per month',
  byYear: 'per year',
};

/** The most calls per window, one input per rule (named as `throttlingJSON` names them); empty: no limit. */
export function ThrottlingInputs({ value, onChange, testId }: { value: Record<string, string>; onChange: (v: Record<string, string>) => void; testId: string }): ReactNode {
  return (
    <span className="grid grid-cols-3 gap-2" data-testid={testId}>
      {THROTTLING_RULES.map((r) => (
        <span key={r} className="block">
          <span className="block text-[11px] text-zinc-500">
            {RULE_LABELS[r]} <span className="font-mono">({r})</span>
          </span>
          <TextInput
            inputMode="numeric"
            value={value[r] ?? ''}
            placeholder="no limit"
            onChange={(e) => onChange({ ...value, [r]: e.target.value })}
            data-testid={`${testId}-${r}`}
          />
        </span>
      ))}
    </span>
  );
}

/** One row's inputs per type: a field to match (where, name, value) or a user (username, password). */
function ConfigRowInputs({ type, row, set, testId }: { type: string; row: ConfigRow; set: (r: ConfigRow) => void; testId: string }): ReactNode {
  const text = (key: 'key' | 'secret', placeholder: string, suffix: string): ReactNode => (
    <span className="min-w-0 flex-1">
      <TextInput placeholder={placeholder} autoComplete="off" value={row[key]} onChange={(e) => set({ ...row, [key]: e.target.value })} data-testid={`${testId}-${suffix}`} />
    </span>
  );
  if (type === 'fixedField')
    return (
      <>
        <span className="w-28 shrink-0">
          <Select value={row.location} onChange={(e) => set({ ...row, location: e.target.value })} options={['header', 'query', 'body']} data-testid={`${testId}-location`} />
        </span>
        {text('key', 'name (X-Api-Key)', 'name')}
        {text('secret', 'value', 'value')}
      </>
    );
  return (
    <>
      {text('key', 'username', 'username')}
      {text('secret', 'password', 'password')}
    </>
  );
}

/**
 * An API auth's configuration (`configJSON`) for its type, edited as rows and kept as JSON text:
 * fixedField the fields any one of which must match, httpBasic / httpDigest the users, func the
 * function deciding (its id).
 */
export function ApiAuthConfigInput({
  type,
  value,
  onChange,
  testId,
  funcSelect,
}: {
  type: string;
  value: string;
  onChange: (v: string) => void;
  testId: string;
  funcSelect: (funcId: string, set: (id: string) => void) => ReactNode;
}): ReactNode {
  const rows = apiAuthConfigRows(type, value);
  const set = (next: ConfigRow[] | string): void => onChange(configFromRows(type, next));
  if (type === 'func') return funcSelect(typeof rows === 'string' ? rows : '', (id) => set(id));
  const list = Array.isArray(rows) ? rows : [];
  return (
    <span className="block space-y-1.5" data-testid={testId}>
      {list.map((row, i) => (
        <span key={i} className="flex gap-1.5">
          <ConfigRowInputs type={type} row={row} set={(r) => set(list.map((x, j) => (j === i ? r : x)))} testId={`${testId}-${i}`} />
          <Button size="sm" variant="ghost" onClick={() => set(list.filter((_, j) => j !== i))} disabled={list.length === 1} data-testid={`${testId}-${i}-remove`}>
            Remove
          </Button>
        </span>
      ))}
      <Button size="sm" onClick={() => set([...list, { key: '', secret: '', location: 'header' }])} data-testid={`${testId}-add`}>
        {type === 'fixedField' ? 'Add a field' : 'Add a user'}
      </Button>
    </span>
  );
}
