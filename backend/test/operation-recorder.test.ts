/** The audit log's writer on a real SQLite store: batches, trims to its limit, reports and drops a failed write without throwing. */
import { describe, expect, it } from 'vitest';
import { fileStore } from '../src/testing/file-store.js';
import { operationRecord } from '../src/adapters/store/testing/contract-admin.js';
import { OperationRecorder } from '../src/domain/admin/operation-recorder.js';
import type { OperationRecordOps } from '../src/domain/ports/admin-store.js';

const store = await fileStore();

describe('OperationRecorder', () => {
  it('returns at once and writes what was queued together, in one insert per flush', async () => {
    let inserts = 0;
    const counting: OperationRecordOps = { ...store.operationRecords, insertMany: (rows) => ((inserts += 1), store.operationRecords.insertMany(rows)) };
    const recorder = new OperationRecorder(counting, { flushMs: 50 });
    for (let n = 1; n <= 30; n++) recorder.record(operationRecord(n));
    expect(await store.operationRecords.count({})).toBe(0);
    await recorder.flush();
    expect(inserts).toBe(1);
    expect(await store.operationRecords.count({})).toBe(30);
    // Without an explicit flush the timer writes them.
    recorder.record(operationRecord(31));
    await new Promise((r) => setTimeout(r, 200));
    expect(await store.operationRecords.count({})).toBe(31);
    await store.operationRecords.trim(0);
  });

  it('keeps the newest `limit` records, trimming every tenth of the limit', async () => {
    const recorder = new OperationRecorder(store.operationRecords, { limit: 20 });
    for (let n = 1; n <= 45; n++) {
      recorder.record(operationRecord(100 + n));
      if (n % 5 === 0) await recorder.flush();
    }
    await recorder.flush();
    const left = await store.operationRecords.list({});
    expect(left.length).toBeLessThanOrEqual(20 + 2);
    expect(left[0]!.id).toBe('oprd-contract-145');
    expect(left.map((r) => r.id)).not.toContain('oprd-contract-101');
    await store.operationRecords.trim(0);
  });

  it('reports a failed write with how many records were lost, and goes on', async () => {
    const lost: number[] = [];
    const failing: OperationRecordOps = { ...store.operationRecords, insertMany: () => Promise.reject(new Error('disk full')) };
    const recorder = new OperationRecorder(failing, { onError: (_err, n) => lost.push(n) });
    recorder.record(operationRecord(1));
    recorder.record(operationRecord(2));
    await expect(recorder.flush()).resolves.toBeUndefined();
    expect(lost).toEqual([2]);
  });
});
