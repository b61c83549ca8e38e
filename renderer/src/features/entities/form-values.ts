/** Form text ↔ request data, with local validation (JSON, required). */
import type { FieldSpec, Row } from './entity-types';

export type FormValues = Record<string, string | boolean | string[]>;

export function initialValues(fields: FieldSpec[], row: Row | null): FormValues {
  const out: FormValues = {};
  for (const f of fields) {
    const v = row?.[f.name];
    if (f.kind === 'checkbox') out[f.name] = v === true;
    else if (f.kind === 'roles') out[f.name] = Array.isArray(v) ? v.map(String) : ['user'];
    else if (f.kind === 'json') out[f.name] = v === undefined || v === null ? (f.initial ?? '{}') : JSON.stringify(v, null, 2);
    else if (f.kind === 'password') out[f.name] = '';
    else out[f.name] = v === undefined || v === null ? (row ? '' : (f.initial ?? '')) : typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

export function toData(fields: FieldSpec[], values: FormValues, adding: boolean): { data: Row; errors: Record<string, string> } {
  const data: Row = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    if (f.addOnly && !adding) continue;
    const v = values[f.name];
    if (f.kind === 'checkbox') data[f.name] = v === true;
    else if (f.kind === 'roles') data[f.name] = v;
    else if (typeof v === 'string') {
      if (v.trim() === '') {
        if (f.required && adding) errors[f.name] = `${f.label} is required`;
        continue;
      }
      if (f.kind === 'json') {
        try {
          data[f.name] = JSON.parse(v) as unknown;
        } catch (err) {
          errors[f.name] = `Not valid JSON: ${err instanceof Error ? err.message : ''}`;
        }
      } else data[f.name] = v;
    }
  }
  return { data, errors };
}
