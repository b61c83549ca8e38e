/** DFF.STORE: scoped key-value rows with optional expiry (an expired row reads as absent). */
import { sql } from 'kysely';
import type { SqlBool } from 'kysely';
import { globMatcher } from '../../domain/glob.js';
import type { FuncStoreEntry, FuncStoreOps } from '../../domain/ports/store.js';
import { affected } from './store-context.js';
import type { StoreContext } from './store-context.js';

const TABLE = 'func_store';

/** A LIKE pattern matching `text` anywhere (escape character `!`). */
const containing = (text: string): string => `%${text.replace(/[!%_]/g, '!$&')}%`;

const entryOf = (r: Record<string, unknown>): FuncStoreEntry => ({
  scope: String(r.scope),
  key: String(r.key),
  expireAt: r.expireAt === null || r.expireAt === undefined ? null : Number(r.expireAt),
  dataSize: Number(r.dataSize),
  createTime: Number(r.createTime),
  updateTime: Number(r.updateTime),
});

/** The same pattern as a LIKE pattern (escape character `!`, valid on both dialects). */
export function globToLike(pattern: string): string {
  return pattern.replace(/[!%_]/g, '!$&').replace(/\*/g, '%');
}

export function createFuncStoreOps(ctx: StoreContext): FuncStoreOps {
  const { db, dialect } = ctx;

  const size = dialect === 'mysql' ? sql<number>`octet_length(${sql.ref('valueJSON')})` : sql<number>`length(cast(${sql.ref('valueJSON')} as blob))`;
  const columns = ['scope', 'key', 'expireAt', 'createTime', 'updateTime'] as const;
  const like = (column: string, text: string) => sql<SqlBool>`${sql.ref(column)} like ${containing(text)} escape '!'`;

  const live = (now: number) => sql<SqlBool>`(${sql.ref('expireAt')} is null or ${sql.ref('expireAt')} > ${now})`;

  return {
    async get(scope, key, now): Promise<unknown> {
      const row = await db.selectFrom(TABLE).select('valueJSON').where('scope', '=', scope).where('key', '=', key).where(live(now)).executeTakeFirst();
      return row === undefined ? undefined : (JSON.parse(String(row.valueJSON)) as unknown);
    },

    async set(scope, key, value, expireAt, notExists, now): Promise<boolean> {
      const valueJSON = JSON.stringify(value) ?? 'null';
      const row = { scope, key, valueJSON, expireAt, createTime: now, updateTime: now };
      if (notExists) {
        // An expired row counts as absent: drop it, then insert unless a live row is there.
        await db.deleteFrom(TABLE).where('scope', '=', scope).where('key', '=', key).where('expireAt', 'is not', null).where('expireAt', '<=', now).execute();
        const result = await db.insertInto(TABLE).ignore().values(row).executeTakeFirst();
        return affected(result.numInsertedOrUpdatedRows) > 0;
      }
      const changes = { valueJSON, expireAt, updateTime: now };
      const insert = db.insertInto(TABLE).values(row);
      await (dialect === 'mysql' ? insert.onDuplicateKeyUpdate(changes) : insert.onConflict((oc) => oc.columns(['scope', 'key']).doUpdateSet(changes))).execute();
      return true;
    },

    async delete(scope, key): Promise<boolean> {
      const result = await db.deleteFrom(TABLE).where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
      return affected(result.numDeletedRows) > 0;
    },

    async keys(scope, pattern, now): Promise<string[]> {
      let query = db.selectFrom(TABLE).select('key').where('scope', '=', scope).where(live(now));
      if (pattern !== null && pattern !== '*') {
        // LIKE narrows the scan (case-insensitive on SQLite); the glob decides exactly.
        query = query.where(sql<SqlBool>`${sql.ref('key')} like ${globToLike(pattern)} escape '!'`);
      }
      const keys = (await query.orderBy('key').execute()).map((r) => String(r.key));
      if (pattern === null || pattern === '*') return keys;
      const matches = globMatcher(pattern);
      return keys.filter((k) => matches(k));
    },

    async browse(filter, page): Promise<FuncStoreEntry[]> {
      let query = db
        .selectFrom(TABLE)
        .select([...columns, size.as('dataSize')])
        .orderBy('updateTime', 'desc')
        .orderBy('scope')
        .orderBy('key');
      if (filter.scope) query = query.where(like('scope', filter.scope));
      if (filter.key) query = query.where(like('key', filter.key));
      const search = filter.search;
      if (search) query = query.where((eb) => eb.or([like('scope', search), like('key', search)]));
      const rows = await query.limit(page.limit).offset(page.offset).execute();
      return rows.map(entryOf);
    },

    async entry(scope, key): Promise<(FuncStoreEntry & { value: unknown }) | undefined> {
      const row = await db
        .selectFrom(TABLE)
        .select([...columns, 'valueJSON', size.as('dataSize')])
        .where('scope', '=', scope)
        .where('key', '=', key)
        .executeTakeFirst();
      return row === undefined ? undefined : { ...entryOf(row), value: JSON.parse(String(row.valueJSON)) as unknown };
    },
  };
}
