import { describe, expect, it, vi } from 'vitest';
import { fileStore } from '../src/testing/file-store.js';
import { taskRecord } from '../src/adapters/store/testing/fixtures.js';
import { DuplicateIdError } from '../src/domain/ports/store.js';
import type { TaskRecordRow } from '../src/domain/ports/store.js';
import { RecordBatcher } from '../src/domain/tasks/record-batcher.js';

const store = await fileStore();

/** A queued row, as the store contract tests build it. */
const record = (id: string): TaskRecordRow => taskRecord(id);

describe('RecordBatcher', () => {
  it('writes concurrent inserts and updates in few transactions, each acknowledged once stored', async () => {
    const spy = vi.spyOn(store.taskRecords, 'writeBatch');
    const b = new RecordBatcher(store.taskRecords);
    await Promise.all(Array.from({ length: 50 }, (_, i) => b.insert(record(`t${i}`))));
    expect(spy.mock.calls.length).toBeLessThanOrEqual(2);
    expect(await store.taskRecords.get('t49')).toMatchObject({ status: 'queued' });
    await Promise.all([b.update('t1', { status: 'running' }), b.update('t1', { status: 'success', attempt: 1 }), b.update('t2', { status: 'running' })]);
    expect(await store.taskRecords.get('t1')).toMatchObject({ status: 'success', attempt: 1 });
    expect(await store.taskRecords.get('t2')).toMatchObject({ status: 'running' });
  });

  it('merges an update into a pending insert', async () => {
    const b = new RecordBatcher(store.taskRecords);
    await Promise.all([b.insert(record('m1')), b.update('m1', { status: 'running' })]);
    expect(await store.taskRecords.get('m1')).toMatchObject({ status: 'running' });
  });

  it('with a linger, writes arriving one by one within it share one commit, each acknowledged once stored', async () => {
    const spy = vi.spyOn(store.taskRecords, 'writeBatch');
    spy.mockClear();
    // The linger's timer is faked (the store's I/O is real): the arrivals are 5 ms apart on the batcher's clock, however slow this machine is.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const acked: string[] = [];
    const writes: Promise<void>[] = [];
    try {
      const b = new RecordBatcher(store.taskRecords, 60);
      // Outcomes written whole (sync calls recorded by the worker) linger.
      for (let i = 0; i < 5; i++) {
        writes.push(b.insert({ ...record(`l${i}`), status: 'success' }).then(() => void acked.push(`l${i}`)));
        await vi.advanceTimersByTimeAsync(5);
      }
      expect(acked).toEqual([]);
      expect(await store.taskRecords.get('l0')).toBeUndefined();
      await vi.advanceTimersByTimeAsync(60);
      await Promise.all(writes);
    } finally {
      vi.useRealTimers();
    }
    expect(acked).toHaveLength(5);
    expect(spy.mock.calls).toHaveLength(1);
    expect(spy.mock.calls[0]![0]).toHaveLength(5);
    expect(await store.taskRecords.get('l4')).toMatchObject({ status: 'success' });
  });

  it('does not let a queued record linger (its task id is about to be handed out), nor what waits with it', async () => {
    await store.taskRecords.writeBatch([{ ...record('q0'), status: 'running' }], []);
    // A 5 s linger whose timer never fires (faked, never advanced): only the queued insert can flush it.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const b = new RecordBatcher(store.taskRecords, 5000);
      const lingering = b.update('q0', { attempt: 7 });
      await b.insert(record('u1'));
      await lingering;
    } finally {
      vi.useRealTimers();
    }
    expect(await store.taskRecords.get('u1')).toMatchObject({ status: 'queued' });
    expect(await store.taskRecords.get('q0')).toMatchObject({ attempt: 7 });
  });

  it('a duplicate fails only its own call, not its neighbours', async () => {
    const b = new RecordBatcher(store.taskRecords);
    await b.insert(record('d0'));
    const results = await Promise.allSettled([b.insert(record('d1')), b.insert(record('d0')), b.insert(record('d2'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateIdError);
    expect(await store.taskRecords.get('d2')).toBeDefined();
  });
});
