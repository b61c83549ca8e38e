/**
 * DataFlux Func's routes beside the core CRUD, called as its clients call them, on a real stack:
 * the old names (auth-links + /al, batches + /bat, crontab-configs, `crontab`, an API auth's
 * `name`), GET deletes, add-many / modify-many / delete-many, a cron job's recent triggers, the
 * function catalog and API docs lists, describe, overview, func-many.
 */
import { describe, expect, it } from 'vitest';
import { eventually, useTestStack, type ApiResponse } from '../src/testing/test-stack.js';
import { funcApiEntry } from '../../contract/operations/func-catalog.js';

const CODE = `@DFF.API('Add', category='math', tags=['calc', 'k|v'])
def add(x, y):
    return x + y

@DFF.API('Hello', tags=['greet'])
def hello(name='world'):
    return 'hello ' + name
`;

const t = useTestStack({ compat__fn: CODE });
const ADD = 'compat__fn.add';
const HELLO = 'compat__fn.hello';

function ok(r: ApiResponse): unknown {
  expect(r.status, r.text).toBe(200);
  return r.body.data;
}
function refused(r: ApiResponse, status: number, field: string | RegExp): void {
  expect(r.status, r.text).toBe(status);
  // The field as the contract names it: its place in the request (body., query., params.) first.
  if (typeof field === 'string') expect(r.body.detail?.field, r.text).toMatch(new RegExp(`^((body|query|params)\\.)?${field.replace(/\./g, '\\.')}$`));
  else expect(r.body.message, r.text).toMatch(field);
}
/** A task's record once it ended. */
async function ended(taskId: string): Promise<Record<string, unknown>> {
  return eventually(
    async () => {
      const task = ok(await t.admin('GET', `/api/v1/tasks/${taskId}`)) as Record<string, unknown>;
      return ['queued', 'running'].includes(task.status as string) ? undefined : task;
    },
    30_000,
    `task ${taskId} to end`,
  );
}
const ids = (rows: unknown): string[] => (rows as { id: string }[]).map((r) => r.id).sort();

