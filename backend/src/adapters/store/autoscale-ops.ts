/** Autoscaling policies: one row per (stack, unit); the policy and the autoscaler's state in JSON columns written apart. */
import { emptyAutoscaleState, type AutoscaleOps, type AutoscalePolicyRow, type AutoscaleSpec, type AutoscaleState } from '../../domain/ports/autoscale-store.js';
import { affected, type StoreContext } from './store-context.js';

const TABLE = 'autoscale_policies';

function decode(row: Record<string, unknown>): AutoscalePolicyRow {
  return {
    stack: String(row.stack),
    unit: String(row.unit),
    spec: JSON.parse(String(row.specJSON)) as AutoscaleSpec,
    paused: Number(row.paused) === 1,
    error: typeof row.error === 'string' ? row.error : null,
    state: { ...emptyAutoscaleState(), ...(JSON.parse(String(row.stateJSON)) as Partial<AutoscaleState>) },
    updateTime: Number(row.updateTime),
  };
}

export function createAutoscaleOps(context: StoreContext): AutoscaleOps {
  const { db } = context;
  const get = async (stack: string, unit: string): Promise<AutoscalePolicyRow | undefined> => {
    const row = await db.selectFrom(TABLE).selectAll().where('stack', '=', stack).where('unit', '=', unit).executeTakeFirst();
    return row ? decode(row) : undefined;
  };
  return {
    async list(stack) {
      const rows = await db.selectFrom(TABLE).selectAll().where('stack', '=', stack).orderBy('unit').execute();
      return rows.map(decode);
    },
    get,
    async setPolicy(stack, unit, spec, paused, now) {
      await context.transaction(async (trx) => {
        const found = await trx.selectFrom(TABLE).select('unit').where('stack', '=', stack).where('unit', '=', unit).executeTakeFirst();
        if (found) {
          await trx
            .updateTable(TABLE)
            .set({ specJSON: JSON.stringify(spec), paused: paused ? 1 : 0, error: null, updateTime: now })
            .where('stack', '=', stack)
            .where('unit', '=', unit)
            .execute();
        } else {
          await trx
            .insertInto(TABLE)
            .values({ stack, unit, specJSON: JSON.stringify(spec), paused: paused ? 1 : 0, error: null, stateJSON: JSON.stringify(emptyAutoscaleState()), updateTime: now })
            .execute();
        }
      });
      return (await get(stack, unit))!;
    },
    async setPaused(stack, unit, paused, now) {
      const patch: Record<string, unknown> = { paused: paused ? 1 : 0, updateTime: now };
      if (!paused) patch.error = null;
      const result = await db.updateTable(TABLE).set(patch).where('stack', '=', stack).where('unit', '=', unit).executeTakeFirst();
      return affected(result.numUpdatedRows) > 0 || (await get(stack, unit)) !== undefined;
    },
    async saveState(stack, unit, state, pause, now) {
      const patch: Record<string, unknown> = { stateJSON: JSON.stringify(state), updateTime: now };
      if (pause) Object.assign(patch, { paused: 1, error: pause.error });
      await db.updateTable(TABLE).set(patch).where('stack', '=', stack).where('unit', '=', unit).execute();
    },
    async delete(stack, unit) {
      const result = await db.deleteFrom(TABLE).where('stack', '=', stack).where('unit', '=', unit).executeTakeFirst();
      return affected(result.numDeletedRows) > 0;
    },
  };
}
