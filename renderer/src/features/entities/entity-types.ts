/** How the generic entity page is configured per entity. */
import type { ReactNode } from 'react';
import type { HttpFuncApi } from '@contract/client/index';
import type { Permission } from '@contract/permissions';

/** Form data (the server validates it). */
export type Row = Record<string, unknown>;

/** What every entity row has (the contract types each entity's rows: EntityView). */
// A type, not an interface: a row is also form data (EntityForm reads its fields by name).
export type BaseRow = {
  id: string;
  isDisabled?: boolean;
};

export interface EntityApi<R extends BaseRow = BaseRow> {
  list(): Promise<R[]>;
  /** Answers the id and what the entity adds (an access key's secret). */
  add(data: Row): Promise<Row>;
  modify(id: string, data: Row): Promise<unknown>;
  remove(id: string): Promise<unknown>;
}

/**
 * - `number`: a whole number; `datetime`: a local date and time, sent as epoch ms;
 * - `tags`: comma-separated, sent as a list; `apiAuth`: one of the API auth list (none clears it);
 * - `throttling`: a limit per rule of `THROTTLING_RULES`, sent as an object of the filled ones;
 * - `apiAuthConfig`: the configuration of the API auth's type (`type` of the form or the row), edited as rows.
 */
export type FieldKind =
  'text' | 'password' | 'textarea' | 'json' | 'select' | 'checkbox' | 'func' | 'roles' | 'number' | 'datetime' | 'tags' | 'apiAuth' | 'throttling' | 'apiAuthConfig';

export interface FieldSpec {
  name: string;
  label: string;
  kind: FieldKind;
  options?: readonly string[];
  required?: boolean;
  hint?: string;
  /** Said only when editing (a keep-when-empty field's "leave empty to keep"), after `hint`. */
  editHint?: string;
  /** A secret (typed like a password, never filled from the row) while another field has this value. */
  secretWhen?: { field: string; equals: string };
  placeholder?: string;
  /** Shown when adding only (ids, usernames). */
  addOnly?: boolean;
  /** Default text when adding. */
  initial?: string;
  /** Editing: left empty keeps the stored value (not sent) instead of clearing it; password fields always do. */
  keepWhenEmpty?: boolean;
}

// Row callbacks are methods: an EntityConfig<SyncApiView> is then an EntityConfig (its callbacks get rows of its own list).
export interface ColumnSpec<R extends BaseRow = BaseRow> {
  label: string;
  render(row: R): ReactNode;
  className?: string;
}

export interface RowAction<R extends BaseRow = BaseRow> {
  label: string;
  testId: string;
  run(api: HttpFuncApi, row: R): Promise<string>;
}

/** One entity page, over the entity's row type. */
export interface EntityConfig<R extends BaseRow = BaseRow> {
  path: string;
  title: string;
  singular: string;
  description: string;
  emptyHint: string;
  queryKey: string;
  api: (api: HttpFuncApi) => EntityApi<R>;
  /** What adding, editing, deleting and row actions need (the add operation's, from the contract); without it the page is read-only. */
  write: Permission | null;
  /** A field of add's answer shown once in a dialog and never again (an access key's secret). */
  onceAfterAdd?: { field: string; label: string };
  columns: ColumnSpec<R>[];
  fields: FieldSpec[];
  actions?: RowAction<R>[];
  /** A toggle of `isDisabled` in the list. */
  toggleDisabled?: boolean;
  /** Extra panel per row (cron job triggers). */
  detail?(row: R): ReactNode;
  /** How a row is named in dialog titles (a user by its username); its id otherwise. */
  nameOf?(row: R): string;
  /** The list is read again this often (ms) while shown: its rows change by themselves (a cron job's next run). */
  refreshMs?: number;
}

/** An entity page typed by its rows, among the others. */
export const defineEntity = <R extends BaseRow>(config: EntityConfig<R>): EntityConfig => config;
