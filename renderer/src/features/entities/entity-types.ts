/** How the generic entity page is configured per entity. */
import type { ReactNode } from 'react';
import type { HttpFuncApi } from '@contract/client/index';
import type { Permission } from '@contract/permissions';

export type Row = Record<string, unknown>;

export interface EntityApi {
  list(): Promise<Row[]>;
  add(data: Row): Promise<Row>;
  modify(id: string, data: Row): Promise<unknown>;
  remove(id: string): Promise<unknown>;
}

export type FieldKind = 'text' | 'password' | 'textarea' | 'json' | 'select' | 'checkbox' | 'func' | 'roles';

export interface FieldSpec {
  name: string;
  label: string;
  kind: FieldKind;
  options?: readonly string[];
  required?: boolean;
  hint?: string;
  placeholder?: string;
  /** Shown when adding only (ids, usernames). */
  addOnly?: boolean;
  /** Default text when adding. */
  initial?: string;
  /** Editing: left empty keeps the stored value (not sent) instead of clearing it; password fields always do. */
  keepWhenEmpty?: boolean;
}

export interface ColumnSpec {
  label: string;
  render: (row: Row) => ReactNode;
  className?: string;
}

export interface RowAction {
  label: string;
  testId: string;
  run: (api: HttpFuncApi, row: Row) => Promise<string>;
}

export interface EntityConfig {
  path: string;
  title: string;
  singular: string;
  description: string;
  emptyHint: string;
  queryKey: string;
  api: (api: HttpFuncApi) => EntityApi;
  /** What adding, editing, deleting and row actions need (the add operation's, from the contract); without it the page is read-only. */
  write: Permission | null;
  /** A field of add's answer shown once in a dialog and never again (an access key's secret). */
  onceAfterAdd?: { field: string; label: string };
  columns: ColumnSpec[];
  fields: FieldSpec[];
  actions?: RowAction[];
  /** A toggle of `isDisabled` in the list. */
  toggleDisabled?: boolean;
  /** Extra panel per row (cron job triggers). */
  detail?: (row: Row) => ReactNode;
}
