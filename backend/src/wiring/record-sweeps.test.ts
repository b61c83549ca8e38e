/**
 * The record sweeps of domain/tasks/recover-lost.ts against another writer landing between their
 * read and their write (a cancel, a worker storing an outcome), on SQLite and on the local MariaDB: the later writer's state
 * stands. The sweeps with a real Redis: redis-recovery.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedBroker } from '../adapters/broker/embedded/embedded-broker.js';
import { sampleTask } from '../adapters/broker/testing/sample-task.js';
import type { OpenedStore } from '../adapters/store/open-store.js';
import { mysqlTestDatabase, sqliteTestDatabase, type TestDatabase } from '../adapters/store/testing/test-databases.js';
import type { TaskRecordOps } from '../domain/ports/store.js';
import { settleAbandoned, settleOrphans } from '../domain/tasks/recover-lost.js';
import { queuedRecord } from '../domain/tasks/task-record.js';

/** `records` with `land(id)` run just before each write the sweep issues: the narrowest interleaving. */
function interleaved(records: TaskRecordOps, land: (id: string) => Promise<void>): TaskRecordOps {
  return new Proxy(records, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if ((prop === 'update' || prop === 'updateIf') && typeof value === 'function') {
        return async (id: string, ...rest: unknown[]) => {
          await land(id);
          return (value as (...args: unknown[]) => Promise<unknown>).apply(target, [id, ...rest]);
        };
      }
      return value;
    },
  });
}

const nothingHeld = (): Promise<Set<string>> => Promise.resolve(new Set());
const sure = (): Promise<boolean> => Promise.resolve(true);

describe.each([sqliteTestDatabase(), mysqlTestDatabase()])('record sweeps and another writer ($label)', (db: TestDatabase) => {
  let store: OpenedStore;

  beforeAll(async () => {
    store = await db.open();
    await store.migrate();
  });

  afterAll(async () => {
    await store?.close();
    await db.dispose();
  });

  it('the orphan sweep leaves a record that a cancel ended after the sweep read it queued', async () => {
    const records = store.taskRecords;
    await records.insert(queuedRecord(sampleTask('orphan-cancelled', 1, 1_000)));
    await records.insert(queuedRecord(sampleTask('orphan-left', 1, 1_000)));
    const cancel = async (id: string): Promise<void> => {
      if (id === 'orphan-cancelled') await records.update(id, { status: 'cancelled', endTimeMs: 5_000, messageJSON: null });
    };
    const count = await settleOrphans(interleaved(records, cancel), nothingHeld, 2_000, () => 6_000, sure);
    expect(count).toBe(1);
    expect(await records.get('orphan-cancelled')).toMatchObject({ status: 'cancelled', endTimeMs: 5_000, exceptionType: null });
    expect(await records.get('orphan-left')).toMatchObject({ status: 'failure', exceptionType: 'TaskNeverEnqueued', endTimeMs: 6_000 });
  });
  it('the running sweep neither overwrites nor runs again a task whose worker stored its outcome after the sweep read it', async () => {
    const records = store.taskRecords;
    for (const id of ['run-finished', 'run-lost']) {
      await records.insert(queuedRecord(sampleTask(id, 1, 1_000)));
      await records.update(id, { status: 'running', startTimeMs: 1_000, attempt: 1 });
    }
    const finish = async (id: string): Promise<void> => {
      if (id === 'run-finished') await records.update(id, { status: 'success', endTimeMs: 1_500, attempt: 1, messageJSON: null });
    };
    const broker = new EmbeddedBroker({ now: () => 10_000 });
    try {
      const done = await settleAbandoned(interleaved(records, finish), broker, { known: nothingHeld, graceMs: 1_000, now: () => 10_000, stillSure: sure, maxDeliveries: 5 });
      expect(done).toEqual({ rerun: 1, ended: 0 });
      expect(await records.get('run-finished')).toMatchObject({ status: 'success', endTimeMs: 1_500 });
      expect((await records.get('run-lost'))?.status).toBe('queued');
      const d = await broker.reserve([1], 'test', 0);
      expect(d).toMatchObject({ task: { id: 'run-lost' }, attempt: 2 });
      expect(await broker.reserve([1], 'test', 0)).toBeNull();
    } finally {
      await broker.close();
    }
  });
});
