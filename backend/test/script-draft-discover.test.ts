/** POST /api/v1/scripts/:id/do/discover: the functions of a saved draft, found by Python as publishing finds them, nothing stored. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutputOf } from '../../contract/client/index.js';
import { startTestStack, type TestStack } from '../src/testing/test-stack.js';

const DRAFT = `import time

@DFF.API('Multi-line')
def f(
    a,
    b=2,
):
    return a + b

@DFF.API('Keyword only', category='math', tags=['x', 'b', 'x'], cache_result=1.5)
def g(x, *args, c='see', d=None, **kw):
    '''Doc of g.'''
    return x

def helper(z):
    return z
`;

let t: TestStack;
let savedMD5: string;

beforeAll(async () => {
  t = await startTestStack();
  await t.client.addScriptSet({ body: { data: { id: 'disc' } } });
  await t.client.addScript({ body: { data: { id: 'disc__main', codeDraft: 'x = 1\n' } } });
  savedMD5 = (await t.client.modifyScript({ params: { id: 'disc__main' }, body: { data: { codeDraft: DRAFT } } })).codeDraftMD5 ?? '';
}, 60_000);

afterAll(async () => {
  await t?.close();
});

async function discover(id: string): Promise<OutputOf<'discoverScriptDraft'>> {
  return t.client.discoverScriptDraft({ params: { id } });
}

describe('discover a draft', () => {
  it('lists a multi-line signature with both its arguments, and the default', async () => {
    const d = await discover('disc__main');
    expect(d.id).toBe('disc__main');
    expect(d.codeDraftMD5).toBe(savedMD5);
    expect(d.error).toBeNull();
    const f = d.funcs.find((x) => x.name === 'f')!;
    expect(f.args).toEqual(['a', 'b']);
    expect(f.kwargs).toEqual({ a: { hasDefault: false }, b: { default: 2, hasDefault: true } });
    expect(f.definition).toBe('def f(a, b=2)');
    expect(f).toMatchObject({ title: 'Multi-line', varKwargs: false, isHidden: false, defOrder: 0 });
  });

  it('lists keyword-only arguments and **kwargs as Python sees them; functions without @DFF.API are not listed', async () => {
    const d = await discover('disc__main');
    expect(d.funcs.map((x) => x.name)).toEqual(['f', 'g']);
    const g = d.funcs.find((x) => x.name === 'g')!;
    // As DataFlux Func: *args and **kwargs listed (last in args, in place in kwargs); tags each once, sorted; a float cache_result taken.
    expect(g.args).toEqual(['x', '*args', '**kw']);
    // The draft view's kwargs are what a caller may name (the run panel fills them in): no *args / **kw there.
    expect(g.kwargs).toEqual({ x: { hasDefault: false }, c: { default: 'see', hasDefault: true }, d: { default: null, hasDefault: true } });
    expect(g).toMatchObject({ varKwargs: true, category: 'math', tags: ['b', 'x'], description: 'Doc of g.', defOrder: 1 });
  });

  it('stores nothing: the script stays unpublished and has no functions', async () => {
    await discover('disc__main');
    expect((await t.client.getScript({ params: { id: 'disc__main' } })).publishVersion).toBe(0);
    expect(await t.client.listFuncs({ query: { scriptId: 'disc__main' } })).toEqual([]);
  });

  it('answers the error and its line for a draft that does not import, with no functions', async () => {
    await t.client.addScript({ body: { data: { id: 'disc__broken', codeDraft: "@DFF.API('x')\ndef x(a):\n    return a\n\nraise ValueError('at import')\n" } } });
    const d = await discover('disc__broken');
    expect(d.funcs).toEqual([]);
    expect(d.error).toMatchObject({ exceptionType: 'ValueError', message: 'at import', line: 5 });
    await t.client.addScript({ body: { data: { id: 'disc__syntax', codeDraft: 'def y(a:\n    return a\n' } } });
    const s = await discover('disc__syntax');
    expect(s.error).toMatchObject({ exceptionType: 'SyntaxError', line: 1 });
  });

  it('answers 404 for an unknown script', async () => {
    await expect(t.client.discoverScriptDraft({ params: { id: 'disc__nope' } })).rejects.toMatchObject({ detail: { status: 404 } });
  });
});
