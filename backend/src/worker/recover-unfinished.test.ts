/** The embedded stack's recovery at start: every record left queued or running is enqueued again, however many pages they take. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedBroker } from '../adapters/broker/embedded/embedded-broker.js';
import { sampleTask } from '../adapters/broker/testing/sample-task.js';
import type { OpenedStore } from '../adapters/store/open-store.js';
import { sqliteTestDatabase } from '../adapters/store/testing/test-databases.js';
import { queuedRecord } from '../domain/tasks/task-record.js';
import { recoverUnfinished } from './recover-unfinished.js';

describe('recoverUnfinished', () => {
  const db = sqliteTestDatabase();
  let store: OpenedStore;

  beforeAll(async () => {
    store = await db.open();
    await store.migrate();
  });

  afterAll(async () => {
    await store?.close();
    await db.dispose();
  });

  it('enqueues every unfinished record again, past the first page', async () => {
    const now = Date.now();
    const queued = ['q1', 'q2', 'q3', 'q4', 'q5'];
    const running = ['r1', 'r2', 'r3'];
    for (const [k, id] of [...queued, ...running].entries()) await store.taskRecords.insert(queuedRecord(sampleTask(id, 1, now + k)));
    for (const id of running) await store.taskRecords.update(id, { status: 'running', attempt: 1 });
    await store.taskRecords.insert({ ...queuedRecord(sampleTask('done', 1, now)), status: 'success' });

    const broker = new EmbeddedBroker();
    expect(await recoverUnfinished(store, broker, 2)).toBe(8);
    const deliveries = await broker.reserveBatch([1], 'test', 100, 0);
    expect(deliveries.map((d) => d.task.id).sort()).toEqual([...queued, ...running].sort());
    // A running one runs again as its next delivery, its record back to queued.
    expect(deliveries.find((d) => d.task.id === 'r1')?.attempt).toBe(2);
    expect((await store.taskRecords.get('r1'))?.status).toBe('queued');
    await broker.close();
  });
});
