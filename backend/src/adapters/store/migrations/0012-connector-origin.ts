/**
 * 0012: the tasks a connector's subscription runs take DataFlux Func's origin, `connector` (they
 * were recorded as `subscription`), so the records kept from before list under the same origin as
 * the new ones. The update is idempotent: a second process applying it on SQLite changes nothing
 * (see migrateToLatest). Frozen once applied.
 */
import { sql, type Kysely, type Migration } from 'kysely';

export function connectorOriginData(): Migration {
  return {
    up: async (db: Kysely<unknown>) => {
      await sql`UPDATE task_records SET origin = 'connector' WHERE origin = 'subscription'`.execute(db);
    },
  };
}
