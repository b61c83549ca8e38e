/** Contract: task records. */
import { expect, it } from 'vitest';
import { DuplicateIdError, TIMING_LOOKBACK_MS } from '../../../domain/ports/store.js';
import type { TaskRecordFilter } from '../../../domain/ports/store.js';
import { outcomePatch } from '../../../domain/tasks/task-record.js';
import { encodeRow } from '../row-codec.js';
import { ENTITY_TABLES } from '../tables.js';
import { ENTITY_CASES, taskRecord } from './fixtures.js';
import type { GetStore } from './store-contract.js';

export function taskRecordContract(getStore: GetStore): void {
  it('inserts, updates and gets records (JSON, floats, nulls)', async () => {
    const records = getStore().taskRecords;
    const rec = taskRecord('tr-1', { rootTaskId: 'root-1', returnValueJSON: [1, 'a', null, { b: true }], peakMemoryMb: 12.5 });
    await records.insert(rec);
    expect(await records.get('tr-1')).toEqual(rec);
    await expect(records.insert(rec)).rejects.toThrow(DuplicateIdError);
    await records.update('tr-1', { status: 'running', startTimeMs: 1_700_000_000_100 });
    await records.update('tr-1', {
      status: 'success',
      endTimeMs: 1_700_000_000_200,
      returnValueJSON: 'plain string',
      printLogsTEXT: '[+1ms] hello\n[+2ms] wörld 🌍',
      messageJSON: null,
    });
    await records.update('tr-1', {});
    expect(await records.get('tr-1')).toEqual({
      ...rec,
      status: 'success',
      startTimeMs: 1_700_000_000_100,
      endTimeMs: 1_700_000_000_200,
      returnValueJSON: 'plain string',
      printLogsTEXT: '[+1ms] hello\n[+2ms] wörld 🌍',
      messageJSON: null,
    });
    await records.update('tr-missing', { status: 'failure' });
    expect(await records.get('tr-missing')).toBeUndefined();
  });

  it('stores the end of a task whose exception type name is 70,000 characters (MySQL TEXT holds 65,535 bytes)', async () => {
    const records = getStore().taskRecords;
    await records.insert(taskRecord('tr-long-type', { status: 'running' }));
    const patch = outcomePatch({ status: 'failure', printLogs: [], exceptionType: `${'😀'.repeat(100)}${'E'.repeat(70_000)}`, exception: 'm', reason: 'EFuncFailed' }, 1);
    await records.update('tr-long-type', patch);
    const stored = await records.get('tr-long-type');
    expect(stored?.status).toBe('failure');
    expect(stored?.exceptionType).toMatch(/^(😀){100}E+…$/u);
    expect(stored?.exceptionType?.length).toBe(256);
  });

  it('writes a batch of inserts and updates in one transaction, all or nothing', async () => {
    const records = getStore().taskRecords;
    await records.insert(taskRecord('wb-0'));
    await records.writeBatch([taskRecord('wb-1'), taskRecord('wb-2', { returnValueJSON: { ü: 1 } })], [{ id: 'wb-0', patch: { status: 'success', attempt: 2 } }]);
    expect(await records.get('wb-0')).toMatchObject({ status: 'success', attempt: 2 });
    expect(await records.get('wb-2')).toMatchObject({ returnValueJSON: { ü: 1 } });
    await expect(records.writeBatch([taskRecord('wb-3'), taskRecord('wb-1')], [{ id: 'wb-0', patch: { status: 'failure' } }])).rejects.toThrow(DuplicateIdError);
    expect(await records.get('wb-3')).toBeUndefined();
    expect(await records.get('wb-0')).toMatchObject({ status: 'success' });
    // Inserts only (one statement, no transaction on MySQL): still all or nothing.
    await expect(records.writeBatch([taskRecord('wb-4'), taskRecord('wb-1')], [])).rejects.toThrow(DuplicateIdError);
    expect(await records.get('wb-4')).toBeUndefined();
    await records.writeBatch([], [{ id: 'wb-1', patch: { status: 'failure', attempt: 3 } }]);
    expect(await records.get('wb-1')).toMatchObject({ status: 'failure', attempt: 3 });
  });

  it('applies many updates of one batch, of the same and of different shapes, each to its own row', async () => {
    const records = getStore().taskRecords;
    const ids = Array.from({ length: 6 }, (_, i) => `wbm-${i}`);
    await records.writeBatch(
      ids.map((id) => taskRecord(id)),
      [],
    );
    await records.writeBatch(
      [],
      [
        ...ids.slice(0, 4).map((id, i) => ({
          id,
          patch: { status: 'success' as const, attempt: i + 1, returnValueJSON: i === 0 ? null : { i, s: 'ü\'"' }, printLogsTEXT: `log ${i}`, endTimeMs: 1_700_000_000_000 + i },
        })),
        { id: ids[4]!, patch: { status: 'running' as const, startTimeMs: 1_700_000_000_500 } },
        { id: 'wbm-missing', patch: { status: 'success' as const, attempt: 9, returnValueJSON: null, printLogsTEXT: 'x', endTimeMs: 1 } },
      ],
    );
    for (let i = 0; i < 4; i++) {
      expect(await records.get(ids[i]!)).toMatchObject({
        status: 'success',
        attempt: i + 1,
        returnValueJSON: i === 0 ? null : { i, s: 'ü\'"' },
        printLogsTEXT: `log ${i}`,
        endTimeMs: 1_700_000_000_000 + i,
      });
    }
    expect(await records.get(ids[4]!)).toMatchObject({ status: 'running', startTimeMs: 1_700_000_000_500 });
    expect(await records.get(ids[5]!)).toMatchObject({ status: 'queued' });
    expect(await records.get('wbm-missing')).toBeUndefined();
  });

  it('keeps hot writes out of a transaction that is open meanwhile', async () => {
    const store = getStore();
    let write: Promise<void> | undefined;
    const failing = store.context.transaction(async (trx) => {
      await trx
        .insertInto('script_sets')
        .values(encodeRow(ENTITY_TABLES.scriptSets, ENTITY_CASES.scriptSets.row('tx-set', 1)))
        .execute();
      // Not awaited here: on SQLite it waits for the transaction to end (awaiting it would deadlock).
      write = store.taskRecords.insert(taskRecord('tr-tx', { originId: 'tx' }));
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('roll back');
    });
    await expect(failing).rejects.toThrow('roll back');
    await write;
    expect(await store.entity('scriptSets').get('tx-set')).toBeUndefined();
    expect(await store.taskRecords.get('tr-tx')).toMatchObject({ id: 'tr-tx' });
  });

  it('lists newest first with filters and pages', async () => {
    const records = getStore().taskRecords;
    const t = 1_710_000_000_000;
    const rows = [
      taskRecord('l-1', { origin: 'cronJob', originId: 'cron-l', funcId: 'l.f', status: 'success', triggerTimeMs: t + 1, rootTaskId: 'l-1' }),
      taskRecord('l-2', { origin: 'cronJob', originId: 'cron-l', funcId: 'l.g', status: 'failure', triggerTimeMs: t + 2, rootTaskId: 'l-1' }),
      taskRecord('l-3', { origin: 'asyncAPI', originId: 'async-l', funcId: 'l.f', status: 'queued', triggerTimeMs: t + 3 }),
      taskRecord('l-4', { origin: 'cronJob', originId: 'cron-l', funcId: 'l.f', status: 'running', triggerTimeMs: t + 3 }),
    ];
    for (const r of rows) await records.insert(r);
    const ids = async (f: TaskRecordFilter, o?: { limit?: number; offset?: number }): Promise<string[]> => (await records.list({ since: t, ...f }, o)).map((r) => r.id);
    expect(await ids({})).toEqual(['l-4', 'l-3', 'l-2', 'l-1']);
    expect(await ids({ funcId: 'l.f' })).toEqual(['l-4', 'l-3', 'l-1']);
    expect(await ids({ origin: 'cronJob', originId: 'cron-l' })).toEqual(['l-4', 'l-2', 'l-1']);
    expect(await ids({ status: 'failure' })).toEqual(['l-2']);
    expect(await ids({ status: ['success', 'queued'] })).toEqual(['l-3', 'l-1']);
    expect(await ids({ status: [] })).toEqual([]);
    expect(await ids({ rootTaskId: 'l-1' })).toEqual(['l-2', 'l-1']);
    expect(await ids({ id: 'l-3' })).toEqual(['l-3']);
    expect(await ids({ since: t + 2, until: t + 2 })).toEqual(['l-2']);
    expect(await ids({}, { limit: 2, offset: 1 })).toEqual(['l-3', 'l-2']);
    expect(await ids({}, { offset: 3 })).toEqual(['l-1']);
  });

  it("filters by script, by the script's set (its id before `__`, LIKE's characters plain) and by queue", async () => {
    const records = getStore().taskRecords;
    const t = 1_720_000_000_000;
    const rows = [
      taskRecord('s-1', { scriptId: 'a_b__main', funcId: 'a_b__main.f', queue: 1, triggerTimeMs: t + 1 }),
      taskRecord('s-2', { scriptId: 'aXb__main', funcId: 'aXb__main.f', queue: 2, triggerTimeMs: t + 2 }),
      taskRecord('s-3', { scriptId: 'a_b__other', funcId: 'a_b__other.f', queue: 2, triggerTimeMs: t + 3 }),
      taskRecord('s-4', { scriptId: 'a_bc__main', funcId: 'a_bc__main.f', queue: 1, triggerTimeMs: t + 4 }),
    ];
    for (const r of rows) await records.insert(r);
    const ids = async (f: TaskRecordFilter): Promise<string[]> => (await records.list({ since: t, until: t + 10, ...f })).map((r) => r.id);
    expect(await ids({ scriptSetId: 'a_b' })).toEqual(['s-3', 's-1']);
    expect(await ids({ scriptSetId: 'aXb' })).toEqual(['s-2']);
    expect(await ids({ scriptSetId: 'a%' })).toEqual([]);
    expect(await ids({ scriptId: 'a_b__main' })).toEqual(['s-1']);
    expect(await ids({ queue: 2 })).toEqual(['s-3', 's-2']);
    expect(await ids({ queue: 1, scriptSetId: 'a_bc' })).toEqual(['s-4']);
  });

  it('answers the records of some origin ids triggered within a range or unfinished (what the beat checks)', async () => {
    const records = getStore().taskRecords;
    const t = 1_720_000_000_000;
    await records.writeBatch(
      [
        taskRecord('oa-1', { origin: 'cronJob', originId: 'oa-a', status: 'success', triggerTimeMs: t }),
        taskRecord('oa-2', { origin: 'cronJob', originId: 'oa-a', status: 'running', triggerTimeMs: t - 60_000, startTimeMs: t - 59_000 }),
        taskRecord('oa-3', { origin: 'cronJob', originId: 'oa-b', status: 'skipped', triggerTimeMs: t + 1000 }),
        taskRecord('oa-4', { origin: 'cronJob', originId: 'oa-b', status: 'success', triggerTimeMs: t - 1 }),
        taskRecord('oa-5', { origin: 'cronJob', originId: 'oa-c', status: 'queued', triggerTimeMs: t }),
        taskRecord('oa-6', { origin: 'asyncAPI', originId: 'oa-a', status: 'queued', triggerTimeMs: t }),
        // A run waiting for a retry: its next attempt's message says when it may start.
        taskRecord('oa-7', {
          origin: 'cronJob',
          originId: 'oa-b',
          status: 'queued',
          triggerTimeMs: t - 120_000,
          messageJSON: { id: 'oa-7', expiresAt: t + 900_000, eta: t + 1_800_000 },
        }),
      ],
      [],
    );
    const got = await records.originActivity('cronJob', ['oa-a', 'oa-b'], t, t + 1000);
    expect(got.sort((x, y) => x.id.localeCompare(y.id))).toEqual([
      { id: 'oa-1', originId: 'oa-a', triggerTimeMs: t, status: 'success', startTimeMs: null, timeoutMs: 30_000, startsBefore: null },
      { id: 'oa-2', originId: 'oa-a', triggerTimeMs: t - 60_000, status: 'running', startTimeMs: t - 59_000, timeoutMs: 30_000, startsBefore: null },
      { id: 'oa-3', originId: 'oa-b', triggerTimeMs: t + 1000, status: 'skipped', startTimeMs: null, timeoutMs: 30_000, startsBefore: null },
      { id: 'oa-7', originId: 'oa-b', triggerTimeMs: t - 120_000, status: 'queued', startTimeMs: null, timeoutMs: 30_000, startsBefore: t + 1_800_000 },
    ]);
    expect(await records.originActivity('cronJob', [], t, t)).toEqual([]);
  });

  it('pages through queued records up to a trigger time, oldest first, after a cursor', async () => {
    const records = getStore().taskRecords;
    // Two per millisecond (ties broken by id), one running, one later than the bound.
    for (let i = 0; i < 5; i++) await records.insert(taskRecord(`qu-${i}`, { status: 'queued', triggerTimeMs: 500 + Math.floor(i / 2) }));
    await records.insert(taskRecord('qu-run', { status: 'running', triggerTimeMs: 500 }));
    await records.insert(taskRecord('qu-late', { status: 'queued', triggerTimeMs: 600 }));
    const first = await records.unfinishedUntil('queued', 502, undefined, 3);
    expect(first.map((r) => r.id)).toEqual(['qu-0', 'qu-1', 'qu-2']);
    const last = first[2]!;
    const rest = await records.unfinishedUntil('queued', 502, { triggerTimeMs: last.triggerTimeMs, id: last.id }, 3);
    expect(rest.map((r) => r.id)).toEqual(['qu-3', 'qu-4']);
    expect((await records.unfinishedUntil('queued', 499, undefined, 10)).filter((r) => r.id.startsWith('qu-'))).toEqual([]);
    expect((await records.unfinishedUntil('running', 502, undefined, 10)).filter((r) => r.id.startsWith('qu-')).map((r) => r.id)).toEqual(['qu-run']);
  });

  it('updates a record only while it still has the status (and attempt) expected', async () => {
    const records = getStore().taskRecords;
    await records.insert(taskRecord('ui-1', { status: 'queued' }));
    await records.update('ui-1', { status: 'cancelled', endTimeMs: 7 });
    // A sweep that read it queued before the cancel landed: its write changes nothing.
    expect(await records.updateIf('ui-1', { status: 'queued' }, { status: 'failure', endTimeMs: 9 })).toBe(false);
    expect(await records.get('ui-1')).toMatchObject({ status: 'cancelled', endTimeMs: 7 });
    expect(await records.updateIf('ui-1', { status: 'cancelled' }, { status: 'failure', endTimeMs: 9 })).toBe(true);
    expect(await records.get('ui-1')).toMatchObject({ status: 'failure', endTimeMs: 9 });
    await records.insert(taskRecord('ui-2', { status: 'running', attempt: 2 }));
    expect(await records.updateIf('ui-2', { status: 'running', attempt: 1 }, { status: 'queued' })).toBe(false);
    expect(await records.updateIf('ui-2', { status: 'running', attempt: 2 }, { status: 'queued' })).toBe(true);
    expect((await records.get('ui-2'))?.status).toBe('queued');
    expect(await records.updateIf('nobody', { status: 'queued' }, { status: 'failure' })).toBe(false);
  });

  it('trims an origin to its newest records', async () => {
    const records = getStore().taskRecords;
    for (let i = 0; i < 10; i++) {
      // Two records per millisecond: ties are broken by id.
      await records.insert(taskRecord(`trim-${i}`, { origin: 'syncAPI', originId: 'trim-x', triggerTimeMs: 1000 + Math.floor(i / 2), status: 'success' }));
    }
    // Unfinished records are never trimmed, however old: a task still waiting or running keeps its record.
    await records.insert(taskRecord('trim-queued', { origin: 'syncAPI', originId: 'trim-x', triggerTimeMs: 10 }));
    await records.insert(taskRecord('trim-running', { origin: 'syncAPI', originId: 'trim-x', triggerTimeMs: 1001, status: 'running' }));
    for (let i = 0; i < 3; i++) await records.insert(taskRecord(`trim-y-${i}`, { origin: 'syncAPI', originId: 'trim-y', triggerTimeMs: 1, status: 'failure' }));
    expect((await records.trim('syncAPI', 'trim-x', 3)).deleted).toBe(7);
    expect((await records.list({ originId: 'trim-x' })).map((r) => r.id)).toEqual(['trim-9', 'trim-8', 'trim-7', 'trim-running', 'trim-queued']);
    await records.update('trim-running', { status: 'success' });
    await records.update('trim-queued', { status: 'cancelled' });
    expect((await records.trim('syncAPI', 'trim-x', 3)).deleted).toBe(2);
    expect((await records.list({ originId: 'trim-x' })).map((r) => r.id)).toEqual(['trim-9', 'trim-8', 'trim-7']);
    expect((await records.trim('syncAPI', 'trim-x', 3)).deleted).toBe(0);
    expect((await records.trim('syncAPI', 'trim-x', 10)).deleted).toBe(0);
    // The newest `keep` count whatever their status (the cutoff is read off the index alone, not
    // past a backlog of queued records): a queued one among them leaves room for one finished less.
    await records.insert(taskRecord('trim-new', { origin: 'syncAPI', originId: 'trim-x', triggerTimeMs: 2000 }));
    expect((await records.trim('syncAPI', 'trim-x', 3)).deleted).toBe(1);
    expect((await records.list({ originId: 'trim-x' })).map((r) => r.id)).toEqual(['trim-new', 'trim-9', 'trim-8']);
    expect((await records.trim('syncAPI', 'trim-x', 3)).cutoff).toEqual({ triggerTimeMs: 1004, id: 'trim-8' });
    expect((await records.trim('syncAPI', 'trim-x', 4)).cutoff).toBeUndefined();
    expect(await records.list({ originId: 'trim-y' })).toHaveLength(3);
    expect((await records.trim('syncAPI', 'trim-y', 0)).deleted).toBe(3);
    expect((await records.trim('syncAPI', 'nobody', 5)).deleted).toBe(0);
  });

  it('trims many records at once (in several chunks where the store deletes in chunks)', async () => {
    const records = getStore().taskRecords;
    const ids = Array.from({ length: 67 }, (_, i) => `many-${String(i).padStart(2, '0')}`);
    await records.writeBatch(
      ids.map((id, i) => taskRecord(id, { origin: 'cronJob', originId: 'many', triggerTimeMs: 5000 + i, status: 'success' })),
      [],
    );
    await records.insert(taskRecord('other-origin', { origin: 'cronJob', originId: 'not-many', triggerTimeMs: 1 }));
    expect((await records.trim('cronJob', 'many', 4)).deleted).toBe(63);
    expect((await records.list({ originId: 'many' })).map((r) => r.id)).toEqual(['many-66', 'many-65', 'many-64', 'many-63']);
    expect((await records.trim('cronJob', 'many', 0)).deleted).toBe(4);
    expect(await records.list({ originId: 'not-many' })).toHaveLength(1);
  });

  it('trims from an earlier cutoff on: finished records before it stay until a trim from the start', async () => {
    const records = getStore().taskRecords;
    const add = (id: string, triggerTimeMs: number, status = 'success') => records.insert(taskRecord(id, { origin: 'asyncAPI', originId: 'win', triggerTimeMs, status }));
    await add('win-0', 100, 'queued'); // a backlog's oldest, still queued at the first trim
    for (let i = 1; i <= 5; i++) await add(`win-${i}`, 100 + i);
    const first = await records.trim('asyncAPI', 'win', 2);
    expect(first).toEqual({ deleted: 3, cutoff: { triggerTimeMs: 104, id: 'win-4' } });
    await records.update('win-0', { status: 'success' });
    for (let i = 6; i <= 8; i++) await add(`win-${i}`, 104); // ties with the cutoff, after it by id
    await add('win-39', 104); // a tie before it by id
    await add('win-9', 110);
    // From the old cutoff on: win-4 itself and the ties after it go; win-0 and win-39, before it, stay.
    const second = await records.trim('asyncAPI', 'win', 2, first.cutoff);
    expect(second).toEqual({ deleted: 4, cutoff: { triggerTimeMs: 105, id: 'win-5' } });
    expect((await records.list({ originId: 'win' })).map((r) => r.id)).toEqual(['win-9', 'win-5', 'win-39', 'win-0']);
    // A raised limit: the cutoff is older than the window's start, nothing is in between.
    expect(await records.trim('asyncAPI', 'win', 3, second.cutoff)).toEqual({ deleted: 0, cutoff: { triggerTimeMs: 104, id: 'win-39' } });
    expect((await records.trim('asyncAPI', 'win', 2, second.cutoff)).deleted).toBe(0);
    expect((await records.trim('asyncAPI', 'win', 2)).deleted).toBe(2);
    expect((await records.list({ originId: 'win' })).map((r) => r.id)).toEqual(['win-9', 'win-5']);
  });

  it('reads the timings of tasks that ran and ended since a time, newest first, capped', async () => {
    const records = getStore().taskRecords;
    const t = 1_730_000_000_000;
    const ran = (id: string, queue: number, trigger: number, start: number | null, end: number | null, status = 'success'): Promise<void> =>
      records.insert(taskRecord(id, { queue, status, triggerTimeMs: trigger, startTimeMs: start, endTimeMs: end }));
    await ran('tm-1', 3, t + 10, t + 20, t + 520);
    await ran('tm-2', 3, t + 30, t + 40, t + 340, 'failure');
    await ran('tm-3', 8, t + 50, t + 60, t + 1060, 'timeout');
    // Triggered before the window, ended in it: counts (within the look-back).
    await ran('tm-4', 8, t - 60_000, t - 1000, t + 5);
    // Ended before the window, still running, never started, or too old to look at: do not.
    await ran('tm-5', 3, t - 60_000, t - 50_000, t - 1);
    await ran('tm-6', 3, t + 70, t + 80, null, 'running');
    await ran('tm-7', 3, t + 90, null, null, 'queued');
    await ran('tm-8', 3, t + 95, null, t + 95, 'expired');
    await ran('tm-9', 3, t - TIMING_LOOKBACK_MS - 1, t - 10, t + 1);
    const timings = await records.timingsSince(t, 100);
    expect(timings).toEqual([
      { queue: 8, startTimeMs: t + 60, endTimeMs: t + 1060 },
      { queue: 3, startTimeMs: t + 40, endTimeMs: t + 340 },
      { queue: 3, startTimeMs: t + 20, endTimeMs: t + 520 },
      { queue: 8, startTimeMs: t - 1000, endTimeMs: t + 5 },
    ]);
    expect(await records.timingsSince(t, 2)).toEqual(timings.slice(0, 2));
    expect(await records.timingsSince(t + 600, 100)).toEqual([{ queue: 8, startTimeMs: t + 60, endTimeMs: t + 1060 }]);
    expect(await records.timingsSince(t, 0)).toEqual([]);
  });
}
