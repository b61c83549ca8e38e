/**
 * What the migrations share: column types and table options (the only place where the two
 * dialects differ), and the steps a migration is written in (tables, indexes, added columns).
 */
import { sql } from 'kysely';
import type { ColumnDataType, ColumnDefinitionBuilder, CreateTableBuilder, Kysely, Migration, RawBuilder } from 'kysely';
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

function columnTypes(dialect: Dialect): ColumnTypes {
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
function createTable(db: Kysely<unknown>, dialect: Dialect, name: string): CreateTableBuilder<string> {
  const builder = db.schema.createTable(name);
  return dialect === 'mysql' ? builder.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin`) : builder;
}

/** [name, type, constraint]: 'pk' the single-column primary key, 'seq' an auto-incremented key, 'unique' not null and unique. */
export type ColumnDef = readonly [string, ColumnType, 'pk' | 'seq' | 'unique' | 'notNull' | 'null'];

const constrained = (col: ColumnDefinitionBuilder, constraint: ColumnDef[2]): ColumnDefinitionBuilder => {
  switch (constraint) {
    case 'pk':
      return col.primaryKey();
    case 'seq':
      return col.primaryKey().autoIncrement();
    case 'unique':
      return col.notNull().unique();
    case 'notNull':
      return col.notNull();
    case 'null':
      return col;
  }
};

/** The steps of a migration, for one dialect; each runs one statement (addColumns: one a column), in the order called. */
export interface Schema {
  readonly t: ColumnTypes;
  /** createTime and updateTime, not null. */
  readonly times: readonly ColumnDef[];
  /** `create table` with the dialect's options; `primaryKey`: a composite key, as a named constraint. */
  readonly table: (name: string, columns: readonly ColumnDef[], primaryKey?: { name: string; columns: string[] }) => Promise<void>;
  readonly index: (name: string, table: string, columns: string[], unique?: boolean) => Promise<void>;
  /** One `alter table … add column` a column. */
  readonly addColumns: (table: string, columns: readonly ColumnDef[]) => Promise<void>;
}

/** A migration whose `up` runs the steps `up` takes for `dialect`. */
export function migration(dialect: Dialect, up: (schema: Schema) => Promise<void>): Migration {
  const t = columnTypes(dialect);
  return {
    up: (db: Kysely<unknown>) =>
      up({
        t,
        times: [
          ['createTime', t.time, 'notNull'],
          ['updateTime', t.time, 'notNull'],
        ],
        table: async (name, columns, primaryKey) => {
          let builder = createTable(db, dialect, name) as CreateTableBuilder<string, string>;
          for (const [column, type, constraint] of columns) builder = builder.addColumn(column, type, (col) => constrained(col, constraint));
          await (primaryKey ? builder.addPrimaryKeyConstraint(primaryKey.name, primaryKey.columns) : builder).execute();
        },
        index: async (name, table, columns, unique = false) => {
          const builder = db.schema.createIndex(name).on(table).columns(columns);
          await (unique ? builder.unique() : builder).execute();
        },
        addColumns: async (table, columns) => {
          for (const [column, type, constraint] of columns) {
            await db.schema
              .alterTable(table)
              .addColumn(column, type, (col) => constrained(col, constraint))
              .execute();
          }
        },
      }),
  };
}
