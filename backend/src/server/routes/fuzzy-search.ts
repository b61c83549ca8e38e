/**
 * DataFlux Func's `_fuzzySearch` on the admin lists: a row is kept when one of the fields its
 * route.yaml names for the list (`fuzzySearch:`) holds the text, whatever its case (its SQL `LIKE`
 * ORed over those columns, case-blind under MySQL's collation). The admin lists are compared in
 * JavaScript, so on SQLite too and beyond ASCII; the record lists (task records, operation records,
 * publish history) in the store (`anyContains`: a case-blind LIKE, on SQLite for ASCII letters
 * only). A JSON field is searched as its JSON text, as DataFlux Func's `*JSON` columns are.
 * Secrets are not searched (an env variable's password, API auth configuration), where DataFlux
 * Func searches their stored ciphertext.
 */
import type { OperationRecordRow } from '../../domain/ports/admin-store.js';
import type { AnyContains, EntityName, FuncRow, ScriptPublishRow, TaskRecordRow } from '../../domain/ports/store.js';
import type { AppContext } from '../app-context.js';

/**
 * DataFlux Func's `like` (MySQL's case-blind collation): `text` holds `part` whatever the case of
 * either; no part, no condition. Not the store's `{contains}` (row-filter.ts, a LIKE): a fuzzy
 * search ORs columns, which a RowFilter (AND-ed conditions) cannot say.
 */
export const likeMatch = (text: string | null | undefined, part: string | undefined): boolean => part === undefined || (text ?? '').toLowerCase().includes(part.toLowerCase());

/** A field's value as text to search: JSON fields as their JSON text. */
const searchable = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));

interface FuzzyFields {
  /** The row's own columns (Func's names for DataFlux Func's). */
  own: readonly string[];
  /** Also the row's function's title, description and tags (`func.*` in DataFlux Func's list). */
  func?: boolean;
  /** Also the script set's id, title and description (a script's `sset.*`). */
  scriptSet?: boolean;
}

const API_FIELDS: FuzzyFields = { own: ['id', 'funcId', 'funcCallKwargsJSON', 'tagsJSON', 'note'], func: true };

/** What each list searches, from DataFlux Func's route.yaml (`originId`, which Func's rows do not carry, left out). */
const FUZZY_SEARCH_FIELDS: Partial<Record<EntityName, FuzzyFields>> = {
  users: { own: ['id', 'username', 'name', 'email', 'mobile'] },
  // DataFlux's `title` of an access key is Func's `name`.
  accessKeys: { own: ['id', 'name'] },
  scriptSets: { own: ['id', 'title', 'description', 'requirements'] },
  scripts: { own: ['id', 'title', 'description'], scriptSet: true },
  funcs: { own: ['id', 'title', 'description'] },
  connectors: { own: ['id', 'title', 'description'] },
  // The value of a non-password env variable only (below).
  envVariables: { own: ['id', 'title', 'description', 'valueTEXT'] },
  // Not configJSON (it holds the secrets); a func type's function is searched by its id.
  apiAuth: { own: ['id', 'title', 'note'] },
  syncApis: API_FIELDS,
  asyncApis: API_FIELDS,
  cronJobs: API_FIELDS,
  fileServices: { own: ['id', 'root'] },
  blueprints: { own: ['id', 'title'] },
};

type Row = Record<string, unknown>;

function ownTexts(entity: EntityName, row: Row, fields: FuzzyFields): (string | null)[] {
  const texts = fields.own.filter((f) => !(entity === 'envVariables' && f === 'valueTEXT' && row.autoTypeCasting === 'password')).map((f) => searchable(row[f]));
  if (entity === 'apiAuth' && row.type === 'func') texts.push(searchable((row.configJSON as Row | null)?.funcId));
  return texts;
}

/**
 * Keeps the rows `search` finds in `entity`'s list; null when there is nothing to search (no text,
 * or a list DataFlux Func does not search).
 */
export function fuzzySearchKeep<R>(ctx: AppContext, entity: EntityName, search: unknown): ((rows: R[]) => Promise<R[]>) | null {
  const fields = FUZZY_SEARCH_FIELDS[entity];
  if (!fields || typeof search !== 'string' || search === '') return null;
  return async (rows) => {
    const kept: R[] = [];
    for (const row of rows) {
      const r = row as Row;
      const texts = ownTexts(entity, r, fields);
      if (fields.func && typeof r.funcId === 'string') {
        const func: FuncRow | undefined = await ctx.catalog.func(r.funcId);
        if (func) texts.push(func.title, func.description, searchable(func.tagsJSON));
      }
      if (fields.scriptSet && typeof r.scriptSetId === 'string') {
        const set = await ctx.store.entity('scriptSets').get(r.scriptSetId);
        texts.push(r.scriptSetId, set?.title ?? null, set?.description ?? null);
      }
      if (texts.some((t) => t !== null && likeMatch(t, search))) kept.push(row);
    }
    return kept;
  };
}

/**
 * The record lists, searched by the store (large tables: one `LIKE` per column, ORed), over what
 * is stored: request bodies and queries as already masked. Func's names for DataFlux Func's fields.
 */
const RECORD_SEARCH_COLUMNS = {
  // The function task list's fields (both task record paths list the same records); the script
  // set's id is the start of the script's, `kwargsJSON` and the HTTP request are not searched.
  taskRecords: [
    'id',
    'rootTaskId',
    'scriptId',
    'funcId',
    'origin',
    'originId',
    'exceptionType',
    'exceptionTEXT',
    'tracebackTEXT',
    'printLogsTEXT',
    'returnValueJSON',
    'status',
  ] satisfies (keyof TaskRecordRow)[],
  // No response body is kept: a failed answer's reason stands for DataFlux Func's `respBodyJSON`.
  operationRecords: [
    'userId',
    'username',
    'clientId',
    'traceId',
    'reqMethod',
    'reqRoute',
    'reqQueryJSON',
    'reqParamsJSON',
    'reqBodyJSON',
    'respStatusCode',
    'respReason',
  ] satisfies (keyof OperationRecordRow)[],
  // DataFlux Func's `scriptCode_cache` is the published code.
  scriptPublishHistory: ['scriptId', 'code', 'note'] satisfies (keyof ScriptPublishRow)[],
} as const;

/** The store's search for a record list's `_fuzzySearch`; undefined when there is no text. */
export function recordSearch<L extends keyof typeof RECORD_SEARCH_COLUMNS>(
  list: L,
  search: string | undefined,
): AnyContains<(typeof RECORD_SEARCH_COLUMNS)[L][number]> | undefined {
  return search === undefined || search === '' ? undefined : { columns: RECORD_SEARCH_COLUMNS[list], text: search };
}