describe('old names: the same entities and calls', () => {
  it('auth-links are the sync APIs: add, list, get, modify, GET delete, and called at /al/:id', async () => {
    const id = (ok(await t.admin('POST', '/api/v1/auth-links/do/add', { data: { funcId: ADD, funcCallKwargsJSON: { x: 'INPUT_BY_CALLER', y: 2 } } })) as { id: string }).id;
    expect(ids(ok(await t.admin('GET', `/api/v1/sync-apis/do/list?id=${id}`)))).toEqual([id]);
    expect(ok(await t.admin('GET', `/api/v1/auth-links/${id}/do/get`))).toMatchObject({ id, funcId: ADD });
    ok(await t.admin('POST', `/api/v1/auth-links/${id}/do/modify`, { data: { note: 'old name' } }));
    expect(ok(await t.admin('GET', `/api/v1/sync-apis/${id}/do/get`))).toMatchObject({ note: 'old name' });
    expect((await t.api('POST', `/api/v1/al/${id}/simplified`, { x: 40 })).text).toBe('42');
    expect((await t.api('POST', `/api/v1/al/${id}`, { kwargs: { x: 1 } })).text).toBe('3');
    // A path after the format, as DataFlux Func's routes take it.
    expect((await t.api('POST', `/api/v1/al/${id}/s/any/thing`, { x: 2 })).text).toBe('4');
    expect((await t.api('POST', `/api/v1/sync/${id}/simplified/more`, { x: 3 })).text).toBe('5');
    expect(ok(await t.admin('GET', `/api/v1/auth-links/${id}/do/delete`))).toEqual({ id });
    expect(ok(await t.admin('GET', `/api/v1/sync-apis/do/list?id=${id}`))).toEqual([]);
    refused(await t.admin('POST', '/api/v1/auth-links/do/add', { data: { funcId: 'not a func', funcCallKwargsJSON: {} } }), 400, 'data.funcId');
  });

  it('batches are the async APIs, called at /bat/:id', async () => {
    const id = await t.add('/api/v1/batches/do/add', { funcId: HELLO, funcCallKwargsJSON: { name: 'INPUT_BY_CALLER' } });
    expect(ids(ok(await t.admin('GET', `/api/v1/async-apis/do/list?id=${id}`)))).toEqual([id]);
    const taskId = (ok(await t.api('POST', `/api/v1/bat/${id}`, { kwargs: { name: 'batch' } })) as { id: string }).id;
    expect(await ended(taskId)).toMatchObject({ status: 'success', returnValueJSON: 'hello batch' });
    const viaPath = (ok(await t.api('GET', `/api/v1/bat/${id}/simplified/sub/path?name=tail`)) as { id: string }).id;
    expect(await ended(viaPath)).toMatchObject({ status: 'success', returnValueJSON: 'hello tail' });
    expect(ok(await t.admin('GET', `/api/v1/batches/${id}/do/delete`))).toEqual({ id });
    refused(await t.admin('GET', `/api/v1/batches/${id}/do/get`), 404, 'id');
  });

  it('crontab-configs are the cron jobs, `crontab` the old name of cronExpr (in and out)', async () => {
    const id = await t.add('/api/v1/crontab-configs/do/add', { funcId: ADD, funcCallKwargsJSON: { x: 1, y: 2 }, crontab: '*/5 * * * *' });
    expect(ok(await t.admin('GET', `/api/v1/cron-jobs/${id}/do/get`))).toMatchObject({ cronExpr: '*/5 * * * *', crontab: '*/5 * * * *' });
    ok(await t.admin('POST', `/api/v1/crontab-configs/${id}/do/modify`, { data: { crontab: '0 * * * *' } }));
    const [row] = ok(await t.admin('GET', `/api/v1/crontab-configs/do/list?id=${id}`)) as Record<string, unknown>[];
    expect(row).toMatchObject({ id, cronExpr: '0 * * * *', crontab: '0 * * * *' });
    // The new name wins when both come.
    ok(await t.admin('POST', `/api/v1/cron-jobs/${id}/do/modify`, { data: { cronExpr: '1 * * * *', crontab: '2 * * * *' } }));
    expect(ok(await t.admin('GET', `/api/v1/cron-jobs/${id}/do/get`))).toMatchObject({ cronExpr: '1 * * * *' });
    refused(await t.admin('POST', `/api/v1/crontab-configs/${id}/do/modify`, { data: { crontab: 'every day' } }), 400, 'cronExpr');
    ok(await t.admin('GET', `/api/v1/crontab-configs/${id}/do/delete`));
  });

  it('a cron job without an expression is kept, as DataFlux Func keeps it, and never fires by itself', async () => {
    const id = await t.add('/api/v1/cron-jobs/do/add', { funcId: ADD, funcCallKwargsJSON: { x: 1, y: 2 } });
    expect(ok(await t.admin('GET', `/api/v1/cron-jobs/${id}/do/get`))).toMatchObject({ cronExpr: null, crontab: null, nextRunTime: null });
  });

  it("add takes `id: null` as no id, as DataFlux Func's console sends it when the id is not customised", async () => {
    const adds: [string, Record<string, unknown>][] = [
      ['sync-apis', { funcId: HELLO, funcCallKwargsJSON: {} }],
      ['auth-links', { funcId: HELLO, funcCallKwargsJSON: {} }],
      ['async-apis', { funcId: HELLO, funcCallKwargsJSON: {} }],
      ['batches', { funcId: HELLO, funcCallKwargsJSON: {} }],
      ['cron-jobs', { funcId: HELLO, funcCallKwargsJSON: {}, cronExpr: '0 * * * *' }],
      ['crontab-configs', { funcId: HELLO, funcCallKwargsJSON: {}, crontab: '0 * * * *' }],
      ['api-auth', { type: 'fixedField', configJSON: { fields: [{ location: 'header', name: 'x-k', value: 'v' }] } }],
      ['file-services', { root: '/' }],
    ];
    for (const [segment, data] of adds) {
      const added = ok(await t.admin('POST', `/api/v1/${segment}/do/add`, { data: { id: null, ...data } })) as { id: string };
      expect(added.id, segment).toMatch(/^[a-z]+-[0-9a-z]+$/);
      ok(await t.admin('GET', `/api/v1/${segment}/${added.id}/do/delete`));
    }
  });

  it("lists and gets APIs and cron jobs with their function joined, as DataFlux Func's console reads them (func_*, scpt_id, sset_id)", async () => {
    const sapi = await t.add('/api/v1/sync-apis/do/add', { funcId: HELLO, funcCallKwargsJSON: { name: 'INPUT_BY_CALLER' } });
    const cron = await t.add('/api/v1/cron-jobs/do/add', { funcId: HELLO, funcCallKwargsJSON: {}, cronExpr: '0 * * * *' });
    const joined = { func_id: HELLO, func_name: 'hello', func_title: 'Hello', func_tagsJSON: ['greet'], scpt_id: 'compat__fn', sset_id: 'compat' };
    const [listed] = ok(await t.admin('GET', `/api/v1/sync-apis/do/list?id=${sapi}`)) as Record<string, unknown>[];
    expect(listed).toMatchObject(joined);
    expect(listed!.func_extraConfigJSON).toBeTypeOf('object');
    expect(ok(await t.admin('GET', `/api/v1/cron-jobs/${cron}/do/get`))).toMatchObject(joined);
    // Task records too (its console shows the function's title beside each run).
    const run = (ok(await t.admin('POST', `/api/v1/func/${HELLO}`, { kwargs: {}, options: { async: true } })) as { id: string }).id;
    await ended(run);
    const [record] = ok(await t.admin('GET', `/api/v1/task-records/func/do/list?id=${run}`)) as Record<string, unknown>[];
    expect(record).toMatchObject(joined);
    ok(await t.admin('GET', `/api/v1/sync-apis/${sapi}/do/delete`));
    ok(await t.admin('GET', `/api/v1/cron-jobs/${cron}/do/delete`));
  });

  it("a list asked for a page size says where the page is (pageInfo, as DataFlux Func's console draws its pager from it)", async () => {
    const ids = [
      await t.add('/api/v1/sync-apis/do/add', { funcId: HELLO, funcCallKwargsJSON: {} }),
      await t.add('/api/v1/sync-apis/do/add', { funcId: HELLO, funcCallKwargsJSON: {} }),
    ];
    const first = await t.admin('GET', '/api/v1/sync-apis/do/list?pageSize=1');
    expect((first.body as Record<string, unknown>).pageInfo).toEqual({ pagingStyle: 'normal', pageSize: 1, pageNumber: 1, count: 1, isFirstPage: true });
    const later = await t.admin('GET', '/api/v1/task-records/func/do/list?pageSize=50&pageNumber=1000');
    expect((later.body as Record<string, unknown>).pageInfo).toEqual({ pagingStyle: 'normal', pageSize: 50, pageNumber: 1000, count: 0, isFirstPage: false });
    // Not asked for a page size, or not a list: no pageInfo.
    expect((await t.admin('GET', '/api/v1/sync-apis/do/list')).body).not.toHaveProperty('pageInfo');
    expect((await t.admin('GET', `/api/v1/sync-apis/${ids[0]!}/do/get`)).body).not.toHaveProperty('pageInfo');
    for (const id of ids) ok(await t.admin('GET', `/api/v1/sync-apis/${id}/do/delete`));
  });

  it("script markets: none listed and no update, as DataFlux Func's console asks on every load (Func keeps no script market)", async () => {
    expect(ok(await t.admin('GET', '/api/v1/script-markets/do/list'))).toEqual([]);
    expect(ok(await t.admin('GET', '/api/v1/script-markets/do/check-update?scriptMarketId=smkt-x'))).toEqual([]);
    expect((await t.api('GET', '/api/v1/script-markets/do/check-update')).status).toBe(401);
    refused(await t.admin('POST', '/api/v1/script-markets/do/add', { data: {} }), 404, 'url');
  });

  it("an API auth's `name` is its title", async () => {
    const id = await t.add('/api/v1/api-auth/do/add', { type: 'fixedField', name: 'By name', configJSON: { fields: [{ location: 'header', name: 'x-k', value: 'v' }] } });
    expect(ok(await t.admin('GET', `/api/v1/api-auth/${id}/do/get`))).toMatchObject({ title: 'By name', name: 'By name' });
    ok(await t.admin('POST', `/api/v1/api-auth/${id}/do/modify`, { data: { name: 'Renamed' } }));
    const [row] = ok(await t.admin('GET', `/api/v1/api-auth/do/list?id=${id}`)) as Record<string, unknown>[];
    expect(row).toMatchObject({ title: 'Renamed', name: 'Renamed' });
    ok(await t.admin('GET', `/api/v1/api-auth/${id}/do/delete`));
  });

  it('every entity deletes by GET too', async () => {
    const env = await t.add('/api/v1/env-variables/do/add', { id: 'compat_env', autoTypeCasting: 'string', valueTEXT: 'v' });
    expect(ok(await t.admin('GET', `/api/v1/env-variables/${env}/do/delete`))).toEqual({ id: env });
    ok(await t.admin('POST', '/api/v1/script-sets/do/add', { data: { id: 'compat_gone' } }));
    expect(ok(await t.admin('GET', '/api/v1/script-sets/compat_gone/do/delete'))).toEqual({ id: 'compat_gone' });
    // Repeated, a delete answers as the first did; an id that never existed is a 404.
    expect(ok(await t.admin('GET', '/api/v1/script-sets/compat_gone/do/delete'))).toEqual({ id: 'compat_gone' });
    expect((await t.client.listScriptSets({ query: { id: 'compat_gone' } })).length).toBe(0);
    refused(await t.admin('GET', '/api/v1/script-sets/compat_never/do/delete'), 404, 'id');
    refused(await t.admin('POST', '/api/v1/scripts/compat_never__x/do/delete', {}), 404, 'id');
  });
});

