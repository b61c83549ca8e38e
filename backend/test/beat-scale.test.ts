/**
 * The beat's fire path at a scale the suite can afford, on SQLite and on the local MariaDB: 2,000
 * cron jobs due in the same second fire once each, with a few store round trips per batch (not
 * a few per job); a beat that stops mid-tick (after some batches' runs are recorded and enqueued,
 * before their run times are saved) and is restarted fires the rest, none twice; the next
 * minute's runs, with the previous ones still queued, are all recorded as skipped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Beat } from '../src/beat/beat.js';
import { encodeRow } from '../src/adapters/store/row-codec.js';
import { ENTITY_TABLES } from '../src/adapters/store/tables.js';
import { cronJobRow, funcRow } from '../src/adapters/store/testing/fixtures.js';
import { mysqlTestDatabase, sqliteTestDatabase, type TestDatabase } from '../src/adapters/store/testing/test-databases.js';
import type { OpenedStore } from '../src/adapters/store/open-store.js';
import type { Broker } from '../src/domain/ports/broker.js';
import type { CronJobRow } from '../src/domain/ports/store.js';
import { FuncCatalog } from '../src/domain/scripts/func-catalog.js';
import { TaskDispatcher } from '../src/domain/tasks/dispatcher.js';
import type { TaskMessage } from '../src/domain/tasks/task.js';
import { PRESETS } from '../src/domain/topology/topology.js';

const JOBS = 2000;
const BATCH = 500;
/** A minute boundary: every job's nextRunTime. */
const DUE = Date.UTC(2026, 0, 1, 0, 1, 0);
const FUNC_ID = 'scale__main.tick';

/** Every minute, in both syntaxes (6 fields: seconds first), due at DUE. */
function cronJob(n: number): CronJobRow {
  return cronJobRow(`job-${String(n).padStart(5, '0')}`, FUNC_ID, { n }, n % 2 === 0 ? '* * * * *' : '0 * * * * *', DUE, DUE - 60_000);
}

/** A broker that keeps what it is given (nothing runs: runs stay `queued`). */
function recordingBroker(): { broker: Broker; enqueued: TaskMessage[] } {
  const enqueued: TaskMessage[] = [];
  const broker = {
    kind: 'redis',
    durable: true,
    enqueue: (task: TaskMessage) => {
      enqueued.push(task);
      return Promise.resolve(enqueued.length);
    },
  } as unknown as Broker;
  return { broker, enqueued };
}

/** Counts calls of every method of the store's cron and taskRecords ops. */
function countCalls(store: OpenedStore): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [name, ops] of [
    ['cron', store.cron],
    ['taskRecords', store.taskRecords],
  ] as const) {
    const target = ops as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const [method, fn] of Object.entries(target)) {
      if (typeof fn !== 'function') continue;
      target[method] = (...args: unknown[]) => {
        counts[`${name}.${method}`] = (counts[`${name}.${method}`] ?? 0) + 1;
        return fn(...args);
      };
    }
  }
  return counts;
}

/** A run of `cronJob(n)` at DUE, as the beat builds it. */
function cronTask(n: number): TaskMessage {
  const job = cronJob(n);
  return {
    id: `task-${job.id}`,
    funcId: FUNC_ID,
    scriptId: 'scale__main',
    funcName: 'tick',
    kwargs: { n },
    origin: 'cronJob',
    originId: job.id,
    queue: 1,
    timeoutMs: 30_000,
    expiresAt: 0,
    triggerTime: DUE,
  };
}

function beatOn(store: OpenedStore, broker: Broker, now: () => number): Beat {
  return new Beat({ store, dispatcher: new TaskDispatcher(store, broker), catalog: new FuncCatalog(store, 1000, now), topology: PRESETS.standalone!, now, batch: BATCH });
}

