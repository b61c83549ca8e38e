/**
 * Form text ↔ request data, with local validation (JSON, required). When editing, an emptied field
 * clears the stored value (null), is refused when required, and is left out (kept) for a password or
 * a field marked `keepWhenEmpty`; an emptied JSON field sends its default (`initial`).
 */
import { THROTTLING_RULES } from '@contract/operations/entities';
import type { FieldSpec, Row } from './entity-types';
import { NEW_USER_ROLES } from './role-choice';

/** Text per input; a list of roles; a throttling field's limit text per rule. */
export type FormValues = Record<string, string | boolean | string[] | Record<string, string>>;

const pad = (n: number): string => String(n).padStart(2, '0');

/** Epoch ms → `datetime-local` text in the browser's time zone. */
export function localDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A stored throttling object → the text of each rule's limit (empty: no limit). */
function throttlingText(v: unknown): Record<string, string> {
  const stored = v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  return Object.fromEntries(THROTTLING_RULES.map((r) => [r, typeof stored[r] === 'number' ? String(stored[r]) : '']));
}

/** The filled rules as whole numbers ≥ 1, or the first rule that is not one. */
function throttlingData(text: Record<string, string>): { value: Record<string, number> } | { error: string } {
  const value: Record<string, number> = {};
  for (const r of THROTTLING_RULES) {
    const t = (text[r] ?? '').trim();
    if (t === '') continue;
    if (!/^\d+$/.test(t) || Number(t) < 1) return { error: `${r}: a whole number of calls, at least 1` };
    value[r] = Number(t);
  }
  return { value };
}

/** What a filled text field sends, or why it cannot (number, date and time, tags, JSON). */
function parsed(f: FieldSpec, text: string): { value: unknown } | { error: string } {
  switch (f.kind) {
    case 'json':
    case 'apiAuthConfig':
      try {
        return { value: JSON.parse(text) as unknown };
      } catch (err) {
        return { error: `Not valid JSON: ${err instanceof Error ? err.message : ''}` };
      }
    case 'number':
      return /^\s*\d+\s*$/.test(text) ? { value: Number(text) } : { error: 'A whole number' };
    case 'datetime': {
      const ms = Date.parse(text);
      return Number.isNaN(ms) ? { error: 'A date and time' } : { value: ms };
    }
    case 'tags':
      return {
        value: text
          .split(',')
          .map((t) => t.trim())
          .filter((t) => t !== ''),
      };
    default:
      return { value: text };
  }
}

export function initialValues(fields: FieldSpec[], row: Row | null): FormValues {
  const out: FormValues = {};
  for (const f of fields) {
    const v = row?.[f.name];
    if (f.kind === 'checkbox') out[f.name] = v === true;
    else if (f.kind === 'roles') out[f.name] = Array.isArray(v) ? v.map(String) : [...NEW_USER_ROLES];
    else if (f.kind === 'json' || f.kind === 'apiAuthConfig') out[f.name] = v === undefined || v === null ? (f.initial ?? '{}') : JSON.stringify(v, null, 2);
    else if (f.kind === 'throttling') out[f.name] = throttlingText(v);
    else if (f.kind === 'datetime') out[f.name] = typeof v === 'number' ? localDateTime(v) : '';
    else if (f.kind === 'tags') out[f.name] = Array.isArray(v) ? v.join(', ') : '';
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
    else if (f.kind === 'throttling' && typeof v === 'object' && !Array.isArray(v)) {
      const r = throttlingData(v);
      if ('error' in r) errors[f.name] = r.error;
      // No rule filled: no throttling (editing clears the stored rules).
      else if (Object.keys(r.value).length > 0) data[f.name] = r.value;
      else if (!adding) data[f.name] = null;
    } else if (typeof v === 'string') {
      const text = v.trim() === '' && (f.kind === 'json' || f.kind === 'apiAuthConfig') && f.initial !== undefined ? f.initial : v;
      if (text.trim() === '') {
        const keep = keptWhenEmpty(f, adding);
        if (mustBeGiven(f, adding)) errors[f.name] = `${f.label} is required`;
        // Editing: an emptied optional field clears the stored value (a select or JSON has no empty value to send).
        else if (!adding && !keep && f.kind !== 'select' && f.kind !== 'json') data[f.name] = null;
        continue;
      }
      const r = parsed(f, text);
      if ('error' in r) errors[f.name] = r.error;
      else data[f.name] = r.value;
    }
  }
  return { data, errors };
}
