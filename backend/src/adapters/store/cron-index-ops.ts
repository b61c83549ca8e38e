/** The beat's view of cron jobs: what is due, and recording run times. */
import type { CompiledQuery } from 'kysely';
import type { CronIndexOps, CronJobRow } from '../../domain/ports/store.js';
import { decodeRows } from './row-codec.js';
import type { Db } from './store-context.js';
import { ENTITY_TABLES } from './tables.js';

const SPEC = ENTITY_TABLES.cronJobs;
/** Ids in one `IN (…)` list (well under SQLite's and MySQL's placeholder limits). */
const IDS_PER_STATEMENT = 1000;

/**
 * The due() query: an index range scan on idx_cron_jobs_due (isDisabled, nextRunTime, id),
 * already in the wanted order, so its cost depends on `limit`, not on the number of jobs.
 */
function dueQuery(db: Db, now: number, limit: number) {
  return db.selectFrom(SPEC.table).selectAll().where('isDisabled', '=', 0).where('nextRunTime', '<=', now).orderBy('isDisabled').orderBy('nextRunTime').orderBy('id').limit(limit);
}

/** The SQL of due(), for checking its plan (EXPLAIN). */
export function compileDueQuery(db: Db, now: number, limit: number): CompiledQuery {
  return dueQuery(db, now, limit).compile();
}

export function createCronIndexOps(db: Db): CronIndexOps {
  return {
    async due(now, limit): Promise<CronJobRow[]> {
      return decodeRows(SPEC, await dueQuery(db, now, limit).execute());
    },

    async setRunTimes(id, nextRunTime, lastRunTime): Promise<void> {
      await db.updateTable(SPEC.table).set({ nextRunTime, lastRunTime }).where('id', '=', id).execute();
    },

    async nextDue(): Promise<number | null> {
      const row = await db
        .selectFrom(SPEC.table)
        .select('nextRunTime')
        .where('isDisabled', '=', 0)
        .where('nextRunTime', 'is not', null)
        .orderBy('isDisabled')
        .orderBy('nextRunTime')
        .limit(1)
        .executeTakeFirst();
      return row ? Number(row.nextRunTime) : null;
    },

    async setRunTimesMany(updates): Promise<void> {
      // Jobs due in the same second mostly move to the same next time: few statements per tick.
      const groups = new Map<string, { nextRunTime: number | null; lastRunTime: number | null; ids: string[] }>();
      for (const { id, nextRunTime, lastRunTime } of updates) {
        const key = `${nextRunTime}:${lastRunTime}`;
        const group = groups.get(key) ?? { nextRunTime, lastRunTime, ids: [] };
        group.ids.push(id);
        groups.set(key, group);
      }
      for (const { nextRunTime, lastRunTime, ids } of groups.values()) {
        for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) {
          await db
            .updateTable(SPEC.table)
            .set({ nextRunTime, lastRunTime })
            .where('id', 'in', ids.slice(i, i + IDS_PER_STATEMENT))
            .execute();
        }
      }
    },
  };
}
