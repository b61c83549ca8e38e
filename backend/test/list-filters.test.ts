/**
 * The admin lists filter as DataFlux Func's route.yaml says (contract LIST_FILTER_KINDS): a
 * DataFlux client's `?tags=`, `?func_scriptSetId=`, `?name=`, `?queue=` narrows the list instead of
 * being ignored, and paging counts what the filter kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
