/** Row filters (`RowFilter`) as Kysely conditions. */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { encodeValue } from './row-codec.js';
import type { LooseDb } from './store-context.js';
import type { TableSpec } from './tables.js';
import type { AnyContains } from '../../domain/ports/store.js';

export type Eb = ExpressionBuilder<LooseDb, string>;

/** `text` inside a LIKE pattern, `!` escaping LIKE's own characters: use with `escape '!'` (SQLite has no default escape). */
export const likeLiteral = (text: string): string => text.replace(/[!%_]/g, (c) => `!${c}`);

/**
 * `column` holds `text`, whatever the case: both sides lowered by the database, so they fold alike
 * (SQLite folds ASCII only; MySQL's binary collation would otherwise compare case-sensitively).
 */
const containsCondition = (column: string, text: string): Expression<SqlBool> => sql<SqlBool>`lower(${sql.ref(column)}) like lower(${`%${likeLiteral(text)}%`}) escape '!'`;

/**
 * One of `columns` holds `text`, whatever the case (DataFlux Func's `_fuzzySearch`: its `LIKE` ORed
 * over the fields a list names). A JSON column is searched as its stored text, a number as its
 * digits. Empty text (or no columns) is no condition: undefined.
 */
export function anyContainsCondition(spec: TableSpec, search: AnyContains<string> | undefined): Expression<SqlBool> | undefined {
  if (search === undefined || search.text === '' || search.columns.length === 0) return undefined;
  for (const column of search.columns) if (!spec.columns.includes(column)) throw new Error(`${spec.entity}: unknown field ${column} in a text search`);
  const conditions = search.columns.map((column) => containsCondition(column, search.text));
  return sql<SqlBool>`(${sql.join(conditions, sql` or `)})`;
}

const isContains = (v: unknown): v is { contains: string } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { contains?: unknown }).contains === 'string';

/**
 * One condition per field: a value means `=` (`is null` for null), an array means "one of", `{contains}` a
 * case-blind search (both sides lowered by the database, so they fold alike: SQLite folds ASCII only).
 */
export function filterConditions(eb: Eb, spec: TableSpec, filter: object): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  for (const [field, raw] of Object.entries(filter)) {
    if (raw === undefined) continue;
    if (!spec.columns.includes(field)) throw new Error(`${spec.entity}: unknown field ${field} in filter`);
    if (spec.json.has(field)) throw new Error(`${spec.entity}: JSON field ${field} cannot be filtered on`);
    if (isContains(raw)) {
      conditions.push(containsCondition(field, raw.contains));
      continue;
    }
    if (!Array.isArray(raw)) {
      conditions.push(raw === null ? eb(field, 'is', null) : eb(field, '=', encodeValue(spec, field, raw)));
      continue;
    }
    const values = (raw as unknown[]).filter((v) => v !== null && v !== undefined).map((v) => encodeValue(spec, field, v));
    const oneOf: Expression<SqlBool>[] = [];
    if (values.length > 0) oneOf.push(eb(field, 'in', values));
    if (values.length < raw.length) oneOf.push(eb(field, 'is', null));
    // An empty array matches nothing.
    conditions.push(oneOf.length === 0 ? eb.lit(false) : eb.or(oneOf));
  }
  return conditions;
}
