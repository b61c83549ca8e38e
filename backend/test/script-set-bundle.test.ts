/** Script-set export and import through HTTP on a real embedded stack. */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestStack } from '../src/testing/test-stack.js';

const MAIN = `@DFF.API('Double')
def double(x):
    return x * 2
`;
const HELPER_DRAFT = `@DFF.API('Hello')
def hello(name='world'):
    return f'Hello, {name}!'
`;

type Bundle = { format: string; exportedAt: string; scriptSet: Record<string, unknown>; scripts: { id: string; code: string | null; codeDraft: string }[] };

const t = useTestStack();
let bundle: Bundle;

beforeAll(async () => {
  await t.client.addScriptSet({ body: { data: { id: 'bundle', title: 'Bundle', requirements: 'requests' } } });
  await t.publish('bundle__main', MAIN);
  await t.client.addScript({ body: { data: { id: 'bundle__helper', codeDraft: HELPER_DRAFT } } });
}, 60_000);

describe('export', () => {
  it('answers the set with published code and drafts', async () => {
    const r = await t.admin('GET', '/api/v1/script-sets/bundle/do/export');
    expect(r.status, r.text).toBe(200);
    bundle = r.body.data as Bundle;
    expect(bundle.format).toBe('func-script-set/1');
    expect(bundle.scriptSet).toEqual({ id: 'bundle', title: 'Bundle', description: null, requirements: 'requests' });
    expect(bundle.scripts.map((s) => [s.id, s.code !== null])).toEqual([
      ['bundle__helper', false],
      ['bundle__main', true],
    ]);
    expect(bundle.scripts[1]!.code).toBe(MAIN);
  });

  it('answers 404 for an unknown set', async () => {
    expect((await t.admin('GET', '/api/v1/script-sets/nope/do/export')).status).toBe(404);
  });
});

describe('import', () => {
  it('round trip: delete, import with publish, call a function', async () => {
    expect((await t.admin('POST', '/api/v1/script-sets/bundle/do/delete')).status).toBe(200);
    expect((await t.admin('POST', '/api/v1/func/bundle__main.double', { kwargs: { x: 2 } })).status).toBe(404);
    const r = await t.admin('POST', '/api/v1/script-sets/do/import', { data: bundle, options: { publish: true } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.data).toEqual({ id: 'bundle', scripts: ['bundle__helper', 'bundle__main'], published: ['bundle__helper', 'bundle__main'], deleted: [] });
    const call = await t.admin('POST', '/api/v1/func/bundle__main.double', { kwargs: { x: 21 } });
    expect(call.status, call.text).toBe(200);
    expect((call.body.data as { result: unknown }).result).toBe(42);
    const hello = await t.admin('POST', '/api/v1/func/bundle__helper.hello', { kwargs: {} });
    expect((hello.body.data as { result: unknown }).result).toBe('Hello, world!');
  });

  it('refuses a bad bundle with 400 naming the field', async () => {
    const bad = { ...bundle, scripts: [{ ...bundle.scripts[0]!, id: 'other__x' }] };
    const r = await t.admin('POST', '/api/v1/script-sets/do/import', { data: bad });
    expect(r.status).toBe(400);
    expect(r.body.detail?.field).toBe('body.data.scripts.0.id');
    expect(r.body.message).toMatch(/^body\.data\.scripts\.0\.id: must start with "bundle__"/);
    const wrongFormat = await t.admin('POST', '/api/v1/script-sets/do/import', { data: { ...bundle, format: 'x' } });
    expect(wrongFormat.status).toBe(400);
    expect(wrongFormat.body.detail?.field).toBe('body.data.format');
  });

  it('refuses an existing set with 409 naming the id', async () => {
    const r = await t.admin('POST', '/api/v1/script-sets/do/import', { data: bundle });
    expect(r.status).toBe(409);
    expect(r.body.reason).toBe('EClientDuplicated');
    expect(r.body.message).toContain('"bundle"');
    expect(r.body.detail).toMatchObject({ id: 'bundle' });
  });

  it('overwrite replaces the set: drafts, titles, scripts not in the bundle deleted', async () => {
    await t.client.addScript({ body: { data: { id: 'bundle__extra' } } });
    const changed = { ...bundle, scriptSet: { ...bundle.scriptSet, title: 'Replaced' }, scripts: [{ ...bundle.scripts[1]!, codeDraft: '# new draft\n' }] };
    const r = await t.admin('POST', '/api/v1/script-sets/do/import', { data: changed, options: { overwrite: true } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.data).toMatchObject({ scripts: ['bundle__main'], published: [], deleted: ['bundle__extra', 'bundle__helper'] });
    const set = await t.admin('GET', '/api/v1/script-sets/bundle/do/get');
    expect((set.body.data as { title: string }).title).toBe('Replaced');
    const main = await t.admin('GET', '/api/v1/scripts/bundle__main/do/get');
    expect((main.body.data as { codeDraft: string; code: string }).codeDraft).toBe('# new draft\n');
    expect((main.body.data as { code: string }).code).toBe(MAIN);
    expect((await t.admin('GET', '/api/v1/scripts/do/list?scriptSetId=bundle')).body.data).toHaveLength(1);
  });

  it('a publish failure answers 400 with the script and line after importing the rest', async () => {
    const broken = {
      ...bundle,
      scriptSet: { ...bundle.scriptSet, id: 'broken' },
      scripts: [
        { id: 'broken__bad', title: null, description: null, code: null, codeDraft: 'x = 1\ndef f(:\n    pass\n' },
        { id: 'broken__good', title: null, description: null, code: MAIN, codeDraft: MAIN },
      ],
    };
    const r = await t.admin('POST', '/api/v1/script-sets/do/import', { data: broken, options: { publish: true } });
    expect(r.status).toBe(400);
    expect(r.body.reason).toBe('EScriptPublishFailed');
    expect(r.body.detail).toMatchObject({ scriptId: 'broken__bad', line: 2, imported: ['broken__bad', 'broken__good'], published: ['broken__good'] });
    expect(r.body.message).toContain('broken__bad');
    expect(r.body.message).toContain('published: broken__good');
    const call = await t.admin('POST', '/api/v1/func/broken__good.double', { kwargs: { x: 1 } });
    expect((call.body.data as { result: unknown }).result).toBe(2);
  });
});
