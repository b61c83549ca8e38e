/** Operation record filters, kept in the URL like the task records' (a filtered view can be linked). */
import type { InputOf } from '@contract/client/index';

export const OPERATION_FILTER_KEYS = ['username', 'operationId', 'reqMethod', 'outcome', 'since', 'until'] as const;
export type OperationFilters = Record<(typeof OPERATION_FILTER_KEYS)[number], string>;

export function operationFiltersFrom(params: URLSearchParams): OperationFilters {
  return Object.fromEntries(OPERATION_FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])) as OperationFilters;
}

/** `datetime-local` text (local time) → epoch ms; `until` takes in the whole minute (or second) it names. */
export function localTimeMs(text: string, end = false): number | undefined {
  if (!text) return undefined;
  const t = Date.parse(text);
  if (Number.isNaN(t)) return undefined;
  if (!end) return t;
  if (/T\d{2}:\d{2}$/.test(text)) return t + 59_999;
  if (/T\d{2}:\d{2}:\d{2}$/.test(text)) return t + 999;
  return t;
}

/** Comma lists, trimmed, empty parts dropped (the server splits on commas too). */
function list(text: string): string | undefined {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return parts.length ? parts.join(',') : undefined;
}

/** The query of `listOperationRecords`. `outcome` is kept in the console: the server filters one status code, not "failed". */
export function operationQuery(f: OperationFilters, pageSize = 100): NonNullable<InputOf<'listOperationRecords'>['query']> {
  const since = localTimeMs(f.since);
  const until = localTimeMs(f.until, true);
  const username = list(f.username);
  const operationId = list(f.operationId);
  const reqMethod = list(f.reqMethod.toUpperCase());
  return {
    ...(username ? { username } : {}),
    ...(operationId ? { operationId } : {}),
    ...(reqMethod ? { reqMethod } : {}),
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
    pageSize,
  };
}

/** Whether a record passes the outcome filter ('' any, 'ok', 'failed'). */
export function outcomeMatches(outcome: string, ok: boolean): boolean {
  return outcome === '' || (outcome === 'ok') === ok;
}
