/** Encoding between port rows (parsed JSON, booleans) and stored rows (JSON text, 0/1). */
import type { TableSpec } from './tables.js';

export type StoredRow = Record<string, unknown>;

/** One field's stored value. `undefined` becomes NULL (the drivers reject undefined). */
export function encodeValue(spec: TableSpec, column: string, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (spec.json.has(column)) return JSON.stringify(value) ?? null;
  if (spec.bool.has(column)) return value === true || value === 1 ? 1 : 0;
  return value;
}

/** Every column of the table, from a full row (missing fields become NULL). */
export function encodeRow(spec: TableSpec, row: object): StoredRow {
  const source = row as Record<string, unknown>;
  const out: StoredRow = {};
  for (const column of spec.columns) out[column] = encodeValue(spec, column, source[column]);
  return out;
}

/** Every column of the table as positional parameters, in `spec.columns` order. */
export function encodeRowValues(spec: TableSpec, row: object): unknown[] {
  const source = row as Record<string, unknown>;
  return spec.columns.map((column) => encodeValue(spec, column, source[column]));
}

/**
 * The defined fields of a patch. Unknown fields throw; `id` is dropped when it is the row's own id
 * (callers often spread a whole row) and throws otherwise (ids do not change).
 */
export function encodePatch(spec: TableSpec, patch: object, id?: string): StoredRow {
  const out: StoredRow = {};
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (field === 'id' && id !== undefined) {
      if (value === id) continue;
      throw new Error(`${spec.entity}: the id of ${id} cannot be changed`);
    }
    if (!spec.columns.includes(field)) throw new Error(`${spec.entity}: unknown field ${field}`);
    out[field] = encodeValue(spec, field, value);
  }
  return out;
}

function parseJson(spec: TableSpec, column: string, text: unknown): unknown {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${spec.table}.${column} holds invalid JSON`);
  }
}

/** Decodes a stored row in place and returns it typed as the port row. */
export function decodeRow<Row>(spec: TableSpec<Row>, stored: StoredRow): Row {
  for (const column of spec.json) {
    const v = stored[column];
    if (v !== null && v !== undefined) stored[column] = parseJson(spec, column, v);
  }
  for (const column of spec.bool) {
    const v = stored[column];
    if (v !== null && v !== undefined) stored[column] = v === 1 || v === '1' || v === true || v === 1n;
  }
  return stored as Row;
}

export function decodeRows<Row>(spec: TableSpec<Row>, stored: StoredRow[]): Row[] {
  return stored.map((r) => decodeRow(spec, r));
}
