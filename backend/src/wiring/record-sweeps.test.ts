/**
 * The record sweeps of domain/tasks/recover-lost.ts against another writer landing between their
 * read and their write (a cancel), on SQLite and on the local MariaDB: the later writer's state
 * stands. The sweeps with a real Redis: redis-recovery.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleTask } from '../adapters/broker/testing/sample-task.js';
import type { OpenedStore } from '../adapters/store/open-store.js';
import { mysqlTestDatabase, sqliteTestDatabase, type TestDatabase } from '../adapters/store/testing/test-databases.js';
import type { TaskRecordOps } from '../domain/ports/store.js';
import { settleOrphans } from '../domain/tasks/recover-lost.js';
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
});
