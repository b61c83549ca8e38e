/** Sign-in state: marks with an expiry (an expired mark reads as absent and is pruned). */
import type { AuthStateOps } from '../../domain/ports/store.js';
import { affected } from './store-context.js';
import type { Db } from './store-context.js';

const TABLE = 'auth_marks';

export function createAuthStateOps(db: Db): AuthStateOps {
  return {
    async mark(key, expireAt, now): Promise<boolean> {
      // An expired mark counts as absent: drop it, then insert unless a live one is there.
      await db.deleteFrom(TABLE).where('id', '=', key).where('expireAt', '<=', now).execute();
      const result = await db.insertInto(TABLE).ignore().values({ id: key, expireAt }).executeTakeFirst();
      return affected(result.numInsertedOrUpdatedRows) > 0;
    },

    async isMarked(key, now): Promise<boolean> {
      const row = await db.selectFrom(TABLE).select('id').where('id', '=', key).where('expireAt', '>', now).executeTakeFirst();
      return row !== undefined;
    },

    async prune(now): Promise<number> {
      const result = await db.deleteFrom(TABLE).where('expireAt', '<=', now).executeTakeFirst();
      return affected(result.numDeletedRows);
    },
  };
}
