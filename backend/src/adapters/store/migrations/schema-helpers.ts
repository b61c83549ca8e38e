/** Column types and table options shared by migrations; the only place where the two dialects differ. */
import { sql } from 'kysely';
import type { ColumnDataType, CreateTableBuilder, Kysely, RawBuilder } from 'kysely';
import type { Dialect } from '../store-context.js';

export type ColumnType = ColumnDataType | RawBuilder<unknown>;

export interface ColumnTypes {
  /** Ids and other indexed strings (MySQL cannot index or key a TEXT column). */
  readonly id: ColumnType;
  /** Short indexed strings: status, origin, md5. */
  readonly short: ColumnType;
  /** Small free text (titles, notes): TEXT on both (64 KiB on MySQL). */
  readonly text: ColumnType;
  /** Code, logs, JSON: TEXT on SQLite, LONGTEXT on MySQL. */
  readonly big: ColumnType;
  /** Epoch milliseconds. */
  readonly time: ColumnType;
  readonly int: ColumnType;
  /** 0/1. */
  readonly bool: ColumnType;
  readonly real: ColumnType;
}

export function columnTypes(dialect: Dialect): ColumnTypes {
  return {
    id: 'varchar(256)',
    short: 'varchar(64)',
    text: 'text',
    big: dialect === 'mysql' ? sql`longtext` : 'text',
    time: 'bigint',
    int: 'integer',
    bool: 'integer',
    real: 'double precision',
  };
}

/**
 * `create table` with the dialect's table options. MySQL tables are utf8mb4 with a binary collation,
 * so that comparisons, unique keys and ordering of strings behave as on SQLite (case-sensitive).
 */
export function createTable(db: Kysely<unknown>, dialect: Dialect, name: string): CreateTableBuilder<string> {
  const builder = db.schema.createTable(name);
  return dialect === 'mysql' ? builder.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin`) : builder;
}
