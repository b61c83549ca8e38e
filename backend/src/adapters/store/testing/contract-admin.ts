/** Contract: operation records, script recover points, system settings, expiring values, task record counts. */
import { expect, it } from 'vitest';
import type { OperationRecordRow, RecoverPointData } from '../../../domain/ports/admin-store.js';
import { taskRecord } from './fixtures.js';
import type { GetStore } from './store-contract.js';

export function operationRecord(n: number, patch: Partial<OperationRecordRow> = {}): OperationRecordRow {
  return {
    id: `oprd-contract-${n}`,
    userId: 'u-1',
    username: 'admin',
    operationId: 'addCronJob',
    traceId: `TRACE-${n}`,
    clientId: null,
    clientIPsJSON: ['127.0.0.1'],
    reqMethod: 'POST',
    reqRoute: '/api/v1/cron-jobs/do/add',
    reqURL: '/api/v1/cron-jobs/do/add',
    reqParamsJSON: null,
    reqQueryJSON: null,
    reqBodyJSON: { data: { id: `job-${n}`, note: 'ünïcode ✓' } },
    respStatusCode: 200,
    respReason: null,
    reqCost: 3,
    createTime: 1_000 + n,
    ...patch,
  };
}

const snapshot = (sets: number): RecoverPointData => ({
  scriptSets: Array.from({ length: sets }, (_, i) => ({ id: `s${i}`, title: null, description: null, requirements: null })),
  scripts: [{ id: 's0__main', scriptSetId: 's0', title: 'Main', description: null, code: null, codeDraft: 'x = 1\n' }],
});

