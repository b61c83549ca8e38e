/** The generic EntityRepo over one table described by a TableSpec. */
import type { EntityRepo, ListOptions, RowFilter } from '../../domain/ports/store.js';
import { DuplicateIdError, DuplicateValueError } from '../../domain/ports/store.js';
import { duplicateKeyColumn, isDuplicateKey, isDuplicatePrimaryKey } from './db-errors.js';
import { decodeRow, decodeRows, encodePatch, encodeRow } from './row-codec.js';
import { filterConditions } from './row-filter.js';
import { affected, pageBounds } from './store-context.js';
import type { Db } from './store-context.js';
import type { TableSpec } from './tables.js';

export function createEntityRepo<Row extends { id: string }>(db: Db, spec: TableSpec<Row>): EntityRepo<Row> {
  const { table } = spec;
  const hasCreateTime = spec.columns.includes('createTime');

  /** A unique column other than the id (users.username) already holding `values`' value: DuplicateValueError. */
  const takenValue = (err: unknown, values: Record<string, unknown>): DuplicateValueError | undefined => {
    const column = duplicateKeyColumn(err, table, spec.columns);
    return column === undefined ? undefined : new DuplicateValueError(spec.entity, column, String(values[column]));
  };

  const get = async (id: string): Promise<Row | undefined> => {
    const row = await db.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : decodeRow(spec, row);
  };

  return {
    async list(filter?: RowFilter<Row>, options?: ListOptions): Promise<Row[]> {
      let query = db.selectFrom(table).selectAll();
      if (filter !== undefined) {
        query = query.where((eb) => eb.and(filterConditions(eb, spec, filter)));
      }
      if (hasCreateTime) query = query.orderBy('createTime');
      query = query.orderBy('id');
      const { limit, offset } = pageBounds(options);
      if (limit !== undefined) query = query.limit(limit);
      if (offset !== undefined) query = query.offset(offset);
      return decodeRows(spec, await query.execute());
    },

    get,

    async insert(row: Row): Promise<void> {
      try {
        await db.insertInto(table).values(encodeRow(spec, row)).execute();
      } catch (err) {
        // SQLite may report another unique index (users.username) first when the id is taken too.
        if (isDuplicatePrimaryKey(err) || (isDuplicateKey(err) && (await get(row.id)) !== undefined)) {
          throw new DuplicateIdError(spec.entity, row.id);
        }
        throw takenValue(err, row) ?? err;
      }
    },

    async update(id: string, patch: Partial<Omit<Row, 'id'>>): Promise<boolean> {
      const values = encodePatch(spec, patch, id);
      if (Object.keys(values).length === 0) return (await get(id)) !== undefined;
      const result = await db
        .updateTable(table)
        .set(values)
        .where('id', '=', id)
        .executeTakeFirst()
        .catch((err: unknown) => {
          throw takenValue(err, patch) ?? err;
        });
      // mysql2 connects with FOUND_ROWS: matched rows count even when no value changed.
      return affected(result.numUpdatedRows) > 0;
    },

    async delete(id: string): Promise<boolean> {
      const result = await db.deleteFrom(table).where('id', '=', id).executeTakeFirst();
      return affected(result.numDeletedRows) > 0;
    },
  };
}
