/** Task record filters, kept in the URL so a filtered view can be linked. */
import { TASK_ORIGINS } from '@contract/operations/calls';

export const ORIGINS = TASK_ORIGINS;
export const STATUSES = ['queued', 'running', 'success', 'failure', 'timeout', 'expired', 'skipped', 'cancelled'] as const;

export interface TaskFilters {
  id: string;
  funcId: string;
  origin: string;
  status: string;
  since: string;
  until: string;
}

export const FILTER_KEYS: (keyof TaskFilters)[] = ['id', 'funcId', 'origin', 'status', 'since', 'until'];

export function filtersFrom(params: URLSearchParams): TaskFilters {
  const get = (k: string): string => params.get(k) ?? '';
  return { id: get('id'), funcId: get('funcId'), origin: get('origin'), status: get('status'), since: get('since'), until: get('until') };
}

/** `datetime-local` text (local time) → epoch ms, or undefined. */
function ms(text: string): number | undefined {
  if (!text) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * `until` includes the whole minute (or second) it names: the picker gives `…T10:05`, and a task
 * triggered at 10:05:30 is "until 10:05" (the server compares with <=).
 */
function untilMs(text: string): number | undefined {
  const t = ms(text);
  if (t === undefined) return undefined;
  if (/T\d{2}:\d{2}$/.test(text)) return t + 59_999;
  if (/T\d{2}:\d{2}:\d{2}$/.test(text)) return t + 999;
  return t;
}

/** Rows a page of the records table holds. */
export const PAGE_SIZE = 100;

/** The page of the records shown (`page` in the URL, 1 when absent or not a page number). */
export function pageFrom(params: URLSearchParams): number {
  const n = Number(params.get('page'));
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

/**
 * What the pager says: the rows shown ("Tasks 101–200"), and whether there may be more. The server
 * answers no total (a page coming back full is the sign more follow, as DataFlux Func's pager).
 */
export function pageSummary(page: number, rows: number): { text: string; hasNext: boolean } {
  const first = (page - 1) * PAGE_SIZE + 1;
  const hasNext = rows >= PAGE_SIZE;
  if (rows === 0) return { text: page > 1 ? `No tasks on page ${page}` : 'No tasks', hasNext };
  return { text: `Tasks ${first.toLocaleString('en-US')}–${(first + rows - 1).toLocaleString('en-US')}${hasNext ? ', more on the next pages' : ''}`, hasNext };
}

export function toQuery(
  f: TaskFilters,
  page = 1,
): { id?: string; funcId?: string; origin?: string; status?: string; since?: number; until?: number; pageSize: number; pageNumber?: number } {
  return {
    ...(f.id ? { id: f.id } : {}),
    ...(f.funcId ? { funcId: f.funcId } : {}),
    ...(f.origin ? { origin: f.origin } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(ms(f.since) !== undefined ? { since: ms(f.since) } : {}),
    ...(untilMs(f.until) !== undefined ? { until: untilMs(f.until) } : {}),
    pageSize: PAGE_SIZE,
    ...(page > 1 ? { pageNumber: page } : {}),
  };
}