describe('add-many, modify-many, delete-many', () => {
  for (const [segment, old, extra] of [
    ['sync-apis', 'auth-links', {}],
    ['async-apis', 'batches', {}],
    ['cron-jobs', 'crontab-configs', { cronExpr: '0 0 * * *' }],
  ] as const) {
    it(`${segment} (and ${old}): all or none, selected by the query, kwargs merged`, async () => {
      const tag = `bulk-${segment}`;
      // A cron job has no caller to fill a placeholder in (refused: http-edge test): it gives x itself.
      const x = segment === 'cron-jobs' ? 0 : 'INPUT_BY_CALLER';
      const item = (y: number) => ({ funcId: ADD, funcCallKwargsJSON: { x, y }, tagsJSON: [tag], ...extra });
      const added = ok(await t.admin('POST', `/api/v1/${segment}/do/add-many`, { data: [item(1), item(2), { ...item(3), id: `${segment}-three` }] })) as { ids: string[] };
      expect(added.ids).toHaveLength(3);
      expect(added.ids[2]).toBe(`${segment}-three`);
      expect(ids(ok(await t.admin('GET', `/api/v1/${segment}/do/list?id=${added.ids.join(',')}`)))).toEqual([...added.ids].sort());

      // One bad item: nothing is added, and the answer names it.
      const before = ids(ok(await t.admin('GET', `/api/v1/${segment}/do/list`)));
      refused(await t.admin('POST', `/api/v1/${old}/do/add-many`, { data: [item(4), { ...item(5), funcId: 'compat__fn.nope' }] }), 400, 'data.1.funcId');
      refused(await t.admin('POST', `/api/v1/${segment}/do/add-many`, { data: [item(4), { ...item(5), id: `${segment}-three` }] }), 409, 'data.1.id');
      // The field is named once, within the body.
      const unknownArg = await t.admin('POST', `/api/v1/${segment}/do/add-many`, { data: [item(4), { ...item(5), funcCallKwargsJSON: { x, y: 5, zz: 1 } }] });
      refused(unknownArg, 400, 'data.1.funcCallKwargsJSON.zz');
      expect(unknownArg.body.message).toMatch(/^data\.1\.funcCallKwargsJSON\.zz: /);
      expect(String(unknownArg.body.message).split('funcCallKwargsJSON.zz')).toHaveLength(2);
      expect(ids(ok(await t.admin('GET', `/api/v1/${segment}/do/list`)))).toEqual(before);
      refused(await t.admin('POST', `/api/v1/${segment}/do/add-many`, { data: [] }), 400, 'data');

      // modify-many: needs a condition; a misspelt one is refused; kwargs merged argument by argument.
      refused(await t.admin('POST', `/api/v1/${segment}/do/modify-many`, { data: { note: 'all' } }), 400, 'id');
      refused(await t.admin('POST', `/api/v1/${segment}/do/modify-many?tagz=${tag}`, { data: { note: 'all' } }), 400, /tagz/);
      const modified = ok(await t.admin('POST', `/api/v1/${old}/do/modify-many?tags=${tag}`, { data: { note: 'bulk', funcCallKwargsJSON: { x: 7 } } })) as { ids: string[] };
      expect([...modified.ids].sort()).toEqual([...added.ids].sort());
      const rows = ok(await t.admin('GET', `/api/v1/${segment}/do/list?id=${added.ids.join(',')}`)) as { id: string; note: string; funcCallKwargsJSON: Record<string, unknown> }[];
      expect(rows.map((r) => [r.note, r.funcCallKwargsJSON.x]).sort()).toEqual([
        ['bulk', 7],
        ['bulk', 7],
        ['bulk', 7],
      ]);
      expect(rows.map((r) => r.funcCallKwargsJSON.y).sort()).toEqual([1, 2, 3]);

      // delete-many (GET, as DataFlux Func's clients send it): the selected rows only.
      refused(await t.admin('GET', `/api/v1/${segment}/do/delete-many`), 400, 'id');
      const other = await t.add(`/api/v1/${segment}/do/add`, { ...item(9), tagsJSON: ['keep'] });
      const deleted = ok(await t.admin('GET', `/api/v1/${old}/do/delete-many?func_scriptSetId=compat&tags=${tag}`)) as { ids: string[]; id: string[] };
      expect([...deleted.ids].sort()).toEqual([...added.ids].sort());
      expect(deleted.id).toEqual(deleted.ids);
      expect(ids(ok(await t.admin('GET', `/api/v1/${segment}/do/list?id=${[...added.ids, other].join(',')}`)))).toEqual([other]);
      ok(await t.admin('GET', `/api/v1/${segment}/${other}/do/delete`));
    });
  }
});