for (const db of [sqliteTestDatabase(), mysqlTestDatabase()] as TestDatabase[]) {
  describe(`beat at scale (${db.label})`, () => {
    let store: OpenedStore;

    beforeAll(async () => {
      store = await db.open();
      await store.migrate();
      await store.entity('funcs').insert(funcRow(FUNC_ID, 'scale__main', 1, DUE - 60_000));
    });
    afterAll(async () => {
      await store.close();
      await db.dispose();
    });

    it(`fires ${JOBS} jobs due in one second once each, none twice after a restart mid-tick`, async () => {
      const spec = ENTITY_TABLES.cronJobs;
      const rows = Array.from({ length: JOBS }, (_, n) => encodeRow(spec, cronJob(n)));
      for (let i = 0; i < rows.length; i += 500)
        await store.context.db
          .insertInto(spec.table)
          .values(rows.slice(i, i + 500))
          .execute();
      const counts = countCalls(store);
      const now = (): number => DUE + 200;

      // The first beat stops after two batches are recorded and enqueued, before the second's run times are saved.
      const first = recordingBroker();
      const setRunTimesMany = store.cron.setRunTimesMany.bind(store.cron);
      let saves = 0;
      store.cron.setRunTimesMany = (updates) => {
        saves += 1;
        return saves === 2 ? Promise.reject(new Error('stopped mid-tick')) : setRunTimesMany(updates);
      };
      await expect(beatOn(store, first.broker, now).tick()).rejects.toThrow('stopped mid-tick');
      store.cron.setRunTimesMany = setRunTimesMany;
      expect(first.enqueued).toHaveLength(2 * BATCH);

      const second = recordingBroker();
      const restarted = beatOn(store, second.broker, now);
      const r = await restarted.tick();
      expect(r).toEqual({ fired: JOBS - 2 * BATCH, skipped: 0, missed: 0 });
      expect((await restarted.tick()).fired).toBe(0);
      const beatCalls = { ...counts };

      const fired = [...first.enqueued, ...second.enqueued];
      expect(fired.every((t) => t.triggerTime === DUE && t.origin === 'cronJob')).toBe(true);
      expect(new Set(fired.map((t) => t.originId)).size).toBe(JOBS);
      expect(fired).toHaveLength(JOBS);
      const records = await store.taskRecords.list({ origin: 'cronJob', status: 'queued' }, { limit: JOBS + 1 });
      expect(records).toHaveLength(JOBS);
      expect((await store.cron.due(DUE + 59_999, 10)).length).toBe(0);
      expect((await store.entity('cronJobs').get('job-01999'))?.nextRunTime).toBe(DUE + 60_000);
      // A few round trips per batch of BATCH jobs, none per job.
      expect(beatCalls['taskRecords.list'] ?? 0).toBe(0);
      expect(beatCalls['taskRecords.insert'] ?? 0).toBe(0);
      expect(beatCalls['cron.setRunTimes'] ?? 0).toBe(0);
      // Per batch: due(), originActivity(), the records' writes, setRunTimesMany(); over both beats' ticks.
      expect(beatCalls['taskRecords.originActivity']).toBeLessThanOrEqual(2 * (JOBS / BATCH));
      expect(beatCalls['cron.due']).toBeLessThanOrEqual(2 * (JOBS / BATCH) + 2);
    });

    it("enqueues each records write's runs as soon as it is committed, each after its own record, while the next write runs", async () => {
      // 1,200 runs at once: three writes of records (500, 500, 200).
      const tasks = Array.from({ length: 1200 }, (_, n) => ({ ...cronTask(n), id: `submit-${String(n).padStart(5, '0')}` }));
      const counts = countCalls(store);
      const seen: { id: string; writesDone: number; recorded: Promise<boolean> }[] = [];
      let writesDone = 0;
      const writeBatch = store.taskRecords.writeBatch.bind(store.taskRecords);
      store.taskRecords.writeBatch = async (inserts, updates) => {
        await writeBatch(inserts, updates);
        writesDone += 1;
      };
      const broker = {
        kind: 'redis',
        durable: true,
        enqueue: (task: TaskMessage) => {
          seen.push({ id: task.id, writesDone, recorded: store.taskRecords.get(task.id).then((r) => r !== undefined) });
          return Promise.resolve(seen.length);
        },
      } as unknown as Broker;
      try {
        await new TaskDispatcher(store, broker).submitMany(tasks);
      } finally {
        store.taskRecords.writeBatch = writeBatch;
      }
      expect(counts['taskRecords.writeBatch']).toBe(3);
      expect(seen.map((s) => s.id)).toEqual(tasks.map((t) => t.id));
      // The first 500 went out after the first write, before the second was done; the last 200 after the third.
      expect(seen.slice(0, 500).every((s) => s.writesDone === 1)).toBe(true);
      expect(seen.slice(500, 1000).every((s) => s.writesDone === 2)).toBe(true);
      expect(seen.slice(1000).every((s) => s.writesDone === 3)).toBe(true);
      expect((await Promise.all(seen.map((s) => s.recorded))).every(Boolean)).toBe(true);
    });

    it('fails a submitMany whose records write fails, once the enqueues it started are done, without enqueueing the rest', async () => {
      const tasks = Array.from({ length: 700 }, (_, n) => ({ ...cronTask(n), id: `failing-${String(n).padStart(5, '0')}` }));
      const writeBatch = store.taskRecords.writeBatch.bind(store.taskRecords);
      let writes = 0;
      store.taskRecords.writeBatch = (inserts, updates) => (++writes === 2 ? Promise.reject(new Error('the database went away')) : writeBatch(inserts, updates));
      let inFlight = 0;
      let enqueued = 0;
      const broker = {
        kind: 'redis',
        durable: true,
        enqueue: async () => {
          inFlight += 1;
          await new Promise((r) => setTimeout(r, 5));
          inFlight -= 1;
          enqueued += 1;
          return enqueued;
        },
      } as unknown as Broker;
      try {
        await expect(new TaskDispatcher(store, broker).submitMany(tasks)).rejects.toThrow('the database went away');
      } finally {
        store.taskRecords.writeBatch = writeBatch;
      }
      expect(enqueued).toBe(500);
      expect(inFlight).toBe(0);
    });

    it('records the next minute of every job as skipped while its previous run is still queued', async () => {
      const broker = recordingBroker();
      const r = await beatOn(store, broker.broker, () => DUE + 60_200).tick();
      expect(r).toEqual({ fired: 0, skipped: JOBS, missed: 0 });
      expect(broker.enqueued).toHaveLength(0);
      const skipped = await store.taskRecords.list({ origin: 'cronJob', status: 'skipped' }, { limit: JOBS + 1 });
      expect(skipped).toHaveLength(JOBS);
      expect(skipped.every((s) => s.triggerTimeMs === DUE + 60_000 && s.exceptionTEXT?.startsWith('the previous run '))).toBe(true);
    });
  });
}
