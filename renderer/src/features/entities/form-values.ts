/**
 * Form text ↔ request data, with local validation (JSON, required). When editing, an emptied field
 * clears the stored value (null), is refused when required, and is left out (kept) for a password or
 * a field marked `keepWhenEmpty`; an emptied JSON field sends its default (`initial`).
 */
import type { FieldSpec, Row } from './entity-types';
import { NEW_USER_ROLES } from './role-choice';

export type FormValues = Record<string, string | boolean | string[]>;

export function initialValues(fields: FieldSpec[], row: Row | null): FormValues {
  const out: FormValues = {};
  for (const f of fields) {
    const v = row?.[f.name];
    if (f.kind === 'checkbox') out[f.name] = v === true;
    else if (f.kind === 'roles') out[f.name] = Array.isArray(v) ? v.map(String) : [...NEW_USER_ROLES];
    else if (f.kind === 'json') out[f.name] = v === undefined || v === null ? (f.initial ?? '{}') : JSON.stringify(v, null, 2);
    else if (f.kind === 'password' || (row !== null && f.secretWhen && row[f.secretWhen.field] === f.secretWhen.equals)) out[f.name] = '';
    else out[f.name] = v === undefined || v === null ? (row ? '' : (f.initial ?? '')) : typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

/** Whether the field holds a secret now (a password, or an env variable's value of type password): typed unseen. */
export const isSecret = (f: FieldSpec, values: FormValues): boolean => f.kind === 'password' || (f.secretWhen !== undefined && values[f.secretWhen.field] === f.secretWhen.equals);

/** The line under a field: its hint, and when editing what leaving it empty does (nonsense on a new item, where it is required). */
export function fieldHint(f: FieldSpec, adding: boolean): string | undefined {
  const parts = [f.hint, adding ? undefined : f.editHint].filter((p): p is string => p !== undefined && p !== '');
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** Editing: left empty, the stored value stays (a password, or a field marked keepWhenEmpty). */
export const keptWhenEmpty = (f: FieldSpec, adding: boolean): boolean => !adding && (f.kind === 'password' || f.keepWhenEmpty === true);

/** The field must be filled in (marked with *): required, and not one an edit may leave empty to keep. */
export const mustBeGiven = (f: FieldSpec, adding: boolean): boolean => f.required === true && !keptWhenEmpty(f, adding);

export function toData(fields: FieldSpec[], values: FormValues, adding: boolean): { data: Row; errors: Record<string, string> } {
  const data: Row = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    if (f.addOnly && !adding) continue;
    const v = values[f.name];
    if (f.kind === 'checkbox') data[f.name] = v === true;
    else if (f.kind === 'roles') data[f.name] = v;
    else if (typeof v === 'string') {
      const text = v.trim() === '' && f.kind === 'json' && f.initial !== undefined ? f.initial : v;
      if (text.trim() === '') {
        const keep = keptWhenEmpty(f, adding);
        if (mustBeGiven(f, adding)) errors[f.name] = `${f.label} is required`;
        // Editing: an emptied optional field clears the stored value (a select or JSON has no empty value to send).
        else if (!adding && !keep && f.kind !== 'select' && f.kind !== 'json') data[f.name] = null;
        continue;
      }
      if (f.kind === 'json') {
        try {
          data[f.name] = JSON.parse(text) as unknown;
        } catch (err) {
          errors[f.name] = `Not valid JSON: ${err instanceof Error ? err.message : ''}`;
        }
      } else data[f.name] = v;
    }
  }
  return { data, errors };
}