describe('cron jobs: recent triggers', () => {
  it('lists the runs of the job, newest first, as [seconds, exec mode]', async () => {
    const id = await t.add('/api/v1/cron-jobs/do/add', { funcId: ADD, funcCallKwargsJSON: { x: 1, y: 1 }, cronExpr: '0 0 1 1 *' });
    expect(ok(await t.admin('GET', `/api/v1/cron-jobs/${id}/recent-triggered/do/list`))).toEqual([]);
    const before = Math.floor(Date.now() / 1000);
    ok(await t.admin('POST', `/api/v1/cron/${id}`, {}));
    ok(await t.admin('POST', `/api/v1/cron/${id}`, {}));
    await eventually(async () => ((ok(await t.admin('GET', `/api/v1/crontab-configs/${id}/recent-triggered/do/list`)) as unknown[]).length === 2 ? true : undefined));
    const triggers = ok(await t.admin('GET', `/api/v1/cron-jobs/${id}/recent-triggered/do/list`)) as [number, string][];
    for (const [ts, mode] of triggers) {
      expect(ts).toBeGreaterThanOrEqual(before);
      expect(mode).toBe('cronJob');
    }
    expect(triggers[0]![0]).toBeGreaterThanOrEqual(triggers[1]![0]);
    refused(await t.admin('GET', '/api/v1/cron-jobs/no-such-job/recent-triggered/do/list'), 404, 'id');
  });
});

