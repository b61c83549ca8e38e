/**
 * The admin lists filter as DataFlux Func's route.yaml says (contract LIST_FILTER_KINDS): a
 * DataFlux client's `?tags=`, `?func_scriptSetId=`, `?name=`, `?queue=` narrows the list instead of
 * being ignored, and paging counts what the filter kept.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestStack, type TestStack } from '../src/testing/test-stack.js';

let t: TestStack;

const ids = async (url: string): Promise<string[]> => {
  const r = await t.admin('GET', url);
  expect(r.status, r.text).toBe(200);
  return (r.data as { id: string }[]).map((x) => x.id);
};

beforeAll(async () => {
  t = await startTestStack();
  await t.publish('lf__a', "@DFF.API('F', tags=['red', 'big'])\ndef f():\n    return 1\n\n@DFF.API('G', tags=['red'])\ndef g():\n    return 2\n");
  // A set whose id starts like the other's: `lf` must not take it.
  await t.publish('lf_x__b', "@DFF.API('H')\ndef h():\n    return 3\n");
  const api = (id: string, funcId: string, tagsJSON: string[] | null) => ({ id, funcId, funcCallKwargsJSON: {}, tagsJSON });
  for (const data of [api('s1', 'lf__a.f', ['t1', 't2']), api('s2', 'lf__a.g', ['t1']), api('s3', 'lf_x__b.h', null)]) await t.client.addSyncApi({ body: { data } });
  for (const data of [api('a1', 'lf__a.f', ['t1']), api('a2', 'lf_x__b.h', ['t1'])]) await t.client.addAsyncApi({ body: { data } });
  for (const data of [api('c1', 'lf__a.g', ['night']), api('c2', 'lf_x__b.h', null)]) await t.client.addCronJob({ body: { data: { ...data, cronExpr: '0 0 1 1 *' } } });
}, 60_000);
afterAll(async () => t?.close());

describe('sync APIs, async APIs, cron jobs (and their old names)', () => {
  it('tags: every one given; func_scriptSetId, func_scriptId: one of; func_tags: the function has every one', async () => {
    expect(await ids('/api/v1/sync-apis/do/list')).toEqual(['s1', 's2', 's3']);
    expect(await ids('/api/v1/sync-apis/do/list?tags=t1')).toEqual(['s1', 's2']);
    expect(await ids('/api/v1/sync-apis/do/list?tags=t1,t2')).toEqual(['s1']);
    expect(await ids('/api/v1/sync-apis/do/list?tags=nope')).toEqual([]);
    // A condition naming no tag matches nothing, in a list and in a delete-many (it never widens to every row).
    expect(await ids('/api/v1/sync-apis/do/list?tags=,')).toEqual([]);
    const none = await t.admin('GET', '/api/v1/sync-apis/do/delete-many?tags=,');
    expect(none.status, none.text).toBe(200);
    expect((none.data as { ids: string[] }).ids).toEqual([]);
    expect(await ids('/api/v1/sync-apis/do/list')).toEqual(['s1', 's2', 's3']);
    expect(await ids('/api/v1/sync-apis/do/list?func_scriptSetId=lf')).toEqual(['s1', 's2']);
    expect(await ids('/api/v1/sync-apis/do/list?func_scriptSetId=lf_x,nope')).toEqual(['s3']);
    expect(await ids('/api/v1/sync-apis/do/list?func_scriptId=lf__a')).toEqual(['s1', 's2']);
    expect(await ids('/api/v1/sync-apis/do/list?func_tags=red,big')).toEqual(['s1']);
    expect(await ids('/api/v1/sync-apis/do/list?func_tags=red&tags=t1&funcId=lf__a.g')).toEqual(['s2']);
    expect(await ids('/api/v1/auth-links/do/list?func_scriptSetId=lf_x')).toEqual(['s3']);
    expect(await ids('/api/v1/async-apis/do/list?func_scriptSetId=lf&tags=t1')).toEqual(['a1']);
    expect(await ids('/api/v1/batches/do/list?tags=t1')).toEqual(['a1', 'a2']);
    expect(await ids('/api/v1/cron-jobs/do/list?func_tags=red')).toEqual(['c1']);
    expect(await ids('/api/v1/crontab-configs/do/list?tags=night')).toEqual(['c1']);
  });

  it('pages what the filter kept', async () => {
    expect(await ids('/api/v1/sync-apis/do/list?tags=t1&pageSize=1')).toEqual(['s1']);
    expect(await ids('/api/v1/sync-apis/do/list?tags=t1&pageSize=1&pageNumber=2')).toEqual(['s2']);
    expect(await ids('/api/v1/sync-apis/do/list?tags=t1&pageSize=1&pageNumber=3')).toEqual([]);
  });
});

describe('users, access keys, API auth: text fields by what they contain, ignoring case', () => {
  it('users: username, name, email, mobile contain; isDisabled', async () => {
    // Users and access keys get ids of their own, as in DataFlux Func.
    const ada = await t.add('/api/v1/users/do/add', { username: 'lf-ada', name: 'Ada Lovelace', email: 'ada@example.com', password: 'ada-pass-123', roles: ['user'] });
    const bob = await t.add('/api/v1/users/do/add', { username: 'lf-bob', name: 'Bob', mobile: '5550100', password: 'bob-pass-123', roles: ['user'], isDisabled: true });
    expect((await ids('/api/v1/users/do/list?username=LF-')).sort()).toEqual([ada, bob].sort());
    expect(await ids('/api/v1/users/do/list?name=love')).toEqual([ada]);
    expect(await ids('/api/v1/users/do/list?email=EXAMPLE')).toEqual([ada]);
    expect(await ids('/api/v1/users/do/list?mobile=0100')).toEqual([bob]);
    expect(await ids('/api/v1/users/do/list?isDisabled=true')).toEqual([bob]);
    expect(await ids('/api/v1/users/do/list?username=lf-&isDisabled=false')).toEqual([ada]);
  });

  it("access keys: DataFlux's title and name; API auth: title, its old name, note", async () => {
    const deploy = await t.add('/api/v1/access-keys/do/add', { title: 'Deploy key' });
    const other = await t.add('/api/v1/access-keys/do/add', { title: 'Other' });
    expect(await ids('/api/v1/access-keys/do/list?title=DEPLOY')).toEqual([deploy]);
    expect(await ids('/api/v1/access-keys/do/list?name=other')).toEqual([other]);
    const auth = (id: string, title: string, note: string) => ({ id, type: 'httpBasic', title, note, configJSON: { users: [{ username: 'ann', password: 'pa55word' }] } });
    await t.add('/api/v1/api-auth/do/add', auth('aa-1', 'Partners', 'for the partner portal'));
    await t.add('/api/v1/api-auth/do/add', auth('aa-2', 'Staff', 'internal'));
    expect(await ids('/api/v1/api-auth/do/list?title=partner')).toEqual(['aa-1']);
    expect(await ids('/api/v1/api-auth/do/list?name=STAFF')).toEqual(['aa-2']);
    expect(await ids('/api/v1/api-auth/do/list?note=portal')).toEqual(['aa-1']);
  });
});

describe('functions and task records', () => {
  it('functions: tags, every one given', async () => {
    expect(await ids('/api/v1/funcs/do/list?tags=red')).toEqual(['lf__a.f', 'lf__a.g']);
    expect(await ids('/api/v1/funcs/do/list?tags=red,big')).toEqual(['lf__a.f']);
  });

  it("functions: integration, one of (DataFlux Func's route.yaml filter; recorded in extraConfigJSON)", async () => {
    await t.publish('lf_i__c', "@DFF.API('I', integration='signIn')\ndef i():\n    return 4\n\n@DFF.API('J', integration='autoRun')\ndef j():\n    return 5\n");
    expect(await ids('/api/v1/funcs/do/list?integration=signIn')).toEqual(['lf_i__c.i']);
    expect(await ids('/api/v1/funcs/do/list?integration=signIn,autoRun')).toEqual(['lf_i__c.i', 'lf_i__c.j']);
    expect(await ids('/api/v1/funcs/do/list?integration=signIn&scriptSetId=lf__a')).toEqual([]);
    expect(await ids('/api/v1/funcs/do/list?integration=nothing')).toEqual([]);
  });

  it("task records: queue, script, the script's set", async () => {
    for (const funcId of ['lf__a.f', 'lf_x__b.h']) {
      const r = await t.admin('POST', `/api/v1/func/${funcId}`, { kwargs: {} });
      expect(r.status, r.text).toBe(200);
    }
    const taskFuncs = async (query: string): Promise<string[]> => {
      const r = await t.admin('GET', `/api/v1/task-records/func/do/list?${query}`);
      expect(r.status, r.text).toBe(200);
      return (r.data as { funcId: string }[]).map((x) => x.funcId).sort();
    };
    expect(await taskFuncs('scriptSetId=lf')).toEqual(['lf__a.f']);
    expect(await taskFuncs('scriptSetId=lf_x')).toEqual(['lf_x__b.h']);
    expect(await taskFuncs('scriptId=lf_x__b')).toEqual(['lf_x__b.h']);
    expect(await taskFuncs('queue=1')).toEqual(['lf__a.f', 'lf_x__b.h']);
    expect(await taskFuncs('queue=2')).toEqual([]);
    const bad = await t.admin('GET', '/api/v1/task-records/func/do/list?queue=16');
    expect(bad.status).toBe(400);
    expect(bad.body.detail?.field).toBe('query.queue');
  });
});

describe("_fuzzySearch: the fields DataFlux Func's route.yaml names for each list, any one holding the text, whatever its case", () => {
  it("APIs and cron jobs: id, funcId, fixed kwargs, tags, note and the function's title, description, tags; paged after", async () => {
    expect(await ids('/api/v1/sync-apis/do/list?_fuzzySearch=S1')).toEqual(['s1']);
    expect(await ids('/api/v1/sync-apis/do/list?_fuzzySearch=t2')).toEqual(['s1']);
    expect(await ids('/api/v1/sync-apis/do/list?_fuzzySearch=LF_X')).toEqual(['s3']);
    // The function's tags (red, big).
    expect(await ids('/api/v1/sync-apis/do/list?_fuzzySearch=BIG')).toEqual(['s1']);
    expect(await ids('/api/v1/auth-links/do/list?_fuzzySearch=red&tags=t1&pageSize=1&pageNumber=2')).toEqual(['s2']);
    expect(await ids('/api/v1/async-apis/do/list?_fuzzySearch=a2')).toEqual(['a2']);
    expect(await ids('/api/v1/crontab-configs/do/list?_fuzzySearch=NIGHT')).toEqual(['c1']);
  });

  it('users, API auth (not its secrets), env variables (not a password), scripts, functions, recover points', async () => {
    expect((await ids('/api/v1/users/do/list?_fuzzySearch=LOVELACE')).length).toBe(1);
    expect(await ids('/api/v1/api-auth/do/list?_fuzzySearch=Portal')).toEqual(['aa-1']);
    expect(await ids('/api/v1/api-auth/do/list?_fuzzySearch=pa55word')).toEqual([]);
    await t.add('/api/v1/env-variables/do/add', { id: 'lf_plain', valueTEXT: 'hunter-plain', autoTypeCasting: 'string' });
    await t.add('/api/v1/env-variables/do/add', { id: 'lf_secret', valueTEXT: 'hunter-secret', autoTypeCasting: 'password' });
    expect(await ids('/api/v1/env-variables/do/list?_fuzzySearch=HUNTER')).toEqual(['lf_plain']);
    expect(await ids('/api/v1/env-variables/do/list?_fuzzySearch=lf_')).toEqual(['lf_plain', 'lf_secret']);
    expect(await ids('/api/v1/scripts/do/list?_fuzzySearch=LF_X')).toEqual(['lf_x__b']);
    expect(await ids('/api/v1/funcs/do/list?_fuzzySearch=lf_x')).toEqual(['lf_x__b.h']);
    const point = await t.admin('POST', '/api/v1/script-recover-points/do/add', { data: { note: 'Before the FuzzyRelease' } });
    expect(point.status, point.text).toBe(200);
    expect(await ids('/api/v1/script-recover-points/do/list?_fuzzySearch=fuzzyrelease')).toEqual([(point.data as { id: string }).id]);
  });

  it('refuses a _fuzzySearch that is not text, naming it', async () => {
    const r = await t.admin('GET', '/api/v1/sync-apis/do/list?_fuzzySearch[a]=1');
    expect(r.status, r.text).toBe(400);
    expect(r.body.detail?.field).toBe('query._fuzzySearch');
    expect(r.body.message).toBe('query._fuzzySearch: Invalid input: expected string, received object');
  });

  it('names an object given for text as an object, whatever its keys (a key named constructor named nothing, or what the caller wrote)', async () => {
    for (const query of ['_fuzzySearch[constructor]=abc', '_fuzzySearch[constructor][name]=Evil']) {
      const r = await t.admin('GET', `/api/v1/sync-apis/do/list?${query}`);
      expect(r.status, r.text).toBe(400);
      expect(r.body.message, query).toBe('query._fuzzySearch: Invalid input: expected string, received object');
    }
  });
});

describe("field selection (DataFlux Func's `fields` on the routes its route.yaml marks fieldSelecting)", () => {
  const rows = async (url: string): Promise<Record<string, unknown>[]> => {
    const r = await t.admin('GET', url);
    expect(r.status, r.text).toBe(200);
    return r.data as Record<string, unknown>[];
  };

  it('fields=a,b answers only those fields, in that order; -a,b all but those; unknown names are ignored', async () => {
    const picked = await rows('/api/v1/sync-apis/do/list?fields=funcId,id,nope');
    expect(picked).toEqual([
      { funcId: 'lf__a.f', id: 's1' },
      { funcId: 'lf__a.g', id: 's2' },
      { funcId: 'lf_x__b.h', id: 's3' },
    ]);
    expect(Object.keys(picked[0]!)).toEqual(['funcId', 'id']);
    const whole = (await rows('/api/v1/sync-apis/do/list?id=s1'))[0]!;
    const dropped = (await rows('/api/v1/sync-apis/do/list?id=s1&fields=-funcCallKwargsJSON,tagsJSON,nope'))[0]!;
    expect(dropped).toEqual(Object.fromEntries(Object.entries(whole).filter(([k]) => k !== 'funcCallKwargsJSON' && k !== 'tagsJSON')));
    // DataFlux Func's documented form of a leaving out: "-,a,b"; spaces around commas.
    expect(Object.keys((await rows('/api/v1/sync-apis/do/list?id=s1&fields=-, funcCallKwargsJSON , tagsJSON'))[0]!).sort()).toEqual(Object.keys(dropped).sort());
    // No fields, or an empty one: whole rows.
    expect((await rows('/api/v1/sync-apis/do/list?id=s1&fields='))[0]).toEqual(whole);
    // Paging still says where the page is.
    const paged = await t.admin('GET', '/api/v1/sync-apis/do/list?fields=id&pageSize=2');
    expect(paged.data).toEqual([{ id: 's1' }, { id: 's2' }]);
    expect(paged.body.pageInfo).toMatchObject({ pageSize: 2, pageNumber: 1, count: 2 });
  });

  it('on every list DataFlux Func selects on, under old names too, and on the gets of users and access keys', async () => {
    expect(await rows('/api/v1/auth-links/do/list?fields=id')).toEqual([{ id: 's1' }, { id: 's2' }, { id: 's3' }]);
    expect(await rows('/api/v1/crontab-configs/do/list?fields=id,crontab')).toEqual([
      { id: 'c1', crontab: '0 0 1 1 *' },
      { id: 'c2', crontab: '0 0 1 1 *' },
    ]);
    expect(await rows('/api/v1/funcs/do/list?tags=red&fields=id')).toEqual([{ id: 'lf__a.f' }, { id: 'lf__a.g' }]);
    for (const url of ['/api/v1/task-records/func/do/list?fields=id,status', '/api/v1/operation-records/do/list?fields=id', '/api/v1/script-sets/do/list?fields=id']) {
      // Operation records are written in batches: wait for some, so the check below looks at rows.
      await vi.waitFor(async () => expect((await rows(url)).length, url).toBeGreaterThan(0), { timeout: 10_000, interval: 200 });
      for (const row of await rows(url))
        expect(
          Object.keys(row).filter((k) => !['id', 'status'].includes(k)),
          url,
        ).toEqual([]);
    }
    const key = await t.add('/api/v1/access-keys/do/add', { title: 'Selected' });
    expect((await t.admin('GET', `/api/v1/access-keys/${key}/do/get?fields=id,title`)).data).toEqual({ id: key, title: 'Selected' });
    const users = await rows('/api/v1/users/do/list?fields=username');
    expect(users.length).toBeGreaterThan(0);
    expect(users.every((u) => Object.keys(u).join() === 'username')).toBe(true);
    // A get DataFlux Func does not select on answers whole.
    expect(Object.keys((await t.admin('GET', '/api/v1/sync-apis/s1/do/get?fields=id')).data as object).length).toBeGreaterThan(1);
  });

  it('refuses a fields that is no list of names, naming it', async () => {
    const r = await t.admin('GET', '/api/v1/sync-apis/do/list?fields[a]=id');
    expect(r.status, r.text).toBe(400);
    expect(r.body.detail?.field).toBe('query.fields');
  });
});
