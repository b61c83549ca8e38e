/**
 * DataFlux Func's field selection on the lists (and a few gets) its route.yaml marks
 * `fieldSelecting` (the contract's `fieldSelecting` operations): `?fields=id,title` answers only
 * those fields of each row, in that order; `?fields=-funcCallKwargsJSON,note` (or `-,a,b`) all
 * but those. Names a row does not have are ignored, as DataFlux Func's jsonPick / jsonKick ignore
 * them; no `fields` (or an empty one) answers the rows whole.
 */
import { z } from 'zod';
import { zodToApiError } from '../../../contract/errors.js';
import { commaArray } from '../../../contract/operations/admin.js';

export interface FieldSelection {
  /** Leave these out (`-a,b`), or answer only these. */
  drop: boolean;
  names: string[];
}

const fieldsQuery = z.object({ fields: commaArray.optional() }).loose();

/** What the query's `fields` selects; undefined when it selects nothing. A `fields` that is no text is a 400 naming `query.fields`. */
export function fieldSelectionOf(query: unknown): FieldSelection | undefined {
  const parsed = fieldsQuery.safeParse(query ?? {});
  if (!parsed.success) throw zodToApiError('query', parsed.error);
  const parts = parsed.data.fields ?? [];
  if (parts.length === 0) return undefined;
  const drop = parts[0]!.startsWith('-');
  const names = (drop ? [parts[0]!.slice(1).trim(), ...parts.slice(1)] : parts).filter((n) => n !== '');
  return { drop, names };
}

const isRow = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `dropped`: the names to leave out (`-a,b`), as a set; otherwise only `names`, in their order. */
function selectRow(row: Record<string, unknown>, names: readonly string[], dropped: ReadonlySet<string> | undefined): Record<string, unknown> {
  if (dropped) return Object.fromEntries(Object.entries(row).filter(([k]) => !dropped.has(k)));
  return Object.fromEntries(names.filter((n) => Object.hasOwn(row, n)).map((n) => [n, row[n]]));
}

/** An answer's data with the fields selected: each row of a list, or the one object. */
export function selectFields(data: unknown, s: FieldSelection): unknown {
  const dropped = s.drop ? new Set(s.names) : undefined; // once per answer, not per row and field
  if (Array.isArray(data)) return (data as unknown[]).map((row) => (isRow(row) ? selectRow(row, s.names, dropped) : row));
  return isRow(data) ? selectRow(data, s.names, dropped) : data;
}