describe('the function catalog', () => {
  it('describes one function by GET /api/v1/func/:funcId (POST calls it)', async () => {
    expect(ok(await t.admin('GET', `/api/v1/func/${ADD}`))).toMatchObject({
      id: ADD,
      name: 'add',
      title: 'Add',
      category: 'math',
      argsJSON: ['x', 'y'],
      tagsJSON: ['calc', 'k|v'],
    });
    refused(await t.admin('GET', '/api/v1/func/compat__fn.nope'), 404, 'funcId');
    refused(await t.admin('GET', '/api/v1/func/not-a-func'), 400, 'funcId');
    expect((await t.admin('POST', `/api/v1/func/${ADD}`, { kwargs: { x: 2, y: 3 } })).body.data).toMatchObject({ result: 5 });
  });

  it('func-list filters like DataFlux Func (comma = one of, tags = has all, title contains)', async () => {
    expect(ids(ok(await t.admin('GET', '/api/v1/func-list?scriptSetId=compat')))).toEqual([ADD, HELLO]);
    expect(ids(ok(await t.admin('GET', '/api/v1/func-list?category=math')))).toEqual([ADD]);
    expect(ids(ok(await t.admin('GET', '/api/v1/func-list?tags=calc,k|v')))).toEqual([ADD]);
    expect(ids(ok(await t.admin('GET', '/api/v1/func-list?tags=calc,greet')))).toEqual([]);
    expect(ids(ok(await t.admin('GET', '/api/v1/func-list?title=ell&scriptId=compat__fn')))).toEqual([HELLO]);
  });

  it("func-list as DataFlux Func's func doc: hidden functions left out, like and _fuzzySearch whatever the case, integration; func-api-list's _fuzzySearch and funcIntegration", async () => {
    await t.publish(
      'docs__fns',
      [
        "@DFF.API('Plus', category='math')",
        'def plus(a, b):',
        "    '''Adds Two Numbers.'''",
        '    return a + b',
        '',
        "@DFF.API('Hidden', is_hidden=True)",
        'def hidden():',
        '    return 1',
        '',
        "@DFF.API('Sign in', integration='Log_In')",
        'def sign_in(username, password):',
        '    return True',
        '',
      ].join('\n'),
    );
    ok(await t.admin('POST', '/api/v1/script-sets/docs/do/modify', { data: { title: 'Docs', description: 'The doc set' } }));
    ok(await t.admin('POST', '/api/v1/scripts/docs__fns/do/modify', { data: { title: 'Functions', description: 'Some functions' } }));
    const PLUS = 'docs__fns.plus';
    const SIGN_IN = 'docs__fns.sign_in';
    const list = ok(await t.admin('GET', '/api/v1/func-list?scriptSetId=docs')) as Record<string, unknown>[];
    expect(ids(list)).toEqual([PLUS, SIGN_IN]);
    expect(list.find((f) => f.id === PLUS)).toMatchObject({
      url: `/api/v1/func/${PLUS}`,
      name: 'plus',
      title: 'Plus',
      description: 'Adds Two Numbers.',
      integration: null,
      scriptId: 'docs__fns',
      scriptTitle: 'Functions',
      scriptDescription: 'Some functions',
      scriptSetId: 'docs',
      scriptSetTitle: 'Docs',
      scriptSetDescription: 'The doc set',
    });
    // The hidden function is still a function (listed among the funcs, callable): only the doc leaves it out.
    expect(ids(ok(await t.admin('GET', '/api/v1/funcs/do/list?scriptId=docs__fns')))).toEqual(['docs__fns.hidden', PLUS, SIGN_IN]);
    expect(ids(ok(await t.admin('GET', '/api/v1/func-list?id=docs__fns.hidden')))).toEqual([]);
    expect(ids(ok(await t.admin('GET', '/api/v1/func-list?title=plus')))).toEqual([PLUS]);
    expect(ids(ok(await t.admin('GET', '/api/v1/func-list?name=PLU&scriptSetId=docs')))).toEqual([PLUS]);
    expect(ids(ok(await t.admin('GET', '/api/v1/func-list?_fuzzySearch=Plus')))).toEqual([PLUS]);
    expect(ids(ok(await t.admin('GET', '/api/v1/func-list?_fuzzySearch=two%20numbers')))).toEqual([PLUS]);
    expect(ids(ok(await t.admin('GET', '/api/v1/func-list?_fuzzySearch=DOCS__FNS.SIGN')))).toEqual([SIGN_IN]);
    // Recorded under DataFlux Func's name for it (log_in, any case, is signIn).
    expect(list.find((f) => f.id === SIGN_IN)).toMatchObject({ integration: 'signIn' });
    expect(ids(ok(await t.admin('GET', '/api/v1/func-list?integration=signIn')))).toEqual([SIGN_IN]);
    expect(ids(ok(await t.admin('GET', '/api/v1/func-list?integration=autoRun,signIn&scriptSetId=docs')))).toEqual([SIGN_IN]);

    const plusApi = await t.add('/api/v1/sync-apis/do/add', { funcId: PLUS, funcCallKwargsJSON: {}, showInDoc: true });
    const signInApi = await t.add('/api/v1/sync-apis/do/add', { funcId: SIGN_IN, funcCallKwargsJSON: {}, showInDoc: true });
    const apis = ok(await t.api('GET', '/api/v1/func-api-list?_fuzzySearch=plus')) as Record<string, unknown>[];
    expect(apis.map((a) => a.id)).toEqual([plusApi]);
    expect(apis[0]).toMatchObject({ funcId: PLUS, funcIntegration: null });
    expect(ok(await t.api('GET', '/api/v1/func-api-list?_fuzzySearch=sign%20IN'))).toMatchObject([{ id: signInApi, funcIntegration: 'signIn' }]);
    for (const id of [plusApi, signInApi]) ok(await t.admin('GET', `/api/v1/sync-apis/${id}/do/delete`));
  });

  it('refuses an integration DataFlux Func does not have, naming it', async () => {
    const r = await t.admin('POST', '/api/v1/scripts/do/add', { data: { id: 'compat__badint', codeDraft: "@DFF.API('X', integration='signUp')\ndef x():\n    return 1\n" } });
    ok(r);
    const published = await t.admin('POST', '/api/v1/scripts/compat__badint/do/publish', { data: {} });
    expect(published.status, published.text).toBe(400);
    expect(published.body.message).toMatch(/integration must be one of .*signUp/);
    ok(await t.admin('GET', '/api/v1/scripts/compat__badint/do/delete'));
  });

  it('func-tag-list: each tag once, sorted; name contains, tagPattern wildcard', async () => {
    expect(ok(await t.admin('GET', '/api/v1/func-tag-list?scriptSetId=compat'))).toEqual(['calc', 'greet', 'k|v']);
    expect(ok(await t.admin('GET', '/api/v1/func-tag-list?scriptSetId=compat&name=re'))).toEqual(['greet']);
    expect(ok(await t.admin('GET', '/api/v1/func-tag-list?scriptSetId=compat&tagPattern=k|*'))).toEqual(['k|v']);
  });

  it('func-api-list (public): the APIs shown in the docs with their functions; auth-link-func-list: the sync ones', async () => {
    const shown = await t.add('/api/v1/sync-apis/do/add', { funcId: ADD, funcCallKwargsJSON: { x: 'INPUT_BY_CALLER', y: 1 }, showInDoc: true });
    const hidden = await t.add('/api/v1/sync-apis/do/add', { funcId: ADD, funcCallKwargsJSON: {}, showInDoc: false });
    const shownAsync = await t.add('/api/v1/async-apis/do/add', { funcId: HELLO, funcCallKwargsJSON: {}, showInDoc: true });
    const all = ok(await t.api('GET', '/api/v1/func-api-list')) as Record<string, unknown>[];
    expect(all.map((a) => a.id).sort()).toEqual([shown, shownAsync].sort());
    expect(all.find((a) => a.id === shown)).toMatchObject({
      url: `/api/v1/sync/${shown}`,
      apiType: 'syncAPI',
      funcId: ADD,
      funcTitle: 'Add',
      funcCategory: 'math',
      funcArgsJSON: expect.any(Array) as unknown,
      configFuncId: ADD,
      apiAuthId: null,
      apiAuthTitle: null,
      apiAuthType: null,
    });
    // Every field of the contract's entry, no other.
    for (const entry of all) expect(Object.keys(entry).sort()).toEqual(Object.keys(funcApiEntry.shape).sort());
    expect(all.find((a) => a.id === shownAsync)).toMatchObject({ url: `/api/v1/async/${shownAsync}`, apiType: 'asyncAPI', throttlingJSON: null });
    expect((ok(await t.api('GET', '/api/v1/func-api-list?apiType=asyncAPI')) as { id: string }[]).map((a) => a.id)).toEqual([shownAsync]);
    expect((ok(await t.api('GET', '/api/v1/func-api-list?funcCategory=math')) as { id: string }[]).map((a) => a.id)).toEqual([shown]);
    expect((ok(await t.api('GET', '/api/v1/auth-link-func-list')) as { id: string }[]).map((a) => a.id)).toEqual([shown]);
    refused(await t.api('GET', '/api/v1/func-api-list?apiType=cron'), 400, 'apiType');
    for (const id of [shown, hidden]) ok(await t.admin('GET', `/api/v1/sync-apis/${id}/do/delete`));
    ok(await t.admin('GET', `/api/v1/async-apis/${shownAsync}/do/delete`));
  });

  it('overview: services, queues, cron triggers per day, entity counts; by section', async () => {
    const job = await t.add('/api/v1/cron-jobs/do/add', { funcId: ADD, funcCallKwargsJSON: { x: 1, y: 1 }, cronExpr: '0 * * * *' });
    const all = ok(await t.admin('GET', '/api/v1/func/overview')) as Record<string, unknown[]>;
    expect(all.services!.length).toBeGreaterThan(0);
    expect(all.queues!.length).toBeGreaterThan(0);
    const queue = all.queues![0] as Record<string, unknown>;
    for (const k of ['queue', 'workerCount', 'processCount', 'delayQueueLength', 'workerQueueLength']) expect(typeof queue[k], k).toBe('number');
    const perDay = (all.bizMetrics as { subTitle: string; value: number }[]).find((m) => m.subTitle === 'Triggers Per Day')!.value;
    expect(perDay).toBeGreaterThanOrEqual(24);
    const funcs = (all.bizEntities as { name: string; count: number }[]).find((e) => e.name === 'func')!;
    expect(funcs.count).toBe((ok(await t.admin('GET', '/api/v1/funcs/do/list')) as unknown[]).length);
    expect(Object.keys(ok(await t.admin('GET', '/api/v1/func/overview?sections=bizEntities')) as object)).toEqual(['bizEntities']);
    refused(await t.admin('GET', '/api/v1/func/overview?sections=bizEntities,nope'), 400, 'sections');
    ok(await t.admin('GET', `/api/v1/cron-jobs/${job}/do/delete`));
  });
});

