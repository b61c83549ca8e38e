/**
 * The contract's output schemas of the admin entities describe what the server answers: every list
 * and get of a stack holding rows of each entity parses with its operation's output schema, and
 * parsing drops nothing (zod strips undeclared fields, so an answer with a field the schema lacks
 * would not equal its parse). The server does not parse its answers (types only, off the hot path).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { entityOperations, operations } from '../../contract/index.js';
import { startTestStack, type TestStack } from '../src/testing/test-stack.js';

const CODE = `@DFF.API('Echo', timeout=5)
def echo(x='-'):
    return x

@DFF.API('Hidden', is_hidden=True, fixed_cron_expr='*/5 * * * *')
def hidden():
    return 1
`;

let t: TestStack;
const ids: Partial<Record<keyof typeof entityOperations, string>> = {};

/** `answer` parses with `schema` and parsing keeps every field. */
function expectDescribed(schema: z.ZodType, answer: unknown, what: string): void {
  const parsed = schema.safeParse(answer);
  expect(parsed.error?.issues, what).toBeUndefined();
  expect(parsed.data, `${what}: a field the schema does not declare`).toEqual(answer);
}

beforeAll(async () => {
  t = await startTestStack();
  await t.publish('outs__main', CODE);
  ids.scriptSets = 'outs';
  ids.scripts = 'outs__main';
  ids.funcs = 'outs__main.echo';
  ids.apiAuth = (await t.client.addApiAuth({ body: { data: { type: 'httpBasic', title: 'basic', configJSON: { users: [{ username: 'ann', password: 'pa55word' }] } } } })).id;
  ids.syncApis = await t.add('/api/v1/sync-apis/do/add', {
    funcId: 'outs__main.echo',
    funcCallKwargsJSON: { x: 'INPUT_BY_CALLER' },
    tagsJSON: ['a'],
    apiAuthId: ids.apiAuth,
    throttlingJSON: { bySecond: 5 },
    expireTime: '2999-01-01T00:00:00Z',
    taskRecordLimit: 10,
    note: 'n',
  });
  ids.asyncApis = (await t.client.addAsyncApi({ body: { data: { funcId: 'outs__main.echo', funcCallKwargsJSON: {} } } })).id;
  ids.cronJobs = (
    await t.client.addCronJob({ body: { data: { funcId: 'outs__main.echo', funcCallKwargsJSON: { x: 1 }, cronExpr: '*/10 * * * *', timezone: 'Europe/Paris' } } })
  ).id;
  await t.client.addCronJob({ body: { data: { funcId: 'outs__main.hidden', funcCallKwargsJSON: {} } } });
  ids.envVariables = (await t.client.addEnvVariable({ body: { data: { id: 'PLAIN', autoTypeCasting: 'integer', valueTEXT: '3', title: 'three' } } })).id;
  await t.client.addEnvVariable({ body: { data: { id: 'SECRET', autoTypeCasting: 'password', valueTEXT: 'hush' } } });
  ids.accessKeys = (await t.client.addAccessKey({ body: { data: { title: 'k0' } } })).id;
  ids.users = (await t.client.addUser({ body: { data: { username: 'reader', password: 'r3ader-pass', name: 'Reader', roles: ['readonlyUser'] } } })).id;
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('entity output schemas', () => {
  it('describe every list and get answer', async () => {
    for (const [name, ops] of Object.entries(entityOperations)) {
      const list = await t.admin('GET', ops.list.paths[0]!);
      expect(list.status, name).toBe(200);
      expect((list.body.data as unknown[]).length, `${name}: rows to check`).toBeGreaterThan(0);
      expectDescribed(ops.list.output, list.body.data, `list ${name}`);
      const id = ids[name as keyof typeof ids]!;
      const one = await t.admin('GET', ops.get.paths[0]!.replace(':id', id));
      expect(one.status, name).toBe(200);
      expectDescribed(ops.get.output, one.body.data, `get ${name}`);
    }
  });

  it('describe the optional fields when present: scripts with code, env variables of each type, a hidden function', async () => {
    const withCode = await t.admin('GET', '/api/v1/scripts/do/list?_withCode=true&_withCodeDraft=1');
    expect((withCode.body.data as { code?: unknown }[])[0]!.code).toBe(CODE);
    expectDescribed(operations.listScripts.output, withCode.body.data, 'scripts with code');
    const envs = (await t.admin('GET', '/api/v1/env-variables/do/list')).body.data as { id: string; valueTEXT?: string }[];
    expect(envs.map((e) => [e.id, e.valueTEXT])).toEqual(
      [
        ['PLAIN', '3'],
        ['SECRET', undefined],
      ].sort(),
    );
    const hidden = await t.admin('GET', '/api/v1/funcs/outs__main.hidden/do/get');
    expect((hidden.body.data as { isHidden: boolean }).isHidden).toBe(true);
    expectDescribed(operations.getFunc.output, hidden.body.data, 'hidden func');
  });

  it('describe add, modify, publish and the publish history', async () => {
    const key = await t.admin('POST', '/api/v1/access-keys/do/add', { data: { title: 'k' } });
    expect(typeof (key.body.data as { secret?: unknown }).secret).toBe('string');
    expectDescribed(operations.addAccessKey.output, key.body.data, 'add access key');
    const api = await t.admin('POST', '/api/v1/sync-apis/do/add', { data: { funcId: 'outs__main.echo', funcCallKwargsJSON: {} } });
    expectDescribed(operations.addSyncApi.output, api.body.data, 'add sync API');
    const draft = await t.admin('POST', '/api/v1/scripts/outs__main/do/modify', { data: { codeDraft: `${CODE}\n` } });
    expect((draft.body.data as { codeDraftMD5: unknown }).codeDraftMD5).toMatch(/^[0-9a-f]{32}$/);
    expectDescribed(operations.modifyScript.output, draft.body.data, 'modify script');
    const title = await t.admin('POST', '/api/v1/scripts/outs__main/do/modify', { data: { title: 'Main' } });
    expectDescribed(operations.modifyScript.output, title.body.data, 'modify script title');
    const publish = await t.admin('POST', '/api/v1/scripts/outs__main/do/publish', { data: { note: 'second' } });
    expect(publish.status).toBe(200);
    expectDescribed(operations.publishScript.output, publish.body.data, 'publish');
    const history = await t.admin('GET', '/api/v1/script-publish-histories/do/list?scriptId=outs__main');
    expect((history.body.data as unknown[]).length).toBe(2);
    expectDescribed(operations.listPublishHistory.output, history.body.data, 'publish history');
  });
});
