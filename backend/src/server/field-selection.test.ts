/** DataFlux Func's `fields` selection, and the operations that take it. */
import { describe, expect, it } from 'vitest';
import { operations } from '../../../contract/index.js';
import { fieldSelectionOf, selectFields } from './field-selection.js';

describe('field selection', () => {
  it('reads fields as DataFlux Func does: a comma list, a leading - leaves them out', () => {
    expect(fieldSelectionOf({ fields: 'id, title' })).toEqual({ drop: false, names: ['id', 'title'] });
    expect(fieldSelectionOf({ fields: '-a,b' })).toEqual({ drop: true, names: ['a', 'b'] });
    expect(fieldSelectionOf({ fields: '-,a,b' })).toEqual({ drop: true, names: ['a', 'b'] });
    expect(fieldSelectionOf({ fields: ['a', 'b,c'] })).toEqual({ drop: false, names: ['a', 'b', 'c'] });
    expect(fieldSelectionOf({ fields: '' })).toBeUndefined();
    expect(fieldSelectionOf({})).toBeUndefined();
    expect(() => fieldSelectionOf({ fields: { a: 'x' } })).toThrow(expect.objectContaining({ detail: { field: 'query.fields' } }) as Error);
  });

  it('picks or drops the fields of each row, names a row lacks ignored', () => {
    const rows = [{ id: 1, title: 't', note: 'n' }, 'not a row'];
    expect(selectFields(rows, { drop: false, names: ['title', 'id', 'nope'] })).toEqual([{ title: 't', id: 1 }, 'not a row']);
    expect(selectFields(rows, { drop: true, names: ['note', 'nope'] })).toEqual([{ id: 1, title: 't' }, 'not a row']);
    expect(selectFields({ id: 1, secret: 's' }, { drop: false, names: ['id'] })).toEqual({ id: 1 });
  });

  it("is taken by the operations of DataFlux Func's routes marked fieldSelecting in its route.yaml", () => {
    const selecting = Object.values(operations)
      .filter((op) => op.fieldSelecting === true)
      .map((op) => op.id)
      .sort();
    expect(selecting).toEqual(
      [
        // users list, get; access keys list, get
        'listUsers',
        'getUser',
        'listAccessKeys',
        'getAccessKey',
        'listScriptSets',
        'listScripts',
        'listFuncs',
        'listScriptRecoverPoints',
        'listScriptPublishHistory',
        'listScriptSetExportHistory',
        'listScriptSetImportHistory',
        'listScriptMarkets',
        'listConnectors',
        'listEnvVariables',
        'listApiAuths',
        // sync APIs (auth-links), async APIs (batches), cron jobs (crontab-configs)
        'listSyncApis',
        'listAsyncApis',
        'listCronJobs',
        // task-records/do/list and task-records/func/do/list
        'listTaskRecords',
        'listOperationRecords',
        'listFileServices',
        'listBlueprints',
      ].sort(),
    );
  });
});