export function adminContract(getStore: GetStore): void {
  it('operation records: written in one go, listed newest first with filters, counted, trimmed to the newest', async () => {
    const ops = getStore().operationRecords;
    await ops.insertMany(
      [1, 2, 3, 4, 5].map((n) => operationRecord(n, n === 4 ? { userId: 'u-2', username: 'dev', respStatusCode: 400, respReason: 'EClientBadRequest', reqMethod: 'GET' } : {})),
    );
    await ops.insertMany([]);
    const all = await ops.list({});
    expect(all.map((r) => r.id).slice(0, 5)).toEqual([5, 4, 3, 2, 1].map((n) => `oprd-contract-${n}`));
    expect(all[0]).toEqual(operationRecord(5));
    expect((await ops.list({ userId: ['u-2'] })).map((r) => r.id)).toEqual(['oprd-contract-4']);
    expect((await ops.list({ respStatusCode: 400, username: ['dev', 'nobody'] })).length).toBe(1);
    expect((await ops.list({ reqMethod: ['POST'], reqRoute: 'cron-jobs/do' })).length).toBe(4);
    expect(await ops.list({ reqRoute: '100%_' })).toEqual([]);
    expect((await ops.list({ since: 1_002, until: 1_003 })).map((r) => r.id)).toEqual(['oprd-contract-3', 'oprd-contract-2']);
    expect(await ops.list({ id: [] })).toEqual([]);
    expect((await ops.list({}, { limit: 2, offset: 1 })).map((r) => r.id)).toEqual(['oprd-contract-4', 'oprd-contract-3']);
    expect(await ops.count({ reqMethod: ['POST'] })).toBe(4);
    expect(await ops.trim(3)).toBe(2);
    expect((await ops.list({})).map((r) => r.id)).toEqual(['oprd-contract-5', 'oprd-contract-4', 'oprd-contract-3']);
    expect(await ops.trim(3)).toBe(0);
    expect(await ops.trim(0)).toBe(3);
  });

  it('recover points: stored whole, listed as summaries newest first, filtered, trimmed, deleted', async () => {
    const points = getStore().recoverPoints;
    await points.insert({ id: 'srpt-a', type: 'manual', note: 'first 100%', exportData: snapshot(1), createTime: 10 });
    await points.insert({ id: 'srpt-b', type: 'import', note: null, exportData: snapshot(2), createTime: 20 });
    await points.insert({ id: 'srpt-c', type: 'recover', note: 'third', exportData: snapshot(3), createTime: 30 });
    expect(await points.get('srpt-a')).toEqual({ id: 'srpt-a', type: 'manual', note: 'first 100%', exportData: snapshot(1), createTime: 10 });
    expect(await points.get('srpt-none')).toBeUndefined();
    expect(await points.list({})).toEqual([
      { id: 'srpt-c', type: 'recover', note: 'third', scriptSetCount: 3, scriptCount: 1, createTime: 30 },
      { id: 'srpt-b', type: 'import', note: null, scriptSetCount: 2, scriptCount: 1, createTime: 20 },
      { id: 'srpt-a', type: 'manual', note: 'first 100%', scriptSetCount: 1, scriptCount: 1, createTime: 10 },
    ]);
    expect((await points.list({ type: ['manual', 'import'] })).map((p) => p.id)).toEqual(['srpt-b', 'srpt-a']);
    expect((await points.list({ note: '100%' })).map((p) => p.id)).toEqual(['srpt-a']);
    expect((await points.list({ id: ['srpt-c'] }, { limit: 5 })).map((p) => p.id)).toEqual(['srpt-c']);
    expect(await points.trim(2)).toBe(1);
    expect(await points.get('srpt-a')).toBeUndefined();
    expect(await points.delete('srpt-b')).toBe(true);
    expect(await points.delete('srpt-b')).toBe(false);
    await points.trim(0);
  });

  it('script-set export and import history: each its own table, summaries kept whole, newest first, filtered by id and note, paged', async () => {
    const store = getStore();
    const row = (id: string, note: string | null, time: number) => ({
      id,
      note,
      summaryJSON: { scriptSets: [{ id: `set_${id}`, title: 'ß 漢' }], n: time },
      createTime: time,
      updateTime: time,
    });
    await store.scriptSetExportHistory.insert(row('ex-1', 'before 100% of it', 10));
    await store.scriptSetExportHistory.insert(row('ex-2', null, 20));
    await store.scriptSetExportHistory.insert(row('ex-3', 'after', 30));
    await store.scriptSetImportHistory.insert(row('im-1', 'imported', 40));
    const ids = (rows: { id: string }[]): string[] => rows.map((r) => r.id);
    const all = await store.scriptSetExportHistory.list({});
    expect(ids(all)).toEqual(['ex-3', 'ex-2', 'ex-1']);
    expect(all[2]).toMatchObject(row('ex-1', 'before 100% of it', 10));
    expect(ids(await store.scriptSetExportHistory.list({ note: '100%' }))).toEqual(['ex-1']);
    expect(ids(await store.scriptSetExportHistory.list({ note: '0_' }))).toEqual([]);
    expect(ids(await store.scriptSetExportHistory.list({ id: ['ex-1', 'ex-3'] }))).toEqual(['ex-3', 'ex-1']);
    expect(ids(await store.scriptSetExportHistory.list({ id: [] }))).toEqual([]);
    expect(ids(await store.scriptSetExportHistory.list({}, { limit: 1, offset: 1 }))).toEqual(['ex-2']);
    expect(ids(await store.scriptSetImportHistory.list({}))).toEqual(['im-1']);
  });

  it('system settings: only what was set, overwritten, deleted', async () => {
    const settings = getStore().settings;
    expect(await settings.all()).toEqual({});
    await settings.set('NOTICE_BAR_TEXT', 'hello', 1);
    await settings.set('NOTICE_BAR_ENABLED', true, 1);
    await settings.set('NOTICE_BAR_TEXT', { nested: ['ü'] }, 2);
    expect(await settings.all()).toEqual({ NOTICE_BAR_TEXT: { nested: ['ü'] }, NOTICE_BAR_ENABLED: true });
    expect(await settings.delete('NOTICE_BAR_TEXT')).toBe(true);
    expect(await settings.delete('NOTICE_BAR_TEXT')).toBe(false);
    expect(await settings.all()).toEqual({ NOTICE_BAR_ENABLED: true });
    await settings.delete('NOTICE_BAR_ENABLED');
  });

  it('expiring values: read until they expire, taken once, pruned', async () => {
    const values = getStore().expiring;
    await values.set('tempFlag:a', 123, 1_000, 0);
    await values.set('tempFlag:forever', { v: 1 }, null, 0);
    expect(await values.get('tempFlag:a', 999)).toEqual({ value: 123, expireAt: 1_000 });
    expect(await values.get('tempFlag:a', 1_000)).toBeUndefined();
    expect(await values.get('tempFlag:forever', 1e12)).toEqual({ value: { v: 1 }, expireAt: null });
    await values.set('tempFlag:a', 'again', 5_000, 1_000);
    expect((await values.get('tempFlag:a', 1_001))?.value).toBe('again');
    await values.set('captcha:x', '0042', 2_000, 0);
    const takes = await Promise.all([values.take('captcha:x', 10), values.take('captcha:x', 10)]);
    expect(takes.filter((v) => v === '0042').length).toBe(1);
    expect(await values.take('captcha:x', 10)).toBeUndefined();
    await values.set('captcha:old', '1', 100, 0);
    expect(await values.take('captcha:old', 100)).toBeUndefined();
    expect(await values.prune(6_000)).toBeGreaterThanOrEqual(2);
    expect(await values.get('tempFlag:forever', 6_000)).toBeDefined();
    expect(await values.delete('tempFlag:forever')).toBe(true);
    expect(await values.delete('tempFlag:forever')).toBe(false);
  });

  it('task records counted per function or origin, for the ids asked only', async () => {
    const records = getStore().taskRecords;
    await records.insert(taskRecord('cnt-1', { funcId: 'cnt__a.f', originId: 'cnt-api-1' }));
    await records.insert(taskRecord('cnt-2', { funcId: 'cnt__a.f', originId: 'cnt-api-2' }));
    await records.insert(taskRecord('cnt-3', { funcId: 'cnt__a.g', originId: 'cnt-api-2' }));
    expect(await records.countBy('funcId', ['cnt__a.f', 'cnt__a.g', 'cnt__none.h'])).toEqual({ 'cnt__a.f': 2, 'cnt__a.g': 1 });
    expect(await records.countBy('originId', ['cnt-api-2'])).toEqual({ 'cnt-api-2': 2 });
    expect(await records.countBy('originId', [])).toEqual({});
  });
}
