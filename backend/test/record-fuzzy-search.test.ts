/**
 * DataFlux Func's `_fuzzySearch` on the record lists (task records, operation records, publish
 * history): any field its route.yaml names holds the text, whatever its case, searched by the store
 * over what it keeps (request bodies already masked, so a secret is never found).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestStack, type TestStack } from '../src/testing/test-stack.js';

let t: TestStack;

const rows = async (url: string): Promise<Record<string, unknown>[]> => {
  const r = await t.admin('GET', url);
  expect(r.status, r.text).toBe(200);
  return r.data as Record<string, unknown>[];
};

beforeAll(async () => {
  t = await startTestStack();
  await t.publish(
    'rfz__main',
    "@DFF.API('Loud')\ndef loud():\n    print('Shouting 100% Zebra')\n    return {'color': 'Magenta'}\n\n@DFF.API('Quiet')\ndef quiet(word=None):\n    return 1\n",
  );
}, 60_000);
afterAll(async () => t?.close());

const FUNC_LIST = 'task-records/func/do/list';

describe('_fuzzySearch on the record lists', () => {
  it('task records: logs, return value, ids, status, on both paths; the arguments are not searched', async () => {
    for (const [funcId, kwargs] of [
      ['rfz__main.loud', {}],
      ['rfz__main.quiet', { word: 'Ostrich' }],
    ] as const) {
      const r = await t.admin('POST', `/api/v1/func/${funcId}`, { kwargs });
      expect(r.status, r.text).toBe(200);
    }
    // A record's end is written after the answer: wait for both.
    await eventually(async () => ((await rows(`/api/v1/${FUNC_LIST}?status=success`)).length === 2 ? true : undefined));
    const funcs = async (path: string, search: string): Promise<string[]> =>
      (await rows(`/api/v1/${path}?_fuzzySearch=${encodeURIComponent(search)}`)).map((x) => x.funcId as string).sort();
    expect(await funcs(FUNC_LIST, 'zebra')).toEqual(['rfz__main.loud']);
    expect(await funcs(FUNC_LIST, '100%')).toEqual(['rfz__main.loud']);
    expect(await funcs(FUNC_LIST, '1_0')).toEqual([]);
    expect(await funcs(FUNC_LIST, 'MAGENTA')).toEqual(['rfz__main.loud']);
    expect(await funcs(FUNC_LIST, 'rfz__main.QUIET')).toEqual(['rfz__main.quiet']);
    expect(await funcs('task-records/do/list', 'zebra')).toEqual(['rfz__main.loud']);
    expect(await funcs(FUNC_LIST, 'success')).toEqual(['rfz__main.loud', 'rfz__main.quiet']);
    expect(await funcs(FUNC_LIST, 'ostrich')).toEqual([]);
    expect(await funcs(FUNC_LIST, '')).toEqual(['rfz__main.loud', 'rfz__main.quiet']);
  });

  it('operation records: the masked request body, never the secret it held', async () => {
    const add = await t.admin('POST', '/api/v1/env-variables/do/add', { data: { id: 'rfz_secret', valueTEXT: 'hunter-Sekret', autoTypeCasting: 'password' } });
    expect(add.status, add.text).toBe(200);
    const found = await eventually(async () => {
      const r = await rows('/api/v1/operation-records/do/list?_fuzzySearch=RFZ_SECRET');
      return r.length > 0 ? r : undefined;
    });
    expect(found.map((r) => r.operationId)).toEqual(['addEnvVariable']);
    expect(await rows('/api/v1/operation-records/do/list?_fuzzySearch=sekret')).toEqual([]);
    expect((await rows('/api/v1/operation-records/do/list?_fuzzySearch=env-variables/do/add')).length).toBe(1);
  });

  it('publish history: the script id, the published code, the note', async () => {
    const versions = async (search: string): Promise<number[]> =>
      (await rows(`/api/v1/script-publish-history/do/list?_fuzzySearch=${encodeURIComponent(search)}`)).map((h) => h.scriptPublishVersion as number);
    expect(await versions('shouting 100%')).toEqual([1]);
    expect(await versions('RFZ__MAIN')).toEqual([1]);
    expect(await versions('no such code')).toEqual([]);
  });

  it('refuses a _fuzzySearch that is not text, naming it', async () => {
    for (const path of ['task-records/func/do/list', 'task-records/do/list', 'operation-records/do/list', 'script-publish-history/do/list']) {
      const r = await t.admin('GET', `/api/v1/${path}?_fuzzySearch[a]=1`);
      expect(r.status, r.text).toBe(400);
      expect(r.body.detail?.field).toBe('query._fuzzySearch');
    }
  });
});