describe('func-many', () => {
  it('enqueues every call and answers their task ids in order', async () => {
    const r = ok(
      await t.admin('POST', '/api/v1/func-many', {
        calls: [
          { funcId: ADD, kwargs: { x: 1, y: 2 } },
          { funcId: HELLO, kwargs: { name: 'many' }, options: { delay: 0 } },
        ],
      }),
    ) as { ids: string[] };
    expect(r.ids).toHaveLength(2);
    expect(await ended(r.ids[0]!)).toMatchObject({ status: 'success', returnValueJSON: 3 });
    expect(await ended(r.ids[1]!)).toMatchObject({ status: 'success', returnValueJSON: 'hello many' });
  });

  it('checks every call before enqueueing any, naming the bad one', async () => {
    refused(await t.admin('POST', '/api/v1/func-many', { calls: [] }), 400, 'calls');
    const good = { funcId: ADD, kwargs: { x: 1, y: 2 } };
    refused(await t.admin('POST', '/api/v1/func-many', { calls: [good, { funcId: 'bad' }] }), 400, 'calls.1.funcId');
    const before = (ok(await t.admin('GET', `/api/v1/task-records/func/do/list?funcId=${ADD}`)) as unknown[]).length;
    refused(await t.admin('POST', '/api/v1/func-many', { calls: [good, { funcId: 'compat__fn.nope' }] }), 404, 'calls.1.funcId');
    expect((ok(await t.admin('GET', `/api/v1/task-records/func/do/list?funcId=${ADD}`)) as unknown[]).length).toBe(before);
    refused(await t.admin('POST', '/api/v1/func-many', { calls: [{ funcId: HELLO, kwargs: { nobody: 1 } }] }), 400, /calls\.0\.kwargs/);
    refused(await t.admin('POST', '/api/v1/func-many', { calls: [{ funcId: ADD, options: { delay: -1 } }] }), 400, 'calls.0.options.delay');
  });

  it('takes the options /api/v1/func takes, checked the same way: an ill-typed one is refused naming it, and timeout and queue apply', async () => {
    const before = (ok(await t.admin('GET', `/api/v1/task-records/func/do/list?funcId=${ADD}`)) as unknown[]).length;
    for (const [options, name] of [
      [{ timeout: 'x' }, 'timeout'],
      [{ timeout: 0 }, 'timeout'],
      [{ timeout: 1.5 }, 'timeout'],
      [{ queue: 'zz' }, 'queue'],
      [{ queue: 16 }, 'queue'],
      [{ expires: -5 }, 'expires'],
      [{ async: 'no' }, 'async'],
      [{ retry: 'twice' }, 'retry'],
      [{ eta: 'tomorrow' }, 'eta'],
    ] as const) {
      const r = await t.admin('POST', '/api/v1/func-many', {
        calls: [
          { funcId: ADD, kwargs: { x: 1, y: 2 } },
          { funcId: ADD, kwargs: { x: 1, y: 2 }, options },
        ],
      });
      refused(r, 400, `calls.1.options.${name}`);
      expect(r.body.message, r.text).toMatch(new RegExp(`^body\\.calls\\.1\\.options\\.${name}: `));
    }
    expect((ok(await t.admin('GET', `/api/v1/task-records/func/do/list?funcId=${ADD}`)) as unknown[]).length).toBe(before);

    await t.publish('many__nap', "import time\n\n@DFF.API('Nap')\ndef nap(s):\n    time.sleep(s)\n    return s\n");
    const { ids } = ok(
      await t.admin('POST', '/api/v1/func-many', {
        calls: [
          { funcId: 'many__nap.nap', kwargs: { s: 3 }, options: { timeout: 1, queue: 3 } },
          { funcId: 'many__nap.nap', kwargs: { s: 0 }, options: { queue: 3, expires: 600 } },
        ],
      }),
    ) as { ids: string[] };
    expect(await ended(ids[0]!)).toMatchObject({ status: 'timeout', queue: 3 });
    expect(await ended(ids[1]!)).toMatchObject({ status: 'success', queue: 3, returnValueJSON: 0 });
  });
});
