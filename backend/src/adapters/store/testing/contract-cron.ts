/** Contract: the cron index (due jobs), including its query plan over 100,000 jobs. */
import { CompiledQuery } from 'kysely';
import { expect, it } from 'vitest';
import type { CronJobRow } from '../../../domain/ports/store.js';
import { compileDueQuery } from '../cron-index-ops.js';
import { encodeRow } from '../row-codec.js';
import { ENTITY_TABLES } from '../tables.js';
import { ENTITY_CASES } from './fixtures.js';
import type { GetStore } from './store-contract.js';

const job = (id: string, nextRunTime: number | null, isDisabled = false): CronJobRow => ({
  ...ENTITY_CASES.cronJobs.row(id, 1),
  nextRunTime,
  isDisabled,
});

export function cronContract(getStore: GetStore): void {
  it('returns enabled due jobs, earliest first, up to the limit', async () => {
    const store = getStore();
    const { cron } = store;
    const entity = store.entity.bind(store);
    const jobs = entity('cronJobs');
    for (const j of [job('c-late', 300), job('c-b', 100), job('c-a', 100), job('c-off', 50, true), job('c-null', null), job('c-early', 20)]) {
      await jobs.insert(j);
    }
    expect((await cron.due(100, 10)).map((j) => j.id)).toEqual(['c-early', 'c-a', 'c-b']);
    expect((await cron.due(99, 10)).map((j) => j.id)).toEqual(['c-early']);
    expect((await cron.due(1000, 2)).map((j) => j.id)).toEqual(['c-early', 'c-a']);
    const [first] = await cron.due(1000, 1);
    expect(first).toEqual(job('c-early', 20));
    await cron.setRunTimes('c-early', 500, 20);
    expect(await jobs.get('c-early')).toMatchObject({ nextRunTime: 500, lastRunTime: 20 });
    expect((await cron.due(1000, 10)).map((j) => j.id)).toEqual(['c-a', 'c-b', 'c-late', 'c-early']);
    for (const id of ['c-late', 'c-b', 'c-a', 'c-off', 'c-null', 'c-early']) await jobs.delete(id);
  });

  it('answers the earliest next run time of the enabled jobs', async () => {
    const store = getStore();
    const jobs = store.entity('cronJobs');
    const ids = ['n-late', 'n-off', 'n-null', 'n-early'];
    const before = await store.cron.nextDue();
    for (const j of [job('n-late', 9_000_000_000_000), job('n-off', 5, true), job('n-null', null), job('n-early', 8_000_000_000_000)]) await jobs.insert(j);
    expect(await store.cron.nextDue()).toBe(before === null ? 8_000_000_000_000 : Math.min(before, 8_000_000_000_000));
    for (const id of ids) await jobs.delete(id);
    expect(await store.cron.nextDue()).toBe(before);
  });

  it('sets the run times of many jobs at once, each its own', async () => {
    const store = getStore();
    const jobs = store.entity('cronJobs');
    const spec = ENTITY_TABLES.cronJobs;
    const ids = Array.from({ length: 1203 }, (_, i) => `m-${String(i).padStart(4, '0')}`);
    await store.context.db
      .insertInto(spec.table)
      .values(ids.map((id) => encodeRow(spec, job(id, 100))))
      .execute();
    await store.cron.setRunTimesMany(ids.map((id, i) => ({ id, nextRunTime: i % 3 === 0 ? null : 200 + (i % 2), lastRunTime: 100 })));
    for (const [i, id] of ids.entries()) {
      if (i % 97 === 0 || i > 1195) expect(await jobs.get(id)).toMatchObject({ nextRunTime: i % 3 === 0 ? null : 200 + (i % 2), lastRunTime: 100 });
    }
    await store.cron.setRunTimesMany([]);
    await store.context.db.deleteFrom(spec.table).where('id', 'in', ids).execute();
  });

  it('answers due() from an index with 100,000 jobs', async () => {
    const { context } = getStore();
    const spec = ENTITY_TABLES.cronJobs;
    const base = 2_000_000_000_000;
    const total = 100_000;
    const chunk = 1000;
    let started = performance.now();
    await context.transaction(async (trx) => {
      for (let i = 0; i < total; i += chunk) {
        const rows = Array.from({ length: chunk }, (_, k) => {
          const n = i + k;
          return encodeRow(spec, job(`bulk-${String(n).padStart(6, '0')}`, n % 50 === 0 ? null : base + n * 1000, n % 10 === 0));
        });
        await trx.insertInto(spec.table).values(rows).execute();
      }
    });
    const loadMs = performance.now() - started;

    const now = base + 2000 * 1000; // ~1,800 enabled jobs due
    const query = compileDueQuery(context.db, now, 100);
    const explain = CompiledQuery.raw(`${context.dialect === 'sqlite' ? 'explain query plan' : 'explain'} ${query.sql}`, [...query.parameters]);
    const plan = (await context.db.executeQuery<Record<string, unknown>>(explain)).rows;
    const planText =
      context.dialect === 'sqlite' ? plan.map((r) => String(r.detail)).join('; ') : JSON.stringify(plan.map(({ type, key, rows, Extra }) => ({ type, key, rows, Extra })));
    if (context.dialect === 'sqlite') {
      expect(planText).toMatch(/USING (COVERING )?INDEX idx_cron_jobs_due/);
      expect(planText).not.toMatch(/TEMP B-TREE/);
    } else {
      expect(plan[0]?.key).toBe('idx_cron_jobs_due');
      expect(JSON.stringify(plan[0])).not.toMatch(/filesort/i);
    }

    const { cron } = getStore();
    await cron.due(now, 100);
    started = performance.now();
    const due = await cron.due(now, 100);
    const dueMs = performance.now() - started;
    expect(due).toHaveLength(100);
    expect(due[0]?.id).toBe('bulk-000001');
    expect(due.every((j) => !j.isDisabled && j.nextRunTime !== null && j.nextRunTime <= now)).toBe(true);
    console.log(`[${context.dialect}] 100,000 cron jobs loaded in ${loadMs.toFixed(0)} ms; due(now, 100) took ${dueMs.toFixed(2)} ms; plan: ${planText}`);
    await context.db.deleteFrom(spec.table).where('id', 'like', 'bulk-%').execute();
  });
}
