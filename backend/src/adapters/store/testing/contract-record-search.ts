/** Contract: searching the record tables for text in any of several columns (DataFlux Func's `_fuzzySearch`). */
import { expect, it } from 'vitest';
import type { AnyContains, TaskRecordRow } from '../../../domain/ports/store.js';
import { operationRecord } from './contract-admin.js';
import { ENTITY_CASES, taskRecord } from './fixtures.js';
import type { GetStore } from './store-contract.js';

type TaskColumn = keyof TaskRecordRow;

export function recordSearchContract(getStore: GetStore): void {
  it('task records: any of the columns holds the text, whatever its case, LIKE characters plain, JSON as its text, with the other filters', async () => {
    const records = getStore().taskRecords;
    const t = 1_731_777_000_000;
    await records.insert(taskRecord('fz-1', { status: 'failure', exceptionType: 'ValueError', exceptionTEXT: 'Bad Input 100%', triggerTimeMs: t + 1 }));
    await records.insert(taskRecord('fz-2', { status: 'success', returnValueJSON: { total: 'Émile_Zola' }, printLogsTEXT: 'ran fine', triggerTimeMs: t + 2 }));
    await records.insert(taskRecord('fz-3', { status: 'success', kwargsJSON: { secretWord: 'valueerror' }, triggerTimeMs: t + 3 }));
    const columns: TaskColumn[] = ['id', 'exceptionType', 'exceptionTEXT', 'printLogsTEXT', 'returnValueJSON', 'status'];
    const ids = async (text: string, more: { status?: string } = {}): Promise<string[]> =>
      (await records.list({ since: t, until: t + 10, anyContains: { columns, text }, ...more })).map((r) => r.id);
    expect(await ids('VALUEERROR')).toEqual(['fz-1']);
    expect(await ids('input 100%')).toEqual(['fz-1']);
    expect(await ids('0%')).toEqual(['fz-1']);
    expect(await ids('1_0')).toEqual([]);
    expect(await ids('e_z')).toEqual(['fz-2']);
    expect(await ids('"total"')).toEqual(['fz-2']);
    expect(await ids('RAN FINE')).toEqual(['fz-2']);
    expect(await ids('success')).toEqual(['fz-3', 'fz-2']);
    expect(await ids('success', { status: 'failure' })).toEqual([]);
    expect(await ids('FZ-')).toEqual(['fz-3', 'fz-2', 'fz-1']);
    expect(await ids('')).toEqual(['fz-3', 'fz-2', 'fz-1']);
    // A column not named is not searched (here the arguments).
    expect(await ids('secretWord')).toEqual([]);
    const unknown = { columns: ['nope'], text: 'x' } as unknown as AnyContains<TaskColumn>;
    await expect(records.list({ anyContains: unknown })).rejects.toThrow(/unknown field nope/);
  });

  it('operation records: the stored (masked) body, the query and the status code are searched as text', async () => {
    const ops = getStore().operationRecords;
    await ops.insertMany([
      operationRecord(901, { reqBodyJSON: { data: { password: '***', title: 'Nightly Job' } }, createTime: 9_001 }),
      operationRecord(902, { reqQueryJSON: { q: 'Needle' }, respStatusCode: 404, respReason: 'EClientNotFound', createTime: 9_002 }),
    ]);
    const columns = ['reqBodyJSON', 'reqQueryJSON', 'respStatusCode', 'respReason'] as const;
    const ids = async (text: string): Promise<string[]> => (await ops.list({ since: 9_000, until: 9_010, anyContains: { columns, text } })).map((r) => r.id);
    expect(await ids('nightly job')).toEqual(['oprd-contract-901']);
    expect(await ids('NEEDLE')).toEqual(['oprd-contract-902']);
    expect(await ids('404')).toEqual(['oprd-contract-902']);
    expect(await ids('notfound')).toEqual(['oprd-contract-902']);
    expect(await ids('***')).toEqual(['oprd-contract-901']);
    expect(await ops.count({ since: 9_000, until: 9_010, anyContains: { columns, text: 'needle' } })).toBe(1);
    await ops.trim(0);
  });

  it('publish history: the script id, the published code and the note', async () => {
    const store = getStore();
    await store.entity('scripts').insert(ENTITY_CASES.scripts.row('fz__pub', 1));
    await store.scripts.publish({ scriptId: 'fz__pub', code: 'def Hello():\n    pass\n', codeMD5: 'h1', note: 'First Cut', funcs: [], now: 10 });
    await store.scripts.publish({ scriptId: 'fz__pub', code: 'x = 1\n', codeMD5: 'h2', note: null, funcs: [], now: 20 });
    const versions = async (text: string): Promise<number[]> =>
      (await store.scripts.listHistory({ scriptId: ['fz__pub'], anyContains: { columns: ['scriptId', 'code', 'note'], text } }, { limit: 10, offset: 0 }, false)).map(
        (h) => h.publishVersion,
      );
    expect(await versions('hello()')).toEqual([1]);
    expect(await versions('first cut')).toEqual([1]);
    expect(await versions('FZ__PUB')).toEqual([2, 1]);
    expect(await versions('x = 2')).toEqual([]);
  });
}
